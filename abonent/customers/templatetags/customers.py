import phonenumbers
from django import template
from django.utils.translation import gettext_lazy as _

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


@register.filter
def country_name(code: str) -> str:
    """The country's name in the user's language: CZ → Czechia, Česko, Czechy, ..."""
    if not code:
        return ""
    from babel import Locale, UnknownLocaleError
    from django.utils.translation import get_language

    try:
        return Locale.parse(get_language() or "en").territories.get(code.upper(), code)
    except (UnknownLocaleError, ValueError):
        return code


STAGE_BADGES = {"prospect": "text-bg-light border", "lead": "text-bg-info", "customer": "text-bg-success",
                "former": "text-bg-secondary"}


@register.filter
def stage_badge(stage: str) -> str:
    """The Bootstrap badge classes of a lifecycle stage."""
    return STAGE_BADGES.get(stage, "text-bg-light")


@register.filter
def iban(value: str) -> str:
    """An IBAN in groups of four, as printed on statements."""
    return " ".join(value[i:i + 4] for i in range(0, len(value or ""), 4))


_NOUNS = {
    "party": _("Customer"), "contact": _("Contact"), "address": _("Address"), "bank_account": _("Bank account"),
    "note": _("Note"), "task": _("Task"),
}
_VERBS = {
    "created": _("created"), "changed": _("changed"), "added": _("added"), "removed": _("removed"),
    "moved": _("moved here from a merged duplicate"), "done": _("done"), "reopened": _("opened again"),
    "stage_changed": _("stage changed"), "tags_changed": _("tags changed"), "merged": _("a duplicate merged in"),
    "merged_into": _("merged into another customer"),
}


@register.filter
def history_action(action: str) -> str:
    """abonent.customers.contact.added → "Contact added"; other apps' codes are shown as they are."""
    parts = action.split(".")
    if len(parts) == 4 and parts[1] == "customers" and parts[2] in _NOUNS and parts[3] in _VERBS:
        return f"{_NOUNS[parts[2]]}: {_VERBS[parts[3]]}"
    return action


@register.filter
def note_html(body: str) -> str:
    """A note's stored HTML, cleaned again on the way out in case a row was written around the services."""
    from django.utils.safestring import mark_safe

    from abonent.customers.activity_services import note_sanitise

    return mark_safe(note_sanitise(body or ""))  # noqa: S308 - nh3 leaves only NOTE_TAGS
