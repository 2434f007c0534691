import datetime as dt
from decimal import Decimal

from django import template
from django.utils import timezone

from abonent.core.money import format_money, format_number

register = template.Library()


@register.filter
def money(amount: Decimal | None, currency: str) -> str:
    """{{ amount|money:"CZK" }} in the user's locale."""
    if amount in (None, ""):
        return ""
    return format_money(Decimal(amount), currency)


@register.filter
def number(value) -> str:
    if value in (None, ""):
        return ""
    return format_number(value)


@register.filter
def bootstrap(field):
    """Render a form field's widget with Bootstrap's classes, marked invalid when it has errors."""
    css = "form-select" if field.widget_type in {"select", "selectmultiple"} else "form-control"
    if field.errors:
        css += " is-invalid"
    attrs = {"class": css}
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.filter
def add_days(day: dt.date, days: int) -> dt.date:
    return day + dt.timedelta(days=int(days))


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key, key)


@register.filter
def series_example(series) -> str:
    """The number the series would give next, for a document dated today."""
    today = timezone.localdate()
    year = today.year if series.reset_yearly else 0
    counter = next((c for c in series.counters.all() if c.year == year), None)
    return series.format(number=counter.next_number if counter else 1, year=today.year)
