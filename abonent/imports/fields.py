"""What a column can be imported into, and how column headers are recognised in five languages and CRM exports."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from abonent.customers.models import AttributeDefinition, AttributeType
from abonent.imports.models import ImportKind

ATTRIBUTE_PREFIX = "attr:"


@dataclass(frozen=True)
class TargetField:
    """A field of the customer record a column can be mapped to.

    `type` says how a cell is read: text, email, phone, tax_id, vat_id, iban, country, choice, boolean, date,
    number, user, tags. `multiple` fields take several columns (and several values in one cell).
    """

    key: str
    label: str | Promise
    required: bool = False
    type: str = "text"
    multiple: bool = False
    help: str | Promise = ""


CUSTOMER_FIELDS: tuple[TargetField, ...] = (
    TargetField("name", _("Name (full name or organisation)"), required=True,
                help=_("Or a first and last name, or an organisation name.")),
    TargetField("first_name", _("First name")),
    TargetField("last_name", _("Last name")),
    TargetField("organisation", _("Organisation name"),
                help=_("The customer's name when the row is an organisation; kept in the note of a person.")),
    TargetField("kind", _("Person or organisation"), type="choice"),
    TargetField("is_company", _("Is an organisation (yes / no)"), type="boolean"),
    TargetField("email", _("E-mail"), type="email", multiple=True),
    TargetField("phone", _("Phone"), type="phone", multiple=True),
    TargetField("tax_id", _("Tax ID (IČO, NIP, CUI, ИНН)"), type="tax_id"),
    TargetField("vat_id", _("VAT number (DIČ)"), type="vat_id"),
    TargetField("iban", _("IBAN or bank account"), type="iban"),
    TargetField("street", _("Street and number"), multiple=True),
    TargetField("city", _("City")),
    TargetField("postal_code", _("Postal code")),
    TargetField("country", _("Country"), type="country"),
    TargetField("stage", _("Stage"), type="choice"),
    TargetField("call_center_status", _("Call-center status"), type="choice"),
    TargetField("tags", _("Tags"), type="tags", multiple=True),
    TargetField("sales_rep", _("Sales rep (user name or e-mail)"), type="user"),
    TargetField("external_id", _("External ID"), help=_("The customer's ID in the system the file comes from.")),
    TargetField("note", _("Note"), multiple=True),
)

ATTRIBUTE_FIELD_TYPES = {
    AttributeType.TEXT: "text", AttributeType.NUMBER: "number", AttributeType.DATE: "date",
    AttributeType.CHOICE: "choice", AttributeType.BOOLEAN: "boolean",
}


def fields_for(kind: str = ImportKind.CUSTOMERS) -> list[TargetField]:
    """Return the fields a column of a `kind` import can be mapped to: the record's own, then custom attributes."""
    if kind != ImportKind.CUSTOMERS:
        raise ValueError(f"Unknown import kind {kind!r}")
    language = get_language() or "en"
    attributes = [
        TargetField(ATTRIBUTE_PREFIX + d.code, d.label_in(language), required=d.required,
                    type=ATTRIBUTE_FIELD_TYPES[d.type])
        for d in AttributeDefinition.objects.filter(active=True).order_by("order", "code")
    ]
    return [*CUSTOMER_FIELDS, *attributes]


def field_keys(kind: str = ImportKind.CUSTOMERS) -> dict[str, TargetField]:
    return {f.key: f for f in fields_for(kind)}


# --- recognising headers ---------------------------------------------------------------------------


def header_key(text: str) -> str:
    """Fold a header for comparison: no accents, no case, letters and digits only ("Příjmení" → "prijmeni")."""
    folded = unicodedata.normalize("NFKD", str(text).casefold())
    # Keep Cyrillic й and ё apart from и and е: drop only combining marks that follow Latin letters.
    out = []
    for ch in folded:
        if unicodedata.combining(ch):
            if out and "\u0400" <= out[-1] <= "\u04ff":
                out[-1] = unicodedata.normalize("NFC", out[-1] + ch)
            continue
        out.append(ch)
    return re.sub(r"[\W_]+", "", "".join(out))


def _keys(*names: str) -> set[str]:
    return {header_key(n) for n in names}


