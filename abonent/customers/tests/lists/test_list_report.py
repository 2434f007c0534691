import datetime as dt

import time_machine

from abonent.core.roles import Role
from abonent.customers.models import Stage
from abonent.customers.tests.factories import PartyFactory
from abonent.customers.tests.lists.pages import text


def test_the_report_prints_what_is_on_screen_with_the_filters_written_out(client_as):
    PartyFactory(name="Jana Nováková", stage=Stage.LEAD, country="CZ")
    PartyFactory(name="Petr Svoboda", stage=Stage.CUSTOMER, country="CZ")
    client = client_as(Role.AGENT, first_name="Alena", last_name="Svobodová")

    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 15, tzinfo=dt.UTC), tick=False):
        response = client.get("/customers/report/?stage=lead&stage=former&created_from=2026-01-01&q=nov&sort=-name")

    page = text(response)
    assert ("Filters Name, e-mail, phone or tax ID: “nov”; Stage: Lead, Former customer; Created: from 01/01/2026"
            in page)
    assert "Sorted by Name, descending" in page
    assert "Printed 02/03/2026 10:15, Alena Svobodová" in page
    assert "Jana Nováková" in page and "Petr Svoboda" not in page
    assert "@media print" not in response.content.decode()  # the print rules live in the stylesheet
    assert "abonent/grid.css" in response.content.decode()


def test_a_grouped_report_lists_the_group_counts(client_as):
    PartyFactory.create_batch(2, stage=Stage.LEAD)
    PartyFactory(stage=Stage.CUSTOMER)

    page = text(client_as(Role.AGENT).get("/customers/report/?group=stage"))

    assert "Grouped by Stage" in page
    assert "Stage Rows Lead 2 Customer 1" in page


def test_a_report_of_everything_says_so(client_as):
    PartyFactory()

    assert "Filters none: every row" in text(client_as(Role.AGENT).get("/customers/report/"))
