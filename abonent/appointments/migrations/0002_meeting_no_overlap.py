"""No two meetings of a rep overlap: an exclusion constraint, on PostgreSQL only.

SQLite has no exclusion constraints; there the booking transaction (BEGIN IMMEDIATE) serialises bookings and
checks for overlaps inside it. The constraint is kept out of the model's Meta so that SQLite's table rebuilds
never try to create it; this migration adds it (and the btree_gist extension it needs for `rep_id WITH =`)
when the database is PostgreSQL, and does nothing elsewhere.
"""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations


def _constraint():
    from django.contrib.postgres.constraints import ExclusionConstraint
    from django.contrib.postgres.fields import DateTimeRangeField, RangeOperators
    from django.db.models import Func, Q, Value

    class TsTzRange(Func):
        function = "TSTZRANGE"
        output_field = DateTimeRangeField()

    return ExclusionConstraint(
        name="meeting_no_overlap",
        expressions=[("rep", RangeOperators.EQUAL), (TsTzRange("start", "end", Value("[)")), RangeOperators.OVERLAPS)],
        condition=~Q(status="cancelled"),
    )


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.add_constraint(apps.get_model("appointments", "Meeting"), _constraint())


def remove_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.remove_constraint(apps.get_model("appointments", "Meeting"), _constraint())


class Migration(migrations.Migration):
    dependencies = [("appointments", "0001_initial")]

    operations = [
        BtreeGistExtension(),  # does nothing on a database other than PostgreSQL
        migrations.RunPython(add_constraint, remove_constraint),
    ]
