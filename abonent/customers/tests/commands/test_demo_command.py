from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from abonent.customers.demo import DEMO_PASSWORD
from abonent.customers.models import Party
from abonent.customers.tests.factories import PartyFactory


def run(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_it_loads_the_demo_and_prints_the_logins(db):
    output = run("--customers", "8")

    assert Party.objects.count() == 8
    assert "Demo data ready: 8 staff users, 8 customers created, 8 in all." in output
    assert f"password for all: {DEMO_PASSWORD}" in output
    for username, role in [("superadmin", "Super-administrator"), ("admin", "Administrator"), ("manager", "Manager"),
                           ("agent", "Call-center agent"), ("agent2", "Call-center agent"), ("rep", "Sales rep"),
                           ("rep2", "Sales rep"), ("customer", "Customer")]:
        assert f"  {username:<11} {role}\n" in output


def test_running_it_again_creates_nothing(db):
    run("--customers", "8")

    output = run("--customers", "8")

    assert Party.objects.count() == 8
    assert "0 customers created, 8 in all." in output


def test_with_if_empty_it_leaves_an_existing_database_alone(db):
    PartyFactory()

    output = run("--customers", "8", "--if-empty")

    assert Party.objects.count() == 1
    assert "Customers exist already; demo data not loaded." in output
    assert "agent" in output


def test_it_refuses_a_negative_number_of_customers(db):
    with pytest.raises(CommandError, match="--customers must be 0 or more."):
        run("--customers", "-1")


def test_it_refuses_to_run_in_production_without_force(db, settings):
    settings.PRODUCTION = True

    with pytest.raises(CommandError, match="Refusing to load demo data in production"):
        run("--customers", "2")
    assert not Party.objects.exists()

    run("--customers", "2", "--force")
    assert Party.objects.count() == 2
