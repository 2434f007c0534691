"""Run in a fresh process: take document numbers from the test database, each in its own transaction.

Kept apart from the test module so a spawned process can import it before Django is set up.
"""

from __future__ import annotations

import datetime as dt
import os


def take_numbers(database_name: str, series_pk: int, count: int) -> list[str]:
    """Set Django up on the test database `database_name` and take `count` numbers from a series."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "abonent.settings")
    os.environ["ABONENT_TESTING"] = "1"
    import django

    django.setup()
    from django.db import connection, transaction

    from abonent.core.models import DocumentSeries
    from abonent.core.services import series_next_number

    connection.settings_dict["NAME"] = database_name
    try:
        series = DocumentSeries.objects.get(pk=series_pk)
        numbers = []
        for _ in range(count):
            with transaction.atomic():
                numbers.append(series_next_number(series=series, on=dt.date(2026, 3, 15)))
        return numbers
    finally:
        connection.close()
