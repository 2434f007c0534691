"""Writes of the list engine: saved views and column layouts, each audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from abonent.core.models import Channel, Favourite, ListLayout, SavedView
from abonent.core.services import AbonentError, audit_record, changed_fields

NAME_LENGTH = SavedView._meta.get_field("name").max_length
QUERY_LENGTH = SavedView._meta.get_field("query").max_length


class SavedViewError(AbonentError):
    pass


def saved_view_save(
    *, by: Any, list_key: str, name: str, query: str, shared: bool, may_share: bool,
    channel: str = Channel.UI, now: dt.datetime | None = None,
) -> SavedView:
    """Save the list's current filters, sort, grouping and columns under a name; the same name replaces."""
    now = now or timezone.now()
    name = " ".join(name.split())
    if not name:
        raise SavedViewError(_("Give the view a name."))
    if len(name) > NAME_LENGTH:
        raise SavedViewError(_("A view's name may have at most %(n)d characters.") % {"n": NAME_LENGTH})
    if len(query) > QUERY_LENGTH:
        raise SavedViewError(_("This view has too many filters to be saved; remove some of them."))
    if shared and not may_share:
        raise SavedViewError(_("Only users who may change this module's data can share a view with everyone."))
    try:
        with transaction.atomic():
            view = SavedView.objects.select_for_update().filter(owner=by, list_key=list_key, name=name).first()
            if view is None:
                view = SavedView.objects.create(
                    owner=by, list_key=list_key, name=name, query=query, shared=shared, created_at=now,
                    updated_at=now,
                )
                changes = {"name": (None, name), "query": (None, query), "shared": (None, shared)}
                action = "abonent.core.saved_view.created"
            else:
                changes = changed_fields(view, {"query": query, "shared": shared})
                view.query, view.shared, view.updated_at = query, shared, now
                view.save(update_fields=("query", "shared", "updated_at"))
                action = "abonent.core.saved_view.changed"
            audit_record(actor=by, action=action, target=view, changes=changes, channel=channel, now=now)
    except IntegrityError:
        # Two saves of a new name at once: the other one made it; saving again replaces it.
        return saved_view_save(by=by, list_key=list_key, name=name, query=query, shared=shared,
                               may_share=may_share, channel=channel, now=now)
    return view


def saved_view_delete(
    *, by: Any, view: SavedView, url: str, channel: str = Channel.UI, now: dt.datetime | None = None,
) -> None:
    """Delete one's own view, and the favourites that pin it (`url` is the view's address)."""
    if view.owner_id != by.pk:
        raise SavedViewError(_("Only the person who saved a view can delete it."))
    with transaction.atomic():
        audit_record(
            actor=by, action="abonent.core.saved_view.deleted", target=view, channel=channel, now=now,
            changes={"name": (view.name, None), "query": (view.query, None), "shared": (view.shared, None)},
        )
        Favourite.objects.filter(url=url).delete()
        view.delete()


def list_layout_save(
    *, user: Any, list_key: str, columns: Sequence[str], channel: str = Channel.UI, now: dt.datetime | None = None,
) -> ListLayout:
    """Remember the columns a user wants to see in a list, in their order."""
    columns = list(columns)
    if not columns:
        raise AbonentError(_("Keep at least one column."))
    with transaction.atomic():
        layout, created = ListLayout.objects.select_for_update().get_or_create(
            user=user, list_key=list_key, defaults={"columns": columns}
        )
        old = None if created else layout.columns
        if old != columns:
            layout.columns = columns
            layout.save(update_fields=("columns",))
            audit_record(actor=user, action="abonent.core.list_layout.changed", target=layout,
                         changes={"columns": (old, columns)}, channel=channel, now=now)
    return layout


def list_layout_reset(*, user: Any, list_key: str, channel: str = Channel.UI, now: dt.datetime | None = None) -> None:
    """Go back to the list's default columns."""
    with transaction.atomic():
        layout = ListLayout.objects.select_for_update().filter(user=user, list_key=list_key).first()
        if layout is not None:
            audit_record(actor=user, action="abonent.core.list_layout.reset", target=layout,
                         changes={"columns": (layout.columns, None)}, channel=channel, now=now)
            layout.delete()
