import pytest

from abonent.customers.identifiers import (
    InvalidIdentifier,
    iban_normalise,
    phone_normalise,
    tax_id_normalise,
    vat_id_normalise,
)


@pytest.mark.parametrize(("raw", "country", "expected"), [
    ("601 123 456", "CZ", "+420601123456"),
    ("+420 601 123 456", "CZ", "+420601123456"),
    ("00420 601 123 456", "CZ", "+420601123456"),
    ("512 345 678", "PL", "+48512345678"),
    ("+48 512-345-678", "PL", "+48512345678"),
    ("0721 234 567", "RO", "+40721234567"),
    ("8 (912) 345-67-89", "RU", "+79123456789"),
    ("+7 912 345 67 89", "RU", "+79123456789"),
    ("+420 601 123 456", "PL", "+420601123456"),
    ("601 123 456", "cz", "+420601123456"),
])
def test_it_writes_phone_numbers_in_e164(raw, country, expected):
    assert phone_normalise(raw, country=country) == expected


@pytest.mark.parametrize(("raw", "country"), [
    ("hello", "CZ"), ("123", "CZ"), ("+999 123", "CZ"), ("601 123 45", "CZ"), ("", "CZ"), ("601123456", ""),
])
def test_it_refuses_what_is_not_a_phone_number(raw, country):
    with pytest.raises(InvalidIdentifier) as refused:
        phone_normalise(raw, country=country)

    assert f"“{raw}” is not" in str(refused.value)


@pytest.mark.parametrize(("raw", "country", "expected"), [
    ("25596641", "CZ", "25596641"),
    ("CZ 255 96 641", "CZ", "25596641"),
    ("123-456-32-18", "PL", "1234563218"),
    ("PL 1234563218", "PL", "1234563218"),
    ("RO 185 472 90", "RO", "18547290"),
    ("7707083893", "RU", "7707083893"),
    ("500100732259", "RU", "500100732259"),
    ("25596641", "cz", "25596641"),
    (" DE136695976 ", "DE", "DE136695976"),
])
def test_it_checks_and_compacts_national_tax_ids(raw, country, expected):
    assert tax_id_normalise(raw, country=country) == expected


@pytest.mark.parametrize(("raw", "country", "name"), [
    ("25596642", "CZ", "IČO"),
    ("1234563219", "PL", "NIP"),
    ("18547291", "RO", "CUI"),
    ("7707083894", "RU", "ИНН"),
    ("ABC", "CZ", "IČO"),
    ("25596642", "cz", "IČO"),
    ("7103192745", "CZ", "IČO"),  # a valid personal DIČ (birth number), but not an IČO
])
def test_it_refuses_a_tax_id_with_a_wrong_check_digit_and_names_the_kind_of_id(raw, country, name):
    with pytest.raises(InvalidIdentifier) as refused:
        tax_id_normalise(raw, country=country)

    assert str(refused.value) == f"“{raw}” is not a valid {name}."


@pytest.mark.parametrize(("raw", "expected"), [
    ("CZ25596641", "CZ25596641"),
    ("cz 255 96 641", "CZ25596641"),
    ("PL1234563218", "PL1234563218"),
    ("RO18547290", "RO18547290"),
    ("DE 136 695 976", "DE136695976"),
])
def test_it_checks_and_compacts_eu_vat_numbers(raw, expected):
    assert vat_id_normalise(raw) == expected


@pytest.mark.parametrize("raw", ["CZ25596642", "XX123", "25596641", "PL123"])
def test_it_refuses_an_invalid_vat_number(raw):
    with pytest.raises(InvalidIdentifier) as refused:
        vat_id_normalise(raw)

    assert str(refused.value) == f"“{raw}” is not a valid VAT number."


@pytest.mark.parametrize(("raw", "expected"), [
    ("cz65 0800 0000 1920 0014 5399", "CZ6508000000192000145399"),
    ("PL61 1090 1014 0000 0712 1981 2874", "PL61109010140000071219812874"),
    ("RO49 AAAA 1B31 0075 9384 0000", "RO49AAAA1B31007593840000"),
    ("DE89370400440532013000", "DE89370400440532013000"),
])
def test_it_checks_and_compacts_ibans(raw, expected):
    assert iban_normalise(raw) == expected


@pytest.mark.parametrize("raw", [
    "CZ6608000000192000145399",  # IBAN check digits wrong
    "CZ7547641407248320680984",  # IBAN check digits right, Czech account number's own check wrong
    "PL95485810226557240408990687",  # the same for a Polish account
    "CZ650800000019200014539",  # too short
    "not an iban",
])
def test_it_refuses_an_invalid_iban(raw):
    with pytest.raises(InvalidIdentifier) as refused:
        iban_normalise(raw)

    assert str(refused.value) == f"“{raw}” is not a valid IBAN."
