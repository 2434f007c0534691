"""A list over the audit log, declared the way a module declares its list: the engine's test subject."""

import dataclasses

from django.contrib.auth import get_user_model
from django.http import QueryDict

from abonent.core.grid.declaration import Choice, Column, DateRange, ListSpec, NumberRange, Related, Search
from abonent.core.grid.state import list_state
from abonent.core.models import AuditEntry, Channel

ENTRIES = ListSpec(
    key="test-entries",
    title="Entries",
    model=AuditEntry,
    module="audit",
    url_namespace="core",
    columns=[
        Column("at", "When", sortable=True),
        Column("action", "Action", sortable=True),
        Column("channel", "Channel"),
        Column("actor", "Who"),
        Column("target", "Target", field="target_label", shown=False),
    ],
    filters=[
        Search("q", "Search", lookups=("action__icontains", "target_label__icontains")),
        Choice("channel", "Channel", choices=Channel.choices),
        Related("actor", "Who", queryset=lambda: get_user_model().objects.order_by("username"),
                label_of=lambda u: u.username, none_label="Nobody"),
        DateRange("at", "When"),
        NumberRange("id", "Number"),
    ],
    group_by=["channel", "actor"],
    default_sort="-at",
    page_size=5,
    count_cap=12,
)


def spec(**changes) -> ListSpec:
    """The test list with some declarations changed."""
    return dataclasses.replace(ENTRIES, **changes)


def state_of(query: str = "", *, user=None, list_spec: ListSpec = ENTRIES):
    return list_state(list_spec, QueryDict(query), user=user)
