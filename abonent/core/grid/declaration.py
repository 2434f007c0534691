"""A list is declared, not programmed: its columns, filters, group-by fields and default sort."""

from __future__ import annotations

import dataclasses
import datetime as dt
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.db import connections, models
from django.db.models import Q, QuerySet
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from abonent.core.request_memo import request_memo

# The URL value that stands for "no value" in a choice filter: customers without a sales rep.
NONE = "none"

Label = str | Promise


def collation_key(text: str) -> str:
    """Sort people's words roughly as a dictionary does: "Česko" among the C's, not after "Z"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# --- columns ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of a list: a field of the row's model, shown as text and exported as a value."""

    key: str
    label: Label
    field: str = ""  # the model field; defaults to the key
    sortable: bool = False  # only on fields with an index on (field, id): the list pages by keyset on them
    shown: bool = True  # in the layout of a user who has not chosen columns
    display: Callable[[Any], str] | None = None  # the field's value -> the cell's text
    export: Callable[[Any], Any] | None = None  # the field's value -> the CSV/XLSX value
    css: str = ""
    load: tuple[str, ...] = ()  # for a foreign key: the related row's fields its text needs (fewer bytes read)
    link: Callable[[models.Model], str] | None = None  # the row -> the address the cell links to
    model_field: Any = dataclasses.field(default=None, compare=False, repr=False)  # set by ListSpec

    @property
    def attname(self) -> str:
        return self.field or self.key

    def value(self, row: models.Model) -> Any:
        return getattr(row, self.attname)

    def labels(self) -> dict[Any, str] | None:
        """The labels of a choice field in the current language; None for other fields."""
        if self.model_field is None or not self.model_field.choices:
            return None
        return {value: str(label) for value, label in self.model_field.flatchoices}

    def text(self, row: models.Model) -> str:
        """The cell's text, in the user's language and formats."""
        return self.formatter()(row)

    def formatter(self) -> Callable[[models.Model], str]:
        """The function giving a row's cell text; made once per page, so labels are looked up once."""
        attname, display, labels = self.attname, self.display, self.labels()
        if display is not None:
            return lambda row: display(getattr(row, attname))
        if labels is not None:
            return lambda row: "" if (v := getattr(row, attname)) is None else labels.get(v, str(v))

        def text(row: models.Model) -> str:
            value = getattr(row, attname)
            if value is None or value == "":
                return ""
            if isinstance(value, dt.datetime):
                return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
            if isinstance(value, dt.date):
                return formats.date_format(value, "SHORT_DATE_FORMAT")
            if isinstance(value, bool):
                return _("yes") if value else _("no")
            if isinstance(value, int | Decimal | float):
                return formats.number_format(value, use_l10n=True, force_grouping=True)
            return str(value)

        return text

    def exporter(self) -> Callable[[models.Model], Any]:
        """The function giving a row's export value: numbers and dates stay typed, codes become labels.

        Made once per export, so that labels and the time zone are looked up once, not once per row.
        """
        attname, export, labels = self.attname, self.export, self.labels()
        zone = timezone.get_current_timezone()
        if export is not None:
            return lambda row: export(getattr(row, attname))
        if labels is not None and self.display is None:
            return lambda row: None if (v := getattr(row, attname)) is None else labels.get(v, str(v))

        def value(row: models.Model) -> Any:
            v = getattr(row, attname)
            if v is None:
                return None
            if isinstance(v, models.Model) or labels is not None:
                return self.text(row)
            if isinstance(v, dt.datetime):
                # Spreadsheets know no time zones: the user's local time, as on the screen.
                return v.astimezone(zone).replace(tzinfo=None)
            return v

        return value


# --- filters ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filter:
    """A filter on one declared field; its values live in the URL under `params`."""

    key: str
    label: Label
    field: str = ""
    model_field: Any = dataclasses.field(default=None, compare=False, repr=False)  # set by ListSpec

    @property
    def lookup(self) -> str:
        return self.field or self.key

    @property
    def params(self) -> tuple[str, ...]:
        return (self.key,)

    def load_choices(self) -> list[tuple[str, str]]:
        return []

    def form_fields(self, choices: list[tuple[str, str]]) -> dict[str, forms.Field]:
        raise NotImplementedError

    def clean(self, form: forms.Form, data: dict[str, Any]) -> None:
        """Add errors that involve more than one of the filter's values."""

    def is_active(self, data: dict[str, Any]) -> bool:
        return any(data.get(p) not in (None, "", []) for p in self.params)

    def apply(self, queryset: QuerySet, data: dict[str, Any]) -> QuerySet:
        raise NotImplementedError

    def describe(self, data: dict[str, Any], choices: list[tuple[str, str]]) -> str:
        """The filter's value in words, for the filter chips and the printed report."""
        raise NotImplementedError


