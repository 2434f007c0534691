"""The check that one payment never pays for two customers runs once per statement on PostgreSQL.

Migration 0002 checked each allocation row by itself: four lookups a row, half a second for a statement of
ten thousand payments. The same rule now joins all the rows a statement inserted or changed (its transition
table) to their payments and items at once. SQLite keeps its row triggers (it has no transition tables, and
its lookups are cheap), made again here: migration 0003 rebuilt the table on SQLite, which drops them.
"""

from importlib import import_module

from django.db import migrations

CHECK = """
    CREATE FUNCTION billing_allocation_one_party_all() RETURNS trigger AS $$
    BEGIN
        IF EXISTS (
            SELECT 1 FROM changed_allocations a
            LEFT JOIN billing_payment p ON p.id = a.payment_id
            LEFT JOIN billing_expectedpayment e ON e.id = a.expected_payment_id
            WHERE p.id IS NULL OR e.id IS NULL
               OR p.party_id IS DISTINCT FROM e.party_id OR p.currency IS DISTINCT FROM e.currency
        ) THEN
            RAISE EXCEPTION 'allocation_one_party: payment and expected payment of two customers or currencies'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NULL;
    END;
    $$ LANGUAGE plpgsql
"""
POSTGRES = [
    "DROP TRIGGER IF EXISTS billing_allocation_one_party ON billing_allocation",
    "DROP FUNCTION IF EXISTS billing_allocation_one_party()",
    CHECK,
    *(f"""
    CREATE TRIGGER billing_allocation_one_party_{event.lower()} AFTER {event} ON billing_allocation
    REFERENCING NEW TABLE AS changed_allocations
    FOR EACH STATEMENT EXECUTE FUNCTION billing_allocation_one_party_all()
    """ for event in ("INSERT", "UPDATE")),
]
POSTGRES_BACK = [
    "DROP TRIGGER IF EXISTS billing_allocation_one_party_insert ON billing_allocation",
    "DROP TRIGGER IF EXISTS billing_allocation_one_party_update ON billing_allocation",
    "DROP FUNCTION IF EXISTS billing_allocation_one_party_all()",
]


def _previous():
    return import_module("abonent.billing.migrations.0002_allocation_one_party")


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": POSTGRES, "sqlite": [*_previous().SQLITE_DROP, *_previous().SQLITE]}
    for sql in statements.get(vendor, []):
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":  # migration 0002's row trigger again
        for sql in [*POSTGRES_BACK, *_previous().POSTGRES]:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("billing", "0003_redundant_key_indexes")]

    operations = [migrations.RunPython(forwards, backwards)]
