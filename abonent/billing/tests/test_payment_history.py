"""A customer's whole payment history: the Billing tab shows the latest payments and links to all of them."""

import datetime as dt
import re
from decimal import Decimal

import pytest

from abonent.billing.models import PaymentSource
from abonent.billing.services import payment_record
from abonent.billing.views import RECENT_PAYMENTS
from abonent.contracts.tests.factories import NOW
from abonent.core.roles import Role
from abonent.customers.tests.factories import PartyFactory

pytestmark = pytest.mark.django_db


def payments(party, count: int, *, amount: str = "10.00") -> None:
    for day in range(count):
        payment_record(party=party, amount=Decimal(amount), currency="CZK", source=PaymentSource.CASH,
                       received_on=dt.date(2025, 1, 1) + dt.timedelta(days=day), by=None, now=NOW)


def test_the_tab_shows_the_latest_payments_and_links_to_all_of_them(client_as):
    party = PartyFactory()
    payments(party, RECENT_PAYMENTS + 1)

    page = client_as(Role.AGENT).get(f"/customers/{party.pk}/", {"tab": "billing"}).content.decode()

    assert len(re.findall(r'href="/billing/payments/\d+/"', page)) == RECENT_PAYMENTS
    assert f'<a href="/billing/payments/?party={party.pk}" id="all-payments">' in page
    assert "Older payments: all payments" in page


def test_a_customer_with_few_payments_has_the_link_but_no_older_ones(client_as):
    party = PartyFactory()
    payments(party, 2)

    page = client_as(Role.AGENT).get(f"/customers/{party.pk}/", {"tab": "billing"}).content.decode()

    assert 'id="all-payments"' in page and "Older payments" not in page


def test_the_payments_list_filtered_to_one_customer_shows_only_theirs_and_says_so(client_as):
    party, namesake = PartyFactory(name="Jana Dvořáková"), PartyFactory(name="Jana Dvořáková")
    payments(party, 3, amount="11.00")
    payments(namesake, 2, amount="22.00")

    page = client_as(Role.AGENT).get("/billing/payments/", {"party": party.pk}).content.decode()

    assert "3 payments" in page and "11.00" in page and "22.00" not in page
    assert 'class="grid-chip">Customer: Jana Dvořáková' in page
    # kept when other filters are applied
    assert f'<input type="hidden" name="party" value="{party.pk}">' in page


def test_the_customer_filter_exports_their_payments_only(client_as):
    party, other = PartyFactory(), PartyFactory()
    payments(party, 2)
    payments(other, 3)

    response = client_as(Role.AGENT).get("/billing/payments/export.csv", {"party": party.pk})

    assert len(b"".join(response.streaming_content).decode("utf-8-sig").strip().splitlines()) == 1 + 2
