import phonenumbers
from django import template

register = template.Library()


@register.filter
def phone(e164: str) -> str:
    """Show an E.164 number grouped the international way: +420 602 100 231."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
