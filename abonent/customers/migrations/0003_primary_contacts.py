"""Give every existing party a contact and bank account row for the phone, e-mail and IBAN it already carries."""

from django.db import migrations

BATCH = 2000


def copy_primary_contacts(apps, schema_editor):
    Party = apps.get_model("customers", "Party")
    ContactPoint = apps.get_model("customers", "ContactPoint")
    BankAccount = apps.get_model("customers", "BankAccount")
    contacts, accounts = [], []
    for party_id, phone, email, iban in Party.objects.values_list("id", "phone", "email", "iban").iterator(BATCH):
        if phone:
            contacts.append(ContactPoint(party_id=party_id, kind="phone", value=phone, is_primary=True))
        if email:
            contacts.append(ContactPoint(party_id=party_id, kind="email", value=email, is_primary=True))
        if iban:
            accounts.append(BankAccount(party_id=party_id, iban=iban, is_primary=True))
        if len(contacts) >= BATCH:
            ContactPoint.objects.bulk_create(contacts)
            contacts = []
        if len(accounts) >= BATCH:
            BankAccount.objects.bulk_create(accounts)
            accounts = []
    ContactPoint.objects.bulk_create(contacts)
    BankAccount.objects.bulk_create(accounts)


class Migration(migrations.Migration):

    dependencies = [("customers", "0002_record")]

    operations = [migrations.RunPython(copy_primary_contacts, migrations.RunPython.noop)]