# Whole headers, compared after header_key(). English, Czech, Polish, Romanian, Russian and the column names
# of common CRM exports (Odoo, Thunderbird, Atomic CRM, Krayin, Salesforce, HubSpot, Pipedrive, Outlook).
HEADER_NAMES: dict[str, set[str]] = {
    "first_name": _keys("First Name", "First", "Given Name", "Forename", "firstname", "Jméno", "Křestní jméno",
                        "Imię", "Prenume", "Имя"),
    "last_name": _keys("Last Name", "Surname", "Family Name", "lastname", "Příjmení", "Nazwisko", "Nume",
                       "Nume de familie", "Фамилия"),
    "name": _keys("Name", "Full Name", "Display Name", "Customer", "Customer Name", "Contact Name", "Client",
                  "Client Name", "Jméno a příjmení", "Celé jméno", "Zákazník", "Odběratel", "Imię i nazwisko",
                  "Klient", "Nazwa klienta", "Nume complet", "Nume client", "ФИО", "Клиент", "Контрагент",
                  "Полное имя"),
    "organisation": _keys("Company", "Company Name", "Organization", "Organisation", "Organization Name",
                          "Account Name", "Related Company", "Business Name", "Firma", "Název firmy",
                          "Obchodní jméno", "Obchodní firma", "Společnost", "Organizace", "Název", "Nazwa",
                          "Nazwa firmy", "Spółka", "Companie", "Denumire", "Denumire firmă", "Societate",
                          "Организация", "Компания", "Наименование", "Название компании"),
    "kind": _keys("Company Type", "Customer Type", "Party Type", "Kind", "Typ osoby", "Typ zákazníka",
                  "Typ klienta", "Tip client", "Tip persoană", "Тип клиента", "Тип лица"),
    "is_company": _keys("Is a company", "Is company", "Is Organization", "Je firma", "Czy firma", "Este companie",
                        "Юрлицо"),
    "email": _keys("Email", "E-mail", "Mail", "Email Address", "E-mail Address", "Primary Email",
                   "Secondary Email", "Emails", "email_work", "email_home", "email_other", "Work Email",
                   "Home Email", "E-mailová adresa", "Adres e-mail", "Adresa de e-mail", "Adresă e-mail",
                   "Электронная почта", "Эл. почта", "Почта", "Емейл"),
    "phone": _keys("Phone", "Telephone", "Tel", "Tel.", "Phone Number", "Mobile", "Mobile Number", "Mobile Phone",
                   "Cell", "Cell Phone", "Work Phone", "Home Phone", "phone_work", "phone_home", "phone_other",
                   "contact_numbers", "Contact Number", "Telefon", "Telefonní číslo", "Mobil", "Číslo telefonu",
                   "Numer telefonu", "Komórka", "Tel. komórkowy", "Număr de telefon", "Telefon mobil",
                   "Телефон", "Мобильный", "Мобильный телефон", "Сотовый"),
    "tax_id": _keys("Tax ID", "Tax Number", "Company Registration Number", "Registration Number",
                    "IČO", "IČ", "Identifikační číslo", "NIP", "CUI", "CIF", "Cod fiscal", "Cod unic de înregistrare",
                    "ИНН", "INN"),
    "vat_id": _keys("VAT", "VAT ID", "VAT Number", "VAT No", "DIČ", "NIP UE", "NIP-UE", "Cod TVA", "CIF TVA",
                    "EU VAT"),
    "iban": _keys("IBAN", "Bank Account", "Account Number", "Bank Account Number", "Číslo účtu", "Bankovní účet",
                  "Účet", "Numer konta", "Numer rachunku", "Rachunek bankowy", "Cont bancar", "Cont IBAN",
                  "Расчётный счёт", "Расчетный счет", "Банковский счёт"),
    "street": _keys("Street", "Street2", "Street 2", "Address", "Address 1", "Address 2", "Address Line 1",
                    "Address Line 2", "Street Address", "Home Address", "Home Address 2", "Work Address",
                    "Work Address 2", "Mailing Street", "Ulice", "Ulice a číslo", "Adresa", "Ulica", "Adres",
                    "Strada", "Adresă", "Улица", "Адрес"),
    "city": _keys("City", "Town", "Home City", "Work City", "Mailing City", "Město", "Obec", "Miasto",
                  "Miejscowość", "Oraș", "Localitate", "Город", "Населённый пункт", "Населенный пункт"),
    "postal_code": _keys("ZIP", "ZIP Code", "Zipcode", "Postcode", "Post Code", "Postal Code", "Home ZipCode",
                         "Work ZipCode", "Mailing Zip", "PSČ", "Kod pocztowy", "Cod poștal", "Индекс",
                         "Почтовый индекс"),
    "country": _keys("Country", "Home Country", "Work Country", "Mailing Country", "Country Code", "Země", "Stát",
                     "Kraj", "Țară", "Tara", "Страна"),
    "stage": _keys("Stage", "Lifecycle Stage", "Customer Stage", "Fáze", "Etap", "Etapa", "Стадия", "Этап"),
    "call_center_status": _keys("Call-center status", "Call center status", "Call Status", "Stav call centra",
                                "Status call center", "Статус колл-центра"),
    "tags": _keys("Tags", "Tag", "Labels", "Štítky", "Tagi", "Etykiety", "Etichete", "Теги", "Метки"),
    "sales_rep": _keys("Sales Rep", "Salesperson", "Sales Person", "Owner", "Account Manager", "Account Owner",
                       "Assigned To", "Obchodník", "Obchodní zástupce", "Opiekun", "Handlowiec", "Agent vânzări",
                       "Ответственный", "Менеджер"),
    "external_id": _keys("ID", "External ID", "External Ref", "External Reference", "CRM ID", "Customer ID",
                         "Customer Number", "Číslo zákazníka", "Numer klienta", "Cod client", "Номер клиента"),
    "note": _keys("Note", "Notes", "Comment", "Comments", "Description", "Background", "Job Title", "Title",
                  "Department", "Poznámka", "Poznámky", "Uwagi", "Notatka", "Komentarz", "Observații", "Notă",
                  "Примечание", "Комментарий", "Описание", "Должность"),
}

