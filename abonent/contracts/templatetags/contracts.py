from django import template
from django.utils.translation import get_language

register = template.Library()

STATUS_BADGES = {"draft": "text-bg-secondary", "active": "text-bg-success", "suspended": "text-bg-warning",
                 "terminated": "text-bg-dark"}


@register.filter
def product_name(product) -> str:
    """The product's name in the user's language (English, else its code, when it has none)."""
    return product.name_in(get_language() or "en") if product else ""


@register.filter
def contract_badge(status: str) -> str:
    return STATUS_BADGES.get(status, "text-bg-light")
