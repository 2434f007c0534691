"""Each real export in ../shared/data/crm_exports/, imported end to end with its automatic mapping."""

import pytest

from abonent.core.models import AuditEntry
from abonent.customers.models import Address, ContactPoint, Note, Party, Tag
from abonent.imports.services import ImportRefused, job_configure, job_create
from abonent.imports.tests.factories import CRM_EXPORTS, NOW, imported, rows_of


def reasons(job) -> list[str]:
    return [reason for _status, errors in rows_of(job).values() for reason in errors]


def test_odoo_companies_and_their_contacts_land_with_addresses(db, make_user):
    job = imported(CRM_EXPORTS / "odoo_o2m_customers_contacts.csv", country_default="US", by=make_user("manager"))

    assert (job.status, job.total, job.created, job.rejected) == ("done", 8, 8, 0)
    aurora = Party.objects.get(name="Aurora Shelves")
    assert (aurora.kind, aurora.country, aurora.city) == ("organisation", "US", "San José")
    roger = Party.objects.get(name="Roger Martins")
    assert roger.kind == "person"
    assert Note.objects.get(party=roger).body == "<p>Organisation: Aurora Shelves</p>"
    address = Address.objects.get(party=roger)
    assert (address.street, address.postal_code, address.city, address.country) == (
        "27 Pacific Road", "95102", "San José", "US")


def test_odoo_partners_with_wrong_phones_are_rejected_with_the_column_and_the_value(db):
    job = imported(CRM_EXPORTS / "odoo_res.partner.csv", country_default="US")

    assert rows_of(job) == {
        2: ("rejected", ["Phone: “123456789” is not a valid phone number."]),
        3: ("created", []),
        4: ("rejected", ["Mobile: “4517864512” is not a valid phone number."]),
        5: ("rejected", ["Phone: “415659874” is not a valid phone number."]),
        6: ("rejected", ["Phone: “123456780” is not a valid phone number."]),
        7: ("rejected", ["Phone: “654978123” is not a valid phone number."]),
    }
    bob = Party.objects.get(external_ref="res_partner_2")
    assert (bob.name, bob.kind, bob.phone) == ("Bob", "person", "+14157654321")


def test_krayin_persons_keep_every_e_mail_of_their_json_lists(db):
    job = imported(CRM_EXPORTS / "krayin_persons.csv", country_default="US")
    assert job.rejected == 2
    assert "contact_numbers: “5454445454” is not a valid phone number." in reasons(job)

    job = imported(CRM_EXPORTS / "krayin_persons.csv", country_default="US",
                   mapping={"name": "name", "emails": "email", "job_title": "note"})

    assert job.created == 2
    wilson = Party.objects.get(name="Wilson Fisk")
    assert wilson.email == "contact@wilson.com"
    assert sorted(ContactPoint.objects.filter(party=wilson).values_list("value", "is_primary")) == [
        ("contact.home@wilson.com", False), ("contact@wilson.com", True)]


def test_krayin_leads_need_a_name_column_chosen_by_hand(db):
    job = job_create(source=CRM_EXPORTS / "krayin_leads.csv", by=None, now=NOW)

    with pytest.raises(ImportRefused, match="Map a column to the name"):
        job_configure(job=job, mapping=job.mapping, by=None, country_default="CZ", match_on=["email"])

    job = imported(CRM_EXPORTS / "krayin_leads.csv", mapping={"title": "name", "description": "note", "id":
                                                              "external_id"})
    assert (job.created, job.rejected) == (2, 0)
    assert Party.objects.filter(name__startswith="Need more information").exists()


def test_thunderbird_addresses_at_an_invalid_domain_are_rejected_and_said_so(db):
    job = imported(CRM_EXPORTS / "thunderbird_export.csv", country_default="US")

    assert rows_of(job) == {
        2: ("rejected", ["Primary Email: “contact1@invalid” is not a valid e-mail address."]),
        3: ("rejected", ["Primary Email: “contact2@invalid” is not a valid e-mail address."]),
    }


def test_atomic_crm_contacts_land_and_every_row_is_accounted_for(db):
    job = imported(CRM_EXPORTS / "atomic-crm_contacts.csv", country_default="US", match_on=["email"],
                   batch_rows=120)

    assert job.total == 500
    assert job.created + job.updated + job.skipped + job.rejected == 500 == job.processed
    assert job.created > 100 and job.rejected > 100
    assert Party.objects.count() == job.created
    assert all("is not a valid phone number" in r or "Same" in r for r in reasons(job))
    tagged = Party.objects.filter(tags__isnull=False).distinct()
    assert tagged.exists()
    assert set(Tag.objects.values_list("name", flat=True)) <= {"vip", "football-fan", "musician", "manager",
                                                                "influencer", "holiday-card"}
    assert AuditEntry.objects.filter(action="abonent.customers.party.created", channel="import").count() == job.created
