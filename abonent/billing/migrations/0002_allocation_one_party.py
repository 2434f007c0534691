"""One payment never pays for two customers: the database refuses such an allocation itself.

Django has no foreign key spanning two columns, so a trigger compares the customer and the currency of the
payment and of the expected payment on every insert or update of an allocation (SQLite and PostgreSQL).
"""

from django.db import migrations

SQLITE = [
    """
    CREATE TRIGGER billing_allocation_one_party_{event} BEFORE {event} ON billing_allocation
    WHEN (SELECT party_id FROM billing_payment WHERE id = NEW.payment_id)
         IS NOT (SELECT party_id FROM billing_expectedpayment WHERE id = NEW.expected_payment_id)
      OR (SELECT currency FROM billing_payment WHERE id = NEW.payment_id)
         IS NOT (SELECT currency FROM billing_expectedpayment WHERE id = NEW.expected_payment_id)
    BEGIN
        SELECT RAISE(ABORT, 'allocation_one_party: payment and expected payment of two customers or currencies');
    END
    """.format(event=event)
    for event in ("INSERT", "UPDATE")
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS billing_allocation_one_party_INSERT",
               "DROP TRIGGER IF EXISTS billing_allocation_one_party_UPDATE"]

POSTGRES = [
    """
    CREATE FUNCTION billing_allocation_one_party() RETURNS trigger AS $$
    BEGIN
        IF (SELECT party_id FROM billing_payment WHERE id = NEW.payment_id)
             IS DISTINCT FROM (SELECT party_id FROM billing_expectedpayment WHERE id = NEW.expected_payment_id)
           OR (SELECT currency FROM billing_payment WHERE id = NEW.payment_id)
             IS DISTINCT FROM (SELECT currency FROM billing_expectedpayment WHERE id = NEW.expected_payment_id)
        THEN
            RAISE EXCEPTION 'allocation_one_party: payment and expected payment of two customers or currencies'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER billing_allocation_one_party BEFORE INSERT OR UPDATE ON billing_allocation
    FOR EACH ROW EXECUTE FUNCTION billing_allocation_one_party()
    """,
]
POSTGRES_DROP = ["DROP TRIGGER IF EXISTS billing_allocation_one_party ON billing_allocation",
                 "DROP FUNCTION IF EXISTS billing_allocation_one_party()"]


def _run(statements):
    def run(apps, schema_editor):
        chosen = statements.get(schema_editor.connection.vendor, [])
        for sql in chosen:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial")]

    operations = [
        migrations.RunPython(_run({"sqlite": SQLITE, "postgresql": POSTGRES}),
                             _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP})),
    ]
