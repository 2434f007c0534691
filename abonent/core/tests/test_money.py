from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from abonent.core.money import Money, format_money

NBSP = "\xa0"


@pytest.mark.parametrize(("language", "currency", "expected"), [
    ("cs", "CZK", f"1{NBSP}234{NBSP}567,50{NBSP}Kč"),
    ("pl", "PLN", f"1{NBSP}234{NBSP}567,50{NBSP}zł"),
    ("ro", "RON", f"1.234.567,50{NBSP}RON"),
    ("ru", "RUB", f"1{NBSP}234{NBSP}567,50{NBSP}₽"),
    ("en", "EUR", "€1,234,567.50"),
    ("cs", "EUR", f"1{NBSP}234{NBSP}567,50{NBSP}€"),
    ("en", "CZK", f"CZK{NBSP}1,234,567.50"),
    ("en", "RON", f"RON{NBSP}1,234,567.50"),
])
def test_it_formats_money_the_way_each_language_writes_it(language, currency, expected):
    assert format_money(Decimal("1234567.5"), currency, language) == expected


def test_czech_uses_a_decimal_comma_and_non_breaking_spaces():
    formatted = format_money(Decimal("1234.5"), "CZK", "cs")

    assert formatted == "1\xa0234,50\xa0Kč"
    assert " " not in formatted


def test_it_writes_the_currency_s_minor_unit_and_the_sign():
    assert format_money(Decimal("-12"), "CZK", "cs") == f"-12,00{NBSP}Kč"
    assert format_money(Decimal("-12"), "CZK", "en") == f"-CZK{NBSP}12.00"
    assert format_money(Decimal("0.1"), "EUR", "en") == "€0.10"


def test_it_uses_the_active_language_when_none_is_given():
    with translation.override("pl"):
        assert format_money(Decimal("10"), "PLN") == f"10,00{NBSP}zł"


def test_money_prints_in_the_active_language():
    with translation.override("cs"):
        assert str(Money(Decimal("99.9"), "CZK")) == f"99,90{NBSP}Kč"


@pytest.mark.parametrize("amount", [12.5, 12, "12.50"])
def test_money_refuses_an_amount_that_is_not_a_decimal(amount):
    with pytest.raises(TypeError):
        Money(amount, "CZK")


@pytest.mark.parametrize("currency", ["USD", "czk", ""])
def test_money_refuses_a_currency_abonent_does_not_keep(currency):
    with pytest.raises(ValueError, match="Unsupported currency"):
        Money(Decimal("1"), currency)


def render(template: str, **context) -> str:
    return Template("{% load abonent %}" + template).render(Context(context))


def test_the_money_filter_formats_an_amount_in_the_active_language():
    with translation.override("cs"):
        assert render('{{ amount|money:"CZK" }}', amount=Decimal("1234.5")) == f"1{NBSP}234,50{NBSP}Kč"
    with translation.override("ro"):
        assert render("{{ amount|money:currency }}", amount=Decimal("1234.5"), currency="RON") == f"1.234,50{NBSP}RON"


def test_the_money_filter_accepts_an_amount_given_as_text():
    with translation.override("en"):
        assert render('{{ amount|money:"EUR" }}', amount="19.99") == "€19.99"


def test_the_money_filter_shows_nothing_for_a_missing_amount():
    assert render('{{ amount|money:"CZK" }}', amount=None) == ""
    assert render('{{ missing|money:"CZK" }}') == ""


def test_the_money_filter_shows_zero():
    with translation.override("en"):
        assert render('{{ amount|money:"EUR" }}', amount=Decimal("0")) == "€0.00"
