import datetime as dt

import pytest
import time_machine

from abonent.core.grid.selectors import list_layout_columns, saved_view_get, saved_view_list
from abonent.core.grid.services import (
    SavedViewError,
    list_layout_reset,
    list_layout_save,
    saved_view_delete,
    saved_view_save,
)
from abonent.core.models import AuditEntry, Favourite, SavedView
from abonent.core.services import AbonentError, favourite_toggle

NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


def save(user, name="Open leads", query="stage=lead", shared=False, may_share=True, **kwargs):
    return saved_view_save(by=user, list_key="customers", name=name, query=query, shared=shared,
                           may_share=may_share, now=NOW, **kwargs)


def test_saving_a_view_keeps_its_query_and_audits_it(make_user):
    user = make_user()

    view = save(user, name="  Open   leads ")

    assert (view.name, view.query, view.shared, view.created_at) == ("Open leads", "stage=lead", False, NOW)
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.changes["query"]) == (
        "abonent.core.saved_view.created", user, [None, "stage=lead"])


def test_saving_again_under_the_same_name_replaces_the_view(make_user):
    user = make_user()
    first = save(user)

    with time_machine.travel(NOW + dt.timedelta(days=1)):
        second = saved_view_save(by=user, list_key="customers", name="Open leads", query="stage=lead&country=CZ",
                                 shared=True, may_share=True)

    assert second.pk == first.pk
    assert SavedView.objects.get().query == "stage=lead&country=CZ"
    changed = AuditEntry.objects.get(action="abonent.core.saved_view.changed")
    assert changed.changes == {"query": ["stage=lead", "stage=lead&country=CZ"], "shared": [False, True]}


def test_the_same_name_in_another_list_or_of_another_user_is_another_view(make_user):
    user, other = make_user(), make_user()

    save(user), save(other), saved_view_save(by=user, list_key="calls", name="Open leads", query="", shared=False,
                                             may_share=False)

    assert SavedView.objects.count() == 3


@pytest.mark.parametrize(("name", "message"), [
    ("   ", "Give the view a name."),
    ("x" * 81, "A view's name may have at most 80 characters."),
])
def test_a_view_needs_a_sensible_name(make_user, name, message):
    with pytest.raises(SavedViewError, match=message):
        save(make_user(), name=name)


def test_only_a_user_who_may_write_shares_a_view(make_user):
    with pytest.raises(SavedViewError, match="Only users who may change"):
        save(make_user(), shared=True, may_share=False)
    assert not SavedView.objects.exists()


def test_a_user_sees_their_own_views_and_shared_ones_only(make_user):
    me, colleague = make_user(), make_user()
    mine = save(me, name="Mine")
    shared = save(colleague, name="Team", shared=True)
    private = save(colleague, name="Private")

    assert saved_view_list(user=me, list_key="customers") == [mine, shared]
    assert saved_view_get(user=me, list_key="customers", pk=private.pk) is None
    assert saved_view_get(user=me, list_key="customers", pk=shared.pk) == shared
    assert saved_view_get(user=me, list_key="calls", pk=shared.pk) is None
    assert saved_view_get(user=me, list_key="customers", pk="x") is None


def test_deleting_a_view_removes_the_favourites_that_pin_it(make_user):
    owner, colleague = make_user(), make_user()
    view = save(owner, shared=True)
    url = f"/customers/?view={view.pk}"
    favourite_toggle(user=owner, url=url, title=view.name)
    favourite_toggle(user=colleague, url=url, title=view.name)
    favourite_toggle(user=colleague, url="/customers/", title="Customers")

    saved_view_delete(by=owner, view=view, url=url)

    assert not SavedView.objects.exists()
    assert list(Favourite.objects.values_list("url", flat=True)) == ["/customers/"]
    assert AuditEntry.objects.filter(action="abonent.core.saved_view.deleted").count() == 1


def test_only_the_owner_deletes_a_view(make_user):
    view = save(make_user(), shared=True)

    with pytest.raises(SavedViewError, match="Only the person who saved a view can delete it."):
        saved_view_delete(by=make_user(), view=view, url="/customers/?view=1")
    assert SavedView.objects.exists()


def test_a_users_columns_are_remembered_per_list_and_audited(make_user):
    user, other = make_user(), make_user()

    list_layout_save(user=user, list_key="customers", columns=["name", "phone"])
    list_layout_save(user=user, list_key="customers", columns=["phone", "name"])
    list_layout_save(user=user, list_key="customers", columns=["phone", "name"])

    assert list_layout_columns(user=user, list_key="customers") == ["phone", "name"]
    assert list_layout_columns(user=user, list_key="calls") is None
    assert list_layout_columns(user=other, list_key="customers") is None
    assert AuditEntry.objects.filter(action="abonent.core.list_layout.changed").count() == 2


def test_a_layout_keeps_at_least_one_column(make_user):
    with pytest.raises(AbonentError, match="Keep at least one column."):
        list_layout_save(user=make_user(), list_key="customers", columns=[])


def test_resetting_the_columns_forgets_the_users_choice(make_user):
    user = make_user()
    list_layout_save(user=user, list_key="customers", columns=["name"])

    list_layout_reset(user=user, list_key="customers")
    list_layout_reset(user=user, list_key="customers")

    assert list_layout_columns(user=user, list_key="customers") is None
    assert AuditEntry.objects.filter(action="abonent.core.list_layout.reset").count() == 1