# Headers naming a custom attribute by its usual meaning, when an attribute with this code is declared.
ATTRIBUTE_HEADER_NAMES: dict[str, set[str]] = {
    "birth_date": _keys("Birth Date", "Birthday", "Date of Birth", "Datum narození", "Data urodzenia",
                        "Data nașterii", "Дата рождения"),
    "language": _keys("Language", "Jazyk", "Język", "Limba", "Язык"),
    "regon": _keys("REGON"),
    "kpp": _keys("KPP", "КПП"),
}

# Parts of headers, tried in this order when no whole header matched ("Work Phone 2", "E-mail (private)").
HEADER_PARTS: tuple[tuple[str, str], ...] = (
    ("fax", ""), ("pager", ""), ("type", ""), ("typ", ""), ("tip", ""),
    ("email", "email"), ("mail", "email"), ("почт", "email"),
    ("phone", "phone"), ("telefon", "phone"), ("mobil", "phone"), ("телефон", "phone"),
    ("zip", "postal_code"), ("postcode", "postal_code"), ("postalcode", "postal_code"),
    ("street", "street"), ("address", "street"), ("iban", "iban"),
)


def _attribute_field(key: str, attributes: Sequence[AttributeDefinition]) -> str | None:
    for definition in attributes:
        names = {header_key(definition.code), *(header_key(label) for label in (definition.label or {}).values())}
        names |= ATTRIBUTE_HEADER_NAMES.get(definition.code, set())
        if key in names:
            return ATTRIBUTE_PREFIX + definition.code
    return None


def field_for_header(header: str, *, attributes: Sequence[AttributeDefinition] = ()) -> str | None:
    """Return the field a column with this header most likely holds, or None."""
    key = header_key(header)
    if not key:
        return None
    # Attributes first: an administrator who declared "segment" means that column.
    found = _attribute_field(key, attributes)
    if found:
        return found
    for field, names in HEADER_NAMES.items():
        if key in names:
            return field
    for part, field in HEADER_PARTS:
        if part in key:
            return field or None
    return None


def mapping_auto(headers: Iterable[str], kind: str = ImportKind.CUSTOMERS) -> dict[str, str]:
    """Map each header to a field by its name; headers not recognised are left out.

    Fields that take one value get the first column that names them; fields that take several (e-mail,
    phone, street, tags, note) get every such column.
    """
    fields = field_keys(kind)
    attributes = list(AttributeDefinition.objects.filter(active=True))
    mapping: dict[str, str] = {}
    for header in headers:
        field = field_for_header(header, attributes=attributes)
        if field is None or field not in fields:
            continue
        if not fields[field].multiple and field in mapping.values():
            continue
        mapping[header] = field
    return mapping


__all__ = ["ATTRIBUTE_PREFIX", "CUSTOMER_FIELDS", "TargetField", "field_for_header", "field_keys", "fields_for",
           "header_key", "mapping_auto"]
