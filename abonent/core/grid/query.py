"""Run a list's state against the database: filters, keyset pages, capped counts and group counts.

Fast on millions of rows because: the page is found by comparing (sort value, id) with the boundary row
of the previous page, never by OFFSET; the total is counted only up to the list's cap ("more than
10,000") unless the user asks for the exact figure; group counts are one GROUP BY, run only when the
user groups, and over many rows they are estimated from a fixed-size sample ("≈ 12 000") unless the user
asks for exact counts.
"""

from __future__ import annotations

import functools
import json
import math
import operator
from dataclasses import dataclass, field
from typing import Any

from django.db import connections
from django.db.models import Count, F, Func, Q, QuerySet
from django.utils import formats

from abonent.core.grid.declaration import NONE, Choice, collation_key
from abonent.core.grid.state import AFTER, BEFORE, ListState, cursor_encode

GROUP_LIMIT = 200  # groups shown per level; a tree longer than this helps nobody
SAMPLE_WINDOWS = 100  # an estimate reads its sample as this many runs of consecutive ids, spread evenly
INTEGER_KEYS = ("AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField")


def count_text(n: int, *, estimated: bool = False) -> str:
    """A count as the tree shows it: "1,234", or "≈ 12,000" for an estimate."""
    text = formats.number_format(n, use_l10n=True, force_grouping=True)
    return f"≈\u00a0{text}" if estimated else text


@dataclass
class Group:
    value: str  # the filter's URL value
    label: str
    count: int
    query: str  # the list filtered to this group
    active: bool
    children: list[Group] = field(default_factory=list)
    estimated: bool = False  # the count is estimated from a sample (see group_counts)

    @property
    def shown(self) -> str:
        return count_text(self.count, estimated=self.estimated)


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
    groups_estimated: bool = False  # the group counts are estimates from a sample

    @property
    def groups_total_shown(self) -> str:
        return "" if self.groups_total is None else count_text(self.groups_total, estimated=self.groups_estimated)


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
    if state.spec.row_action is not None:
        fields.extend(state.spec.row_action.reads)
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

    groups, total, groups_cut, estimated = list_groups(state) if state.group else ([], None, False, False)
    grouped_filter_on = any(state.raw_filters.get(key) for key in state.group)
    if state.exact_count:
        count, more, exact = filtered.count(), False, True
    elif total is not None and not grouped_filter_on and not estimated:
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
        groups_total=total, groups_estimated=estimated,
    )


def count_capped(queryset: QuerySet, cap: int) -> tuple[int, bool]:
    """Count up to `cap` rows: (count, whether there are more). Bounded work however big the table."""
    n = queryset.order_by()[: cap + 1].count()
    return min(n, cap), n > cap


def list_groups(state: ListState) -> tuple[list[Group], int, bool, bool]:
    """The group tree with counts, its total, whether it was cut, and whether the counts are estimates.

    One GROUP BY over the filtered rows, leaving out the filters on the grouped fields themselves: the
    tree keeps every group while one of them is picked, so the user can click from group to group.
    """
    filters = [state.spec.filter(key) for key in state.group]
    assert all(isinstance(f, Choice) for f in filters)
    lookups = [f.lookup for f in filters]
    queryset = filtered_queryset(state, ignore=tuple(state.group))
    counts, estimated = group_counts(queryset, lookups, exact_limit=state.spec.group_exact_limit,
                                     sample=state.spec.group_sample, exact=state.exact_count)
    picked = [state.data.get(f.key) or [] for f in filters]

    rows = [([f.url_value(v) for f, v in zip(filters, values, strict=True)], n) for *values, n in counts]
    labels = [
        {**f.value_labels(sorted({urls[i] for urls, _n in rows} - {NONE})), **dict(state.choices[f.key])}
        for i, f in enumerate(filters)
    ]
    tree: dict[str, Group] = {}
    total, cut = 0.0, False
    for urls, n in rows:
        total += n
        top = tree.get(urls[0])
        if top is None:
            top = tree[urls[0]] = _group(state, filters[:1], urls[:1], picked, 0, labels[0])
        top.count += n
        if len(filters) == 2:
            top.children.append(_group(state, filters, urls, picked, n, labels[1]))

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
    if estimated:
        # Rounded only now, so that a group's estimate is its rows' estimate, not a sum of rounded ones.
        for group in [*groups, *(child for g in groups for child in g.children)]:
            group.count, group.estimated = about(group.count), True
        return groups, about(total), cut, True
    return groups, int(total), cut, False


