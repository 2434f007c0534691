"""Start of a row-checking helper process.

Loaded by the new interpreter before Django is set up, so it imports no model (see `parallel`).
"""

import os


def django_setup() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "abonent.settings")
    django.setup()
