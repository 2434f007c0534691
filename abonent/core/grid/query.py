"""Run a list's state against the database: filters, keyset pages, capped counts and group counts.

Fast on millions of rows because: the page is found by comparing (sort value, id) with the boundary row
of the previous page, never by OFFSET; the total is counted only up to the list's cap ("more than
10,000") unless the user asks for the exact figure; group counts are one GROUP BY, run only when the
user groups.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from abonent.core.grid.declaration import NONE, Choice, collation_key
from abonent.core.grid.state import AFTER, BEFORE, ListState, cursor_encode

GROUP_LIMIT = 200  # groups shown per level; a tree longer than this helps nobody


@dataclass
class Group:
    value: str  # the filter's URL value
    label: str
    count: int
    query: str  # the list filtered to this group
    active: bool
    children: list[Group] = field(default_factory=list)


@dataclass
class Page:
    rows: list[Any]
    has_next: bool
    has_previous: bool
    next_query: str | None
    previous_query: str | None
    count: int
    count_more: bool  # the count stopped at the cap: there are more rows than `count`
    count_exact: bool
    groups: list[Group]
    groups_cut: bool  # some groups are left out of the tree (more than GROUP_LIMIT)
    groups_total: int | None  # the rows in all groups together


def filtered_queryset(state: ListState, *, ignore: tuple[str, ...] = ()) -> QuerySet:
    """The rows the filters (but those named in `ignore`) let through, unordered."""
    queryset = state.spec.base_queryset()
    for declared in state.spec.filters:
        if declared.key not in ignore and declared.is_active(state.data):
            queryset = declared.apply(queryset, state.data)
    return queryset


def list_queryset(state: ListState) -> QuerySet:
    """The filtered rows, unordered, reading just what the visible columns show (related rows joined)."""
    queryset = filtered_queryset(state)
    related = [c.attname for c in state.columns if c.model_field is not None and c.model_field.many_to_one]
    if related:
        queryset = queryset.select_related(*related)
    fields = _fields_shown(state)
    return queryset.only(*fields) if fields else queryset


def _fields_shown(state: ListState) -> list[str] | None:
    """The fields the visible columns read, so that a wide table is not read whole; None: read it all."""
    fields = [state.sort_column.attname] if state.sort_column.attname != "pk" else []
    for column in state.columns:
        if column.model_field is None or not column.model_field.concrete:
            return None  # a computed column may read any field
        fields.append(column.attname)
        fields.extend(f"{column.attname}__{name}" for name in column.load)
    return list(dict.fromkeys(fields))


def ordered(state: ListState, queryset: QuerySet, *, reverse: bool = False) -> QuerySet:
    """The list's order: the sort column, then id to break ties, so that every row has one place."""
    descending = state.descending != reverse
    sign = "-" if descending else ""
    return queryset.order_by(f"{sign}{state.sort_column.attname}", f"{sign}pk")


def _beyond(state: ListState, value: Any, pk: Any, *, forward: bool) -> Q:
    # (field, id) > (value, pk), written so that the leading `field >= value` uses the (field, id) index.
    name = state.sort_column.attname
    if forward != state.descending:
        return Q(**{f"{name}__gte": value}) & (Q(**{f"{name}__gt": value}) | Q(pk__gt=pk))
    return Q(**{f"{name}__lte": value}) & (Q(**{f"{name}__lt": value}) | Q(pk__lt=pk))


def _token(state: ListState, row: Any) -> str:
    return cursor_encode(state.sort_column.value(row), row.pk)