def group_counts(queryset: QuerySet, lookups: list[str], *, exact_limit: int, sample: int,
                 exact: bool = False) -> tuple[list[tuple[Any, ...]], bool]:
    """The rows of each combination of the lookups' values: ([(*values, rows), ...], whether estimated).

    Exact when asked, and when the rows are few (at most `exact_limit`). Over more rows a GROUP BY would
    read them all, so the counts are estimated instead from a sample of about `sample` ids: SAMPLE_WINDOWS
    runs of consecutive ids spread evenly over the table, each read from the primary key index, whatever
    the table's size. The sample is the same on every request, so the estimates do not flicker; a group
    too small to be in the sample is missing from an estimated tree (the page says so). The estimated
    counts are floats, rounded by the caller.
    """

    def grouped(rows: QuerySet) -> list[tuple[Any, ...]]:
        # COUNT(*), not COUNT(id): an index holding the grouped fields then answers without the table.
        return list(rows.order_by().values_list(*lookups).annotate(n=Count("*")).order_by())

    windows = None if exact else _sample_windows(queryset, sample=sample, exact_limit=exact_limit)
    if windows is not None and (planned := _planned_rows(queryset)) is not None and planned <= exact_limit \
            and not count_capped(queryset, exact_limit)[1]:
        # The planner expected few rows, and counting up to the limit (bounded work) confirmed it: cheaper
        # than a sample that would then be thrown away.
        windows = None
    if windows is None:
        return grouped(queryset), False
    condition, fraction = windows
    if connections[queryset.db].vendor == "sqlite":
        # SQLite would walk a whole index on the grouped field (to save a sort), testing each row against
        # the id ranges: seconds on a million rows. Grouping by +field, which it cannot take from an index,
        # makes it read just the ranges from the primary key (its "MULTI-INDEX OR"): milliseconds.
        names = [f"_g{i}" for i in range(len(lookups))]
        plain = {name: _Unindexed(F(lookup)) for name, lookup in zip(names, lookups, strict=True)}
        sampled = list(queryset.filter(condition).order_by().values(**plain).annotate(n=Count("*")).order_by()
                       .values_list(*names, "n"))
    else:
        sampled = grouped(queryset.filter(condition))
    if sum(n for *_values, n in sampled) / fraction <= exact_limit:
        return grouped(queryset), False  # few rows pass the filters: counting them all is cheap
    return [(*values, n / fraction) for *values, n in sampled], True


def _planned_rows(queryset: QuerySet) -> float | None:
    """How many rows PostgreSQL's planner expects the queryset to give (planned, not run); None elsewhere."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return float(plan[0]["Plan"]["Plan Rows"])


def _sample_windows(queryset: QuerySet, *, sample: int, exact_limit: int) -> tuple[Q, float] | None:
    """The condition selecting the sample's ids and the share of all ids it covers; None: count exactly."""
    model = queryset.model
    if model._meta.pk.get_internal_type() not in INTEGER_KEYS:
        return None
    ids = model._base_manager.using(queryset.db).order_by("pk").values_list("pk", flat=True)
    low, high = ids.first(), ids.last()
    if low is None or high - low + 1 <= exact_limit:
        return None  # a table with no more ids than that holds no more rows
    span = high - low + 1
    windows = min(SAMPLE_WINDOWS, sample)
    width = max(1, sample // windows)
    if windows * width * 2 > span:
        return None
    step = span / windows
    starts = [low + int(step * i) for i in range(windows)]
    condition = functools.reduce(operator.or_, (Q(pk__gte=start, pk__lt=start + width) for start in starts))
    return condition, windows * width / span


class _Unindexed(Func):
    """The value itself, written +value: SQLite's planner then uses no index for it (see group_counts)."""

    template = "+%(expressions)s"


def about(n: float) -> int:
    """An estimate rounded to two significant digits: 569 874 → 570 000, 1 234 → 1 200, 37 → 37."""
    if n < 100:
        return max(1, round(n))  # a group seen in the sample has rows
    return int(round(n, 1 - int(math.log10(n))))


def _group(state: ListState, filters: list[Choice], urls: list[str], picked: list[list[str]], n: int,
           labels: dict[str, str]) -> Group:
    label = labels.get(urls[-1]) or ("—" if urls[-1] == NONE else urls[-1])
    return Group(
        value=urls[-1], label=label, count=n,
        query=state.query(filters={f.key: [u] for f, u in zip(filters, urls, strict=True)}),
        active=all(u in p for p, u in zip(picked, urls, strict=False)),
    )


def export_queryset(state: ListState) -> QuerySet:
    """Every row of the filtered list, in the list's order, for an export to iterate in chunks."""
    return ordered(state, list_queryset(state))
