import pytest

from abonent.customers.models import AttributeDefinition
from abonent.imports.fields import fields_for, mapping_auto
from abonent.imports.reading import shape_read
from abonent.imports.tests.factories import CRM_EXPORTS

EXPECTED = {
    "atomic-crm_contacts.csv": {
        "id": "external_id", "first_name": "first_name", "last_name": "last_name", "title": "note",
        "background": "note", "tags": "tags", "company_name": "organisation", "email_work": "email",
        "email_home": "email", "email_other": "email", "phone_work": "phone", "phone_home": "phone",
        "phone_other": "phone",
    },
    "krayin_leads.csv": {"id": "external_id", "title": "note", "description": "note"},
    "krayin_persons.csv": {"name": "name", "emails": "email", "contact_numbers": "phone", "job_title": "note"},
    "odoo_o2m_customers_contacts.csv": {
        "Name": "name", "Is a company": "is_company", "Related company": "organisation", "Street": "street",
        "ZIP": "postal_code", "City": "city", "Country": "country",
    },
    "odoo_res.partner.csv": {
        "ID": "external_id", "Name": "name", "Company Type": "kind", "Related Company": "organisation",
        "Street": "street", "Street2": "street", "City": "city", "ZIP": "postal_code", "Country": "country",
        "Phone": "phone", "Mobile": "phone", "Email": "email",
    },
    "thunderbird_export.csv": {
        "First Name": "first_name", "Last Name": "last_name", "Display Name": "name", "Primary Email": "email",
        "Secondary Email": "email", "Work Phone": "phone", "Home Phone": "phone", "Mobile Number": "phone",
        "Home Address": "street", "Home Address 2": "street", "Home City": "city", "Home ZipCode": "postal_code",
        "Home Country": "country", "Work Address": "street", "Work Address 2": "street", "Job Title": "note",
        "Department": "note", "Organization": "organisation", "Notes": "note",
    },
}


def test_every_sample_export_is_covered():
    assert sorted(p.name for p in CRM_EXPORTS.glob("*.csv")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_columns_of_common_crm_exports_are_mapped_by_their_headers(db, name):
    headers = shape_read(CRM_EXPORTS / name).headers

    assert mapping_auto(headers) == EXPECTED[name]


@pytest.mark.parametrize(("header", "field"), [
    ("Jméno", "first_name"), ("Příjmení", "last_name"), ("IČO", "tax_id"), ("DIČ", "vat_id"), ("PSČ", "postal_code"),
    ("Číslo účtu", "iban"), ("Země", "country"), ("Štítky", "tags"), ("Poznámka", "note"), ("Obchodník", "sales_rep"),
    ("Imię", "first_name"), ("Nazwisko", "last_name"), ("NIP", "tax_id"), ("Kod pocztowy", "postal_code"),
    ("Miejscowość", "city"), ("Nazwa firmy", "organisation"),
    ("Prenume", "first_name"), ("Nume", "last_name"), ("CUI", "tax_id"), ("Cod poștal", "postal_code"),
    ("Oraș", "city"),
    ("Имя", "first_name"), ("Фамилия", "last_name"), ("ИНН", "tax_id"), ("Телефон", "phone"), ("Город", "city"),
    ("Электронная почта", "email"), ("Страна", "country"), ("Организация", "organisation"),
    ("First Name", "first_name"), ("E-MAIL", "email"), ("Work Phone 2", "phone"), ("E-mail (private)", "email"),
    ("Company", "organisation"), ("Fax Number", None), ("Address type", None), ("Whatever", None),
])
def test_headers_in_the_five_languages_are_recognised(db, header, field):
    assert mapping_auto([header]).get(header) == field


def test_a_field_that_takes_one_value_gets_only_the_first_column_naming_it(db):
    assert mapping_auto(["Name", "Full Name", "Phone", "Mobile"]) == {"Name": "name", "Phone": "phone",
                                                                     "Mobile": "phone"}


def test_custom_attributes_are_fields_and_are_mapped_by_code_or_label(db):
    AttributeDefinition.objects.create(code="segment", type="choice", label={"en": "Segment", "cs": "Segment"})
    AttributeDefinition.objects.create(code="birth_date", type="date", label={"en": "Born"})
    AttributeDefinition.objects.create(code="old", type="text", label={"en": "Old"}, active=False)

    fields = {f.key: f for f in fields_for("customers")}

    assert fields["attr:segment"].type == "choice"
    assert "attr:old" not in fields
    assert mapping_auto(["Segment", "Datum narození", "Born", "Old"]) == {"Segment": "attr:segment",
                                                                        "Datum narození": "attr:birth_date"}
