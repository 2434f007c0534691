from decimal import Decimal

from django import template

from abonent.core.money import format_money

register = template.Library()


@register.filter
def money_or_dash(amount: Decimal | None, currency: str) -> str:
    """An amount with its currency, or a dash for nothing: columns of zeros hide what matters."""
    return format_money(amount, currency) if amount else "—"
