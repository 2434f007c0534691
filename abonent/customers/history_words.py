"""How other apps' history entries read on the customer's History tab ("Contract: activated").

    from abonent.customers.history_words import history_words_register
    history_words_register("contracts", nouns={"contract": _("Contract")}, verbs={"activated": _("activated")},
                           models={"contract": Contract})

An entry `abonent.<app>.<noun>.<verb>` is then shown as "Noun: verb", and its changed fields by the
model's field labels and choice names.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise


@dataclass(frozen=True)
class HistoryWords:
    nouns: dict[str, Promise | str]
    verbs: dict[str, Promise | str]
    models: dict[str, type[models.Model]]


HISTORY_WORDS: dict[str, HistoryWords] = {}


def history_words_register(app: str, *, nouns: dict, verbs: dict, models: dict | None = None) -> None:
    """Name an app's history entries; call it from the app's AppConfig.ready()."""
    HISTORY_WORDS[app] = HistoryWords(nouns=nouns, verbs=verbs, models=models or {})


def history_model(action: str) -> type[models.Model] | None:
    """The model whose fields an entry of another app changed, if that app registered it."""
    parts = action.split(".")
    words = HISTORY_WORDS.get(parts[1]) if len(parts) == 4 else None
    return words.models.get(parts[2]) if words else None
