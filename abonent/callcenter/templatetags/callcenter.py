from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from abonent.callcenter.lists import duration_text
from abonent.callcenter.selectors import campaigns_open

register = template.Library()


@register.simple_tag
def open_campaigns() -> list:
    """The campaigns agents are calling for now (the call queue's quick filters)."""
    return list(campaigns_open(today=timezone.localdate()).order_by("name")[:5])


@register.filter
def duration(seconds: int | None) -> str:
    """Seconds as minutes:seconds, 95 → 1:35."""
    return duration_text(seconds)


PRIORITY_BADGES = {1: "text-bg-light border", 2: "text-bg-secondary", 3: "text-bg-danger"}


@register.filter
def priority_badge(priority: int) -> str:
    return PRIORITY_BADGES.get(priority, "text-bg-light")


@register.filter
def cell(row, key: str) -> str:
    """A reference row's field as the administrators' table shows it."""
    value = str(row) if key == "__str__" else getattr(row, key)
    if isinstance(value, bool):
        return _("yes") if value else "—"
    return "—" if value in (None, "") else str(value)
