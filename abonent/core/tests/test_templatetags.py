import datetime as dt
from decimal import Decimal

from django import forms
from django.template import Context, Template
from django.utils import translation


def render(template: str, **context) -> str:
    return Template("{% load abonent %}" + template).render(Context(context))


def test_number_groups_digits_the_way_the_language_does():
    with translation.override("cs"):
        assert render("{{ n|number }}", n=Decimal("1234.5")) == "1\xa0234,5"
    with translation.override("en"):
        assert render("{{ n|number }}", n=1234567) == "1,234,567"
    assert render("{{ n|number }}", n=None) == ""


def test_add_days_moves_a_date():
    assert render("{{ d|add_days:-1|date:'Y-m-d' }}", d=dt.date(2026, 3, 1)) == "2026-02-28"


def test_get_item_looks_a_key_up_and_falls_back_to_the_key():
    modules = {"billing": "Billing"}

    assert render("{{ m|get_item:'billing' }} {{ m|get_item:'other' }}", m=modules) == "Billing other"


class ExampleForm(forms.Form):
    name = forms.CharField()
    kind = forms.ChoiceField(choices=[("a", "A")])


def test_bootstrap_styles_a_field_and_marks_it_invalid_when_it_has_errors():
    form = ExampleForm(data={"kind": "a"})
    form.is_valid()

    name, kind = render("{{ f.name|bootstrap }}", f=form), render("{{ f.kind|bootstrap }}", f=form)

    assert 'class="form-control is-invalid"' in name
    assert 'aria-invalid="true"' in name
    assert 'class="form-select"' in kind
    assert "aria-invalid" not in kind