def list_page(state: ListState) -> Page:
    """One page of the list, the links to its neighbours, its count and, when grouped, the group tree."""
    size = state.spec.page_size
    queryset = list_queryset(state)
    filtered = filtered_queryset(state)
    cursor = state.cursor
    if cursor is None:
        rows = list(ordered(state, queryset)[: size + 1])
        has_next, has_previous = len(rows) > size, False
        rows = rows[:size]
    elif cursor.forward:
        rows = list(ordered(state, queryset).filter(_beyond(state, cursor.value, cursor.pk, forward=True))[: size + 1])
        has_next, has_previous = len(rows) > size, True
        rows = rows[:size]
    else:
        rows = list(
            ordered(state, queryset, reverse=True).filter(_beyond(state, cursor.value, cursor.pk, forward=False))
            [: size + 1]
        )
        has_next, has_previous = True, len(rows) > size
        rows = rows[:size][::-1]

    groups, total, groups_cut = list_groups(state) if state.group else ([], None, False)
    grouped_filter_on = any(state.raw_filters.get(key) for key in state.group)
    if state.exact_count:
        count, more, exact = filtered.count(), False, True
    elif total is not None and not grouped_filter_on:
        count, more, exact = total, False, True
    elif cursor is None and not has_next:
        count, more, exact = len(rows), False, True
    else:
        count, more = count_capped(filtered, state.spec.count_cap)
        exact = not more
    return Page(
        rows=rows, has_next=has_next and bool(rows), has_previous=has_previous and bool(rows),
        next_query=state.query(cursor=(AFTER, _token(state, rows[-1])), count=True) if rows else None,
        previous_query=state.query(cursor=(BEFORE, _token(state, rows[0])), count=True) if rows else None,
        count=count, count_more=more, count_exact=exact, groups=groups, groups_cut=groups_cut,
        groups_total=total,
    )


def count_capped(queryset: QuerySet, cap: int) -> tuple[int, bool]:
    """Count up to `cap` rows: (count, whether there are more). Bounded work however big the table."""
    n = queryset.order_by()[: cap + 1].count()
    return min(n, cap), n > cap


def list_groups(state: ListState) -> tuple[list[Group], int, bool]:
    """The group tree with counts, its total, and whether it was cut.

    One GROUP BY over the filtered rows, leaving out the filters on the grouped fields themselves: the
    tree keeps every group while one of them is picked, so the user can click from group to group.
    """
    filters = [state.spec.filter(key) for key in state.group]
    assert all(isinstance(f, Choice) for f in filters)
    lookups = [f.lookup for f in filters]
    queryset = filtered_queryset(state, ignore=tuple(state.group))
    counts = queryset.order_by().values_list(*lookups).annotate(n=Count("pk")).order_by()
    picked = [state.data.get(f.key) or [] for f in filters]

    tree: dict[str, Group] = {}
    total, cut = 0, False
    for *values, n in counts:
        total += n
        urls = [f.url_value(v) for f, v in zip(filters, values, strict=True)]
        top = tree.get(urls[0])
        if top is None:
            top = tree[urls[0]] = _group(state, filters[:1], urls[:1], picked, 0)
        top.count += n
        if len(filters) == 2:
            top.children.append(_group(state, filters, urls, picked, n))

    def position(choices: list[tuple[str, str]], group: Group) -> tuple[int, str]:
        order = {value: i for i, (value, _label) in enumerate(choices)}
        return order.get(group.value, len(order)), collation_key(group.label)

    groups = sorted(tree.values(), key=lambda g: position(state.choices[filters[0].key], g))
    if len(groups) > GROUP_LIMIT:
        groups, cut = groups[:GROUP_LIMIT], True
    for group in groups:
        group.children.sort(key=lambda g: position(state.choices[filters[1].key], g))
        if len(group.children) > GROUP_LIMIT:
            group.children, cut = group.children[:GROUP_LIMIT], True
    return groups, total, cut


def _group(state: ListState, filters: list[Choice], urls: list[str], picked: list[list[str]], n: int) -> Group:
    leaf = filters[-1]
    label = dict(state.choices[leaf.key]).get(urls[-1]) or ("—" if urls[-1] == NONE else urls[-1])
    return Group(
        value=urls[-1], label=label, count=n,
        query=state.query(filters={f.key: [u] for f, u in zip(filters, urls, strict=True)}),
        active=all(u in p for p, u in zip(picked, urls, strict=False)),
    )


def export_queryset(state: ListState) -> QuerySet:
    """Every row of the filtered list, in the list's order, for an export to iterate in chunks."""
    return ordered(state, list_queryset(state))
