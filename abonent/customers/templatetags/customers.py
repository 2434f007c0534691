import phonenumbers
from django import template
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from abonent.customers.history_words import HISTORY_WORDS

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
    "note": _("Note"), "task": _("Task"), "attribute": _("Attribute"), "placement": _("Hierarchy"),
}
# "Customer: created" reads as a noun and what happened to it; the context keeps these apart from labels.
_VERBS = {
    "created": pgettext_lazy("history", "created"), "changed": pgettext_lazy("history", "changed"),
    "added": pgettext_lazy("history", "added"), "removed": pgettext_lazy("history", "removed"),
    "moved": pgettext_lazy("history", "moved here from a merged duplicate"),
    "done": pgettext_lazy("history", "done"), "reopened": pgettext_lazy("history", "opened again"),
    "stage_changed": pgettext_lazy("history", "stage changed"),
    "tags_changed": pgettext_lazy("history", "tags changed"),
    "merged": pgettext_lazy("history", "a duplicate merged in"),
    "merged_into": pgettext_lazy("history", "merged into another customer"),
    "set": pgettext_lazy("history", "value set"), "cleared": pgettext_lazy("history", "value ended"),
    "placed": pgettext_lazy("history", "placed in a node"),
}


@register.filter
def history_action(action: str) -> str:
    """abonent.customers.contact.added → "Contact added"; other apps' codes are shown as they are."""
    parts = action.split(".")
    if len(parts) == 4 and parts[1] == "customers" and parts[2] in _NOUNS and parts[3] in _VERBS:
        return f"{_NOUNS[parts[2]]}: {_VERBS[parts[3]]}"
    words = HISTORY_WORDS.get(parts[1]) if len(parts) == 4 else None
    if words is not None and parts[2] in words.nouns and parts[3] in words.verbs:
        return f"{words.nouns[parts[2]]}: {words.verbs[parts[3]]}"
    return action


@register.filter
def note_html(body: str) -> str:
    """A note's stored HTML, cleaned again on the way out in case a row was written around the services."""
    from django.utils.safestring import mark_safe

    from abonent.customers.activity_services import note_sanitise

    return mark_safe(note_sanitise(body or ""))  # noqa: S308 - nh3 leaves only NOTE_TAGS
