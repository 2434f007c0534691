"""Every UI string is translated into each language the back office speaks."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

LOCALE = Path(settings.LOCALE_PATHS[0])
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != "en"]


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    missing = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not missing, f"untranslated in {language}: {missing}"
    assert not fuzzy, f"fuzzy in {language}: {fuzzy}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_placeholders_survive_translation(language):
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    placeholder = re.compile(r"%\(\w+\)s|\{\{ ?\w+ ?\}\}")
    for entry in catalogue.translated_entries():
        wanted = sorted(placeholder.findall(entry.msgid_plural or entry.msgid))
        for translation_ in entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]:
            assert sorted(placeholder.findall(translation_)) == wanted, (entry.msgid, translation_)


@pytest.mark.parametrize(
    ("language", "expected"),
    [("cs", "Přihlásit se"), ("pl", "Zaloguj się"), ("ro", "Autentificare"), ("ru", "Войти"), ("en", "Sign in")],
)
def test_the_compiled_catalogues_are_used(language, expected):
    with translation.override(language):
        assert translation.gettext("Sign in") == expected


def test_one_english_word_with_two_meanings_gets_the_right_one_in_each_place():
    from abonent.appointments.lists import MEETINGS
    from abonent.banking.lists import BANK_LINES
    from abonent.billing.models import ItemStatus
    from abonent.callcenter.models import RequestStatus

    def label(spec, key):
        return str(next(c.label for c in spec.columns if c.key == key))

    with translation.override("cs"):
        assert (label(MEETINGS, "created"), label(BANK_LINES, "booked")) == ("Domluveno", "Zaúčtováno")
    with translation.override("ru"):
        # a payment is masculine, a request feminine
        assert (str(ItemStatus.CANCELLED.label), str(RequestStatus.ALLOCATED.label)) == ("Отменён", "Распределена")