def _case_variants(term: str, lookup: str, queryset: QuerySet) -> set[str]:
    # SQLite's LIKE folds the case of ASCII letters only, so "ŘÍHA" would not find "Říha". Until a
    # normalised search column exists, try the spellings people type; PostgreSQL folds every letter.
    if not lookup.rsplit("__", 1)[-1].startswith("i") or term.isascii():
        return {term}
    if connections[queryset.db].vendor != "sqlite":
        return {term}
    return {term, term.lower(), term.upper(), term.title(), term.capitalize()}


@dataclass(frozen=True)
class Search(Filter):
    """Free text looked up in several fields at once, e.g. name__icontains and tax_id__startswith.

    A lookup may be a pair (lookup, transform): the transform prepares the term for that field (digits
    only for a phone number) and may return "" to skip it.
    """

    lookups: tuple[str | tuple[str, Callable[[str], str]], ...] = ()
    max_length: int = 100

    def form_fields(self, choices: list[tuple[str, str]]) -> dict[str, forms.Field]:
        return {self.key: forms.CharField(label=self.label, required=False, max_length=self.max_length)}

    def apply(self, queryset: QuerySet, data: dict[str, Any]) -> QuerySet:
        term = data.get(self.key) or ""
        if not term:
            return queryset
        condition = Q()
        for entry in self.lookups:
            lookup, transform = (entry, None) if isinstance(entry, str) else entry
            value = transform(term) if transform else term
            for variant in _case_variants(value, lookup, queryset) if value else ():
                condition |= Q(**{lookup: variant})
        return queryset.filter(condition) if condition else queryset.none()

    def describe(self, data: dict[str, Any], choices: list[tuple[str, str]]) -> str:
        return f"“{data[self.key]}”"


@dataclass(frozen=True)
class Choice(Filter):
    """Any of several values of a field; `none_label` adds a choice for rows without a value."""

    choices: Iterable[tuple[Any, Any]] | Callable[[], Iterable[tuple[Any, Any]]] = ()
    none_label: Label | None = None

    def load_choices(self) -> list[tuple[str, str]]:
        items = self.choices() if callable(self.choices) else self.choices
        loaded = [(str(value), str(label)) for value, label in items]
        if self.none_label is not None:
            loaded.append((NONE, str(self.none_label)))
        return loaded

    def form_fields(self, choices: list[tuple[str, str]]) -> dict[str, forms.Field]:
        return {self.key: forms.MultipleChoiceField(label=self.label, required=False, choices=choices)}

    def url_value(self, value: Any) -> str:
        """The URL value that selects rows whose field holds `value` (from a group count)."""
        if value is None or value == "":
            return NONE
        return str(value)

    def apply(self, queryset: QuerySet, data: dict[str, Any]) -> QuerySet:
        picked = data.get(self.key) or []
        if not picked:
            return queryset
        values = [self.model_field.to_python(v) if self.model_field else v for v in picked if v != NONE]
        condition = Q(**{f"{self.lookup}__in": values}) if values else Q(pk__in=[])
        if NONE in picked:
            condition |= Q(**{f"{self.lookup}__isnull": True})
            if isinstance(self.model_field, models.CharField | models.TextField):
                condition |= Q(**{self.lookup: ""})
        return queryset.filter(condition)

    def describe(self, data: dict[str, Any], choices: list[tuple[str, str]]) -> str:
        labels = dict(choices)
        return ", ".join(labels.get(v, v) for v in data[self.key])

    def value_labels(self, values: list[str]) -> dict[str, str]:
        """Labels for URL values missing from the choices (a Values filter has none); one call per tree."""
        return {}


@dataclass(frozen=True)
class Related(Choice):
    """Any of several related records (a sales rep, a queue); the choices come from `queryset`."""

    queryset: Callable[[], QuerySet] | None = None
    label_of: Callable[[Any], str] = str

    def load_choices(self) -> list[tuple[str, str]]:
        assert self.queryset is not None, f"Related filter {self.key} needs a queryset"
        # Lists share choice querysets (staff for the agent, the taker, the verifier): read once per request.
        records = request_memo(("grid.related", self.queryset), lambda: list(self.queryset()))
        loaded = [(str(obj.pk), self.label_of(obj)) for obj in records]
        if self.none_label is not None:
            loaded.append((NONE, str(self.none_label)))
        return loaded

    def apply(self, queryset: QuerySet, data: dict[str, Any]) -> QuerySet:
        picked = data.get(self.key) or []
        if not picked:
            return queryset
        condition = Q(**{f"{self.lookup}__in": [int(v) for v in picked if v != NONE]})
        if NONE in picked:
            condition |= Q(**{f"{self.lookup}__isnull": True})
        return queryset.filter(condition)


