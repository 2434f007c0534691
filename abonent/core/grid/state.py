"""What a list's URL asks for (filters, sort, grouping, columns, page), checked against its declaration."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext as _

from abonent.core.grid.declaration import Choice, Column, ListSpec
from abonent.core.grid.selectors import list_layout_columns, saved_view_get
from abonent.core.models import SavedView

SORT, GROUP, COLS, AFTER, BEFORE, COUNT, VIEW = "sort", "group", "cols", "after", "before", "count", "view"
MAX_GROUP_LEVELS = 2


# --- keyset cursors --------------------------------------------------------------------------------


def cursor_encode(value: Any, pk: Any) -> str:
    """An opaque page token holding the sort value and id of a boundary row."""
    if isinstance(value, dt.date | dt.datetime | dt.time):
        value = value.isoformat()
    elif isinstance(value, Decimal):
        value = str(value)
    raw = json.dumps([value, pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def cursor_decode(token: str, *, column: Column, pk_field: Any) -> tuple[Any, Any]:
    """Return (sort value, id) from a token; ValueError when it is not one of ours."""
    try:
        value, pk = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        return column.model_field.to_python(value), pk_field.to_python(pk)
    except (binascii.Error, ValueError, TypeError, ValidationError) as error:
        raise ValueError(token) from error


@dataclass(frozen=True)
class Cursor:
    value: Any
    pk: Any
    forward: bool  # the rows after the boundary row (next page) or before it (previous page)
    token: str


# --- filters form ----------------------------------------------------------------------------------


class FilterForm(forms.Form):
    """The declared filters as one form; its errors are shown above the list, never a 500."""

    def __init__(self, data: QueryDict, *, spec: ListSpec, choices: dict[str, list[tuple[str, str]]]) -> None:
        super().__init__(data)
        self.spec = spec
        for declared in spec.filters:
            self.fields.update(declared.form_fields(choices.get(declared.key, [])))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for declared in self.spec.filters:
            declared.clean(self, data)
        return data


# --- the state -------------------------------------------------------------------------------------


_KEEP: Any = object()


@dataclass
class ListState:
    """A list as one request asks to see it."""

    spec: ListSpec
    form: FilterForm
    choices: dict[str, list[tuple[str, str]]]
    raw_filters: dict[str, list[str]]  # as typed, so a link keeps even a value that needs fixing
    sort: str  # "name" or "-name"
    group: list[str]
    columns: list[Column]
    columns_from_url: bool
    cursor: Cursor | None
    exact_count: bool
    view: SavedView | None
    notices: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return self.form.is_valid()

    @property
    def data(self) -> dict[str, Any]:
        return self.form.cleaned_data if self.valid else {}

    @property
    def sort_column(self) -> Column:
        column = self.spec.sort_column(self.sort.lstrip("-"))
        assert column is not None
        return column

    @property
    def descending(self) -> bool:
        return self.sort.startswith("-")

    @property
    def filtered(self) -> bool:
        return any(self.raw_filters.values())

    def query(
        self, *, filters: dict[str, list[str]] | None = None, sort: Any = _KEEP, group: Any = _KEEP,
        cols: Any = _KEEP, view: Any = _KEEP, cursor: tuple[str, str] | None = None, count: bool = False,
    ) -> str:
        """The query string of this state with some parts changed; a page cursor is never kept."""
        raw = dict(self.raw_filters)
        raw.update(filters or {})
        pairs: list[tuple[str, str]] = [(p, v) for p, values in raw.items() for v in values if v != ""]
        sort = self.sort if sort is _KEEP else sort
        if sort and sort != self.spec.default_sort:
            pairs.append((SORT, sort))
        pairs.extend((GROUP, g) for g in (self.group if group is _KEEP else group))
        if cols is _KEEP:
            cols = [c.key for c in self.columns] if self.columns_from_url else None
        if cols:
            pairs.append((COLS, ",".join(cols)))
        view = (self.view.pk if self.view else None) if view is _KEEP else view
        if view:
            pairs.append((VIEW, str(view)))
        if cursor:
            pairs.append(cursor)
        if count and self.exact_count:
            pairs.append((COUNT, "exact"))
        query = QueryDict(mutable=True)
        for key, value in pairs:
            query.appendlist(key, value)
        return query.urlencode()

    def saved_query(self) -> str:
        """What a saved view keeps: filters, sort, grouping and the columns on screen."""
        return self.query(cols=[c.key for c in self.columns], view=None)


def list_state(spec: ListSpec, params: QueryDict, *, user: Any) -> ListState:
    """Read a list's state from its URL; what cannot be honoured is said in `notices`."""
    notices: list[str] = []
    view = None
    if params.get(VIEW):
        view = saved_view_get(user=user, list_key=spec.key, pk=params[VIEW])
        if view is None:
            notices.append(_("This saved view no longer exists or is not shared with you."))
        elif set(params) == {VIEW}:
            # The view's own address (as pinned to favourites) opens it as it was saved.
            params = QueryDict(view.query, mutable=True)
            params[VIEW] = str(view.pk)
    choices = {f.key: f.load_choices() for f in spec.filters if isinstance(f, Choice)}
    filter_params = [p for f in spec.filters for p in f.params]
    form = FilterForm(_subset(params, filter_params), spec=spec, choices=choices)
    raw_filters = {p: [v.strip() for v in params.getlist(p) if v.strip()] for p in filter_params}

    sort = params.get(SORT) or spec.default_sort
    if spec.sort_column(sort.lstrip("-")) is None:
        notices.append(_("The list cannot be sorted by “%(key)s”; it is in its usual order.") % {"key": sort})
        sort = spec.default_sort

    group: list[str] = []
    for key in dict.fromkeys(k for k in params.getlist(GROUP) if k):
        if key not in spec.group_by:
            notices.append(_("The list cannot be grouped by “%(key)s”.") % {"key": key})
        elif len(group) < MAX_GROUP_LEVELS:
            group.append(key)
        else:
            notices.append(_("The list is grouped by two fields at most."))

    columns_from_url = COLS in params
    keys = [k for k in params.get(COLS, "").split(",") if k] if columns_from_url else None
    if keys is None:
        keys = list_layout_columns(user=user, list_key=spec.key) or spec.default_columns
    columns = [c for k in dict.fromkeys(keys) if (c := spec.column(k)) is not None]
    if len(columns) < len(keys) and columns_from_url:
        notices.append(_("Some of the columns asked for do not exist; they are left out."))
    if not columns:
        columns = [c for k in spec.default_columns if (c := spec.column(k)) is not None]

    cursor = None
    for name, forward in ((AFTER, True), (BEFORE, False)):
        token = params.get(name)
        if token:
            column = spec.sort_column(sort.lstrip("-"))
            try:
                value, pk = cursor_decode(token, column=column, pk_field=spec.model._meta.pk)
                cursor = Cursor(value=value, pk=pk, forward=forward, token=token)
            except ValueError:
                notices.append(_("That page link is out of date; here is the first page."))
            break

    return ListState(
        spec=spec, form=form, choices=choices, raw_filters=raw_filters, sort=sort, group=group, columns=columns,
        columns_from_url=columns_from_url, cursor=cursor, exact_count=params.get(COUNT) == "exact", view=view,
        notices=notices,
    )


def _subset(params: QueryDict, names: list[str]) -> QueryDict:
    subset = QueryDict(mutable=True)
    for name in names:
        values = [v.strip() for v in params.getlist(name) if v.strip()]
        if values:
            subset.setlist(name, values)
    return subset