class _AnyValues(forms.MultipleChoiceField):
    """Values of a field with too many to list: each is checked by the model field, not against choices."""

    def __init__(self, *, check: Callable[[str], Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.check = check

    def valid_value(self, value: str) -> bool:
        try:
            self.check(value)
        except (forms.ValidationError, ValueError, TypeError):
            return False
        return len(value) <= 200


@dataclass(frozen=True)
class Values(Choice):
    """Any of the values of a field that has too many to offer as a menu (a day, a customer's name).

    It has no control in the filter bar: the group tree sets it (group by it) and a chip shows it.
    `label_values` turns the URL values of the groups shown into their text, in one call (a date in the
    user's format, a customer's name from an id).
    """

    label_values: Callable[[list[str]], dict[str, str]] | None = None

    def load_choices(self) -> list[tuple[str, str]]:
        return [(NONE, str(self.none_label))] if self.none_label is not None else []

    def _check_value(self, value: str) -> Any:
        if value == NONE and self.none_label is not None:
            return value
        return self.model_field.to_python(value) if self.model_field is not None else value

    def form_fields(self, choices: list[tuple[str, str]]) -> dict[str, forms.Field]:
        return {self.key: _AnyValues(label=self.label, required=False, check=self._check_value)}

    def url_value(self, value: Any) -> str:
        if isinstance(value, dt.date | dt.datetime):
            return value.isoformat()
        return super().url_value(value)

    def value_labels(self, values: list[str]) -> dict[str, str]:
        return self.label_values(values) if self.label_values is not None else {}

    def describe(self, data: dict[str, Any], choices: list[tuple[str, str]]) -> str:
        labels = {**dict(choices), **self.value_labels([v for v in data[self.key] if v != NONE])}
        return ", ".join(labels.get(v, v) for v in data[self.key])


@dataclass(frozen=True)
class DateRange(Filter):
    """From one day to another, both included; on a date-time field the days are the user's."""

    @property
    def params(self) -> tuple[str, ...]:
        return (f"{self.key}_from", f"{self.key}_to")

    def form_fields(self, choices: list[tuple[str, str]]) -> dict[str, forms.Field]:
        start, end = self.params
        widget = forms.DateInput(attrs={"type": "date"})
        return {
            start: forms.DateField(label=_("%(label)s from") % {"label": self.label}, required=False, widget=widget),
            end: forms.DateField(label=_("%(label)s to") % {"label": self.label}, required=False, widget=widget),
        }

    def clean(self, form: forms.Form, data: dict[str, Any]) -> None:
        start, end = (data.get(p) for p in self.params)
        if start and end and end < start:
            form.add_error(self.params[1], _("The last day must not come before the first day."))

    def _bound(self, day: dt.date) -> dt.date | dt.datetime:
        if isinstance(self.model_field, models.DateTimeField):
            return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
        return day

    def apply(self, queryset: QuerySet, data: dict[str, Any]) -> QuerySet:
        # Bounds on the column itself (not __date), so an index on it serves the filter.
        start, end = (data.get(p) for p in self.params)
        if start:
            queryset = queryset.filter(**{f"{self.lookup}__gte": self._bound(start)})
        if end:
            queryset = queryset.filter(**{f"{self.lookup}__lt": self._bound(end + dt.timedelta(days=1))})
        return queryset

    def describe(self, data: dict[str, Any], choices: list[tuple[str, str]]) -> str:
        start, end = (data.get(p) for p in self.params)
        shown = {"start": start and formats.date_format(start, "SHORT_DATE_FORMAT"),
                 "end": end and formats.date_format(end, "SHORT_DATE_FORMAT")}
        if start and end:
            return _("%(start)s – %(end)s") % shown
        if start:
            return _("from %(start)s") % shown
        return _("until %(end)s") % shown


@dataclass(frozen=True)
class NumberRange(Filter):
    """A number between a minimum and a maximum, both included."""

    @property
    def params(self) -> tuple[str, ...]:
        return (f"{self.key}_min", f"{self.key}_max")

    def form_fields(self, choices: list[tuple[str, str]]) -> dict[str, forms.Field]:
        low, high = self.params
        return {
            low: forms.DecimalField(label=_("%(label)s at least") % {"label": self.label}, required=False,
                                    max_digits=20, decimal_places=4),
            high: forms.DecimalField(label=_("%(label)s at most") % {"label": self.label}, required=False,
                                     max_digits=20, decimal_places=4),
        }

    def clean(self, form: forms.Form, data: dict[str, Any]) -> None:
        low, high = (data.get(p) for p in self.params)
        if low is not None and high is not None and high < low:
            form.add_error(self.params[1], _("The maximum must not be smaller than the minimum."))

    def apply(self, queryset: QuerySet, data: dict[str, Any]) -> QuerySet:
        low, high = (data.get(p) for p in self.params)
        if low is not None:
            queryset = queryset.filter(**{f"{self.lookup}__gte": low})
        if high is not None:
            queryset = queryset.filter(**{f"{self.lookup}__lte": high})
        return queryset

    def describe(self, data: dict[str, Any], choices: list[tuple[str, str]]) -> str:
        low, high = (data.get(p) for p in self.params)
        shown = {"low": low is not None and formats.number_format(low, use_l10n=True),
                 "high": high is not None and formats.number_format(high, use_l10n=True)}
        if low is not None and high is not None:
            return _("%(low)s – %(high)s") % shown
        if low is not None:
            return _("at least %(low)s") % shown
        return _("at most %(high)s") % shown


# --- the list --------------------------------------------------------------------------------------


def _model_field(model: type[models.Model], name: str) -> Any:
    try:
        return model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - a declaration may show a property; it is then neither sorted nor filtered
        return None


@dataclass(frozen=True)
class RowAction:
    """A button at the end of a row that posts to an address of the row, shown to users who may write.

    The view it posts to gets `back`, the list's address with its filters, to return to.
    """

    label: Label
    url: Callable[[models.Model], str | None]  # the row -> where the button posts; None: no button on this row
    title: Callable[[models.Model], str] | None = None  # the row -> the button's tooltip
    reads: tuple[str, ...] = ()  # the row's fields `url` and `title` use, read even when no column shows them


@dataclass
class ListSpec:
    """Everything the engine needs to know about one list; see docs/lists.md."""

    key: str  # names the list in saved views and column layouts: keep it stable
    title: Label
    model: type[models.Model]
    module: str  # the module whose rights guard the list
    url_namespace: str  # the app's namespace, whose list/export/report/... routes serve this list
    columns: Sequence[Column]
    filters: Sequence[Filter] = ()
    group_by: Sequence[str] = ()  # keys of Choice/Related filters: clicking a group sets that filter
    default_sort: str = "-pk"  # a sortable column key, "-" for descending
    queryset: Callable[[], QuerySet] | None = None
    page_size: int = 50
    count_cap: int = 10_000  # counting stops here: "more than 10,000"
    # Group counts are exact up to this many rows; above it they are estimated from a sample of
    # `group_sample` rows (ids spread over the table) and shown as "≈ 12 000", with "count exactly".
    group_exact_limit: int = 100_000
    group_sample: int = 50_000
    count_label: Callable[[int], str] | None = None  # "1 234 customers"
    export_name: str = ""
    empty_text: Label = gettext_lazy("Nothing here yet.")
    row_action: RowAction | None = None

    def __post_init__(self) -> None:
        self.columns = tuple(dataclasses.replace(c, model_field=_model_field(self.model, c.attname))
                             for c in self.columns)
        self.filters = tuple(dataclasses.replace(f, model_field=_model_field(self.model, f.lookup))
                             for f in self.filters)
        self._check()

    def _check(self) -> None:
        keys = [c.key for c in self.columns]
        assert len(set(keys)) == len(keys), f"{self.key}: two columns share a key"
        params = [p for f in self.filters for p in f.params]
        assert len(set(params)) == len(params), f"{self.key}: two filters share a URL parameter"
        for column in self.columns:
            if column.sortable:
                # Keyset paging compares (value, id); a NULL would drop out of every comparison.
                assert column.model_field is not None and column.model_field.concrete, column.key
                assert not column.model_field.null, f"{self.key}: {column.key} is sortable but nullable"
                assert not column.model_field.is_relation, f"{self.key}: sort {column.key} by a field of it"
        for key in self.group_by:
            declared = self.filter(key)
            assert isinstance(declared, Choice), f"{self.key}: group by {key} needs a choice filter"
            # A group of rows without a value must be clickable too.
            assert not getattr(declared.model_field, "null", False) or declared.none_label is not None, key
        assert self.sort_column(self.default_sort.lstrip("-")) is not None, f"{self.key}: bad default sort"

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)

    def sort_column(self, key: str) -> Column | None:
        if key == "pk":
            return Column("pk", "#", field="pk", sortable=True, model_field=self.model._meta.pk)
        column = self.column(key)
        return column if column is not None and column.sortable else None

    def filter(self, key: str) -> Filter | None:
        return next((f for f in self.filters if f.key == key), None)

    @property
    def default_columns(self) -> list[str]:
        return [c.key for c in self.columns if c.shown]

    def base_queryset(self) -> QuerySet:
        return self.queryset() if self.queryset is not None else self.model._default_manager.all()

    def describe_count(self, n: int) -> str:
        if self.count_label is not None:
            return self.count_label(n)
        return formats.number_format(n, use_l10n=True, force_grouping=True)
