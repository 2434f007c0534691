import datetime as dt
import html
import re
from zoneinfo import ZoneInfo

from abonent.core.models import Channel
from abonent.core.roles import Role
from abonent.core.services import audit_record
from abonent.core.tests.factories import DocumentSeriesFactory

PRAGUE = ZoneInfo("Europe/Prague")


def actions_on(response) -> list[str]:
    """The action codes in the audit table, top to bottom."""
    assert response.status_code == 200
    table = response.content.decode().split('id="audit-table"', 1)[1]
    return re.findall(r"<td class=\"small\"><code>([^<]*)</code></td>", table)


def older_entries_link(response) -> str | None:
    match = re.search(r'href="(\?[^"]*)">Older entries', response.content.decode())
    return html.unescape(match.group(1)) if match else None


def test_it_lists_the_entries_newest_first(client_as):
    client = client_as(Role.MANAGER)
    audit_record(actor=None, action="abonent.customers.party.created")
    audit_record(actor=None, action="abonent.customers.party.changed")

    response = client.get("/audit/")

    assert actions_on(response) == ["abonent.customers.party.changed", "abonent.customers.party.created"]


def test_it_shows_who_changed_what_from_old_to_new(client_as, make_user):
    client = client_as(Role.MANAGER)
    actor = make_user(Role.ADMINISTRATOR, first_name="Adam", last_name="Dvořák")
    series = DocumentSeriesFactory(name="Invoices", code="inv")
    audit_record(actor=actor, action="abonent.core.series.changed", target=series, changes={"padding": (6, 8)})

    page = client.get("/audit/").content.decode()

    assert "Adam Dvořák" in page
    assert "Invoices (inv)" in page
    assert '<span class="old">6</span> → <span class="new">8</span>' in page


def test_it_filters_by_the_start_of_the_action(client_as):
    client = client_as(Role.MANAGER)
    audit_record(actor=None, action="abonent.customers.party.created")
    audit_record(actor=None, action="abonent.accounts.user.created")

    response = client.get("/audit/", {"action": "abonent.customers"})

    assert actions_on(response) == ["abonent.customers.party.created"]


def test_it_filters_by_channel(client_as):
    client = client_as(Role.MANAGER)
    audit_record(actor=None, action="abonent.test.from_api", channel=Channel.API)
    audit_record(actor=None, action="abonent.test.from_ui", channel=Channel.UI)

    response = client.get("/audit/", {"channel": "api"})

    assert actions_on(response) == ["abonent.test.from_api"]


def test_it_filters_by_user(client_as, make_user):
    client = client_as(Role.MANAGER)
    alena, radek = make_user(Role.AGENT), make_user(Role.SALES_REP)
    audit_record(actor=alena, action="abonent.test.by_alena")
    audit_record(actor=radek, action="abonent.test.by_radek")

    response = client.get("/audit/", {"actor": radek.pk})

    assert actions_on(response) == ["abonent.test.by_radek"]


def test_it_filters_by_the_target_name_or_id(client_as):
    client = client_as(Role.MANAGER)
    invoices = DocumentSeriesFactory(name="Invoices")
    tickets = DocumentSeriesFactory(name="Service requests")
    audit_record(actor=None, action="abonent.test.invoices", target=invoices)
    audit_record(actor=None, action="abonent.test.tickets", target=tickets)

    assert actions_on(client.get("/audit/", {"target": "voice"})) == ["abonent.test.invoices"]
    assert actions_on(client.get("/audit/", {"target": str(tickets.pk)})) == ["abonent.test.tickets"]


def test_it_filters_by_a_date_range_of_local_days_with_both_ends_included(client_as):
    # given entries around the range, the last one after midnight in Prague but before midnight in UTC
    client = client_as(Role.MANAGER)
    for action, at in [
        ("abonent.test.before", dt.datetime(2026, 3, 1, 23, 30, tzinfo=PRAGUE)),
        ("abonent.test.first_day", dt.datetime(2026, 3, 2, 0, 30, tzinfo=PRAGUE)),
        ("abonent.test.last_day", dt.datetime(2026, 3, 5, 23, 30, tzinfo=PRAGUE)),
        ("abonent.test.after", dt.datetime(2026, 3, 6, 0, 30, tzinfo=PRAGUE)),
    ]:
        audit_record(actor=None, action=action, now=at)

    # when
    response = client.get("/audit/", {"since": "2026-03-02", "until": "2026-03-05"})

    # then
    assert actions_on(response) == ["abonent.test.last_day", "abonent.test.first_day"]


def test_it_pages_to_older_entries_by_keyset(client_as):
    # given 60 entries
    client = client_as(Role.MANAGER)
    for n in range(60):
        audit_record(actor=None, action=f"abonent.test.n{n:02d}")

    # when
    first = client.get("/audit/")
    second = client.get("/audit/" + older_entries_link(first))

    # then the first page holds the newest 50, the second the other 10, and no more pages follow
    assert actions_on(first) == [f"abonent.test.n{n:02d}" for n in range(59, 9, -1)]
    assert actions_on(second) == [f"abonent.test.n{n:02d}" for n in range(9, -1, -1)]
    assert older_entries_link(second) is None


def test_the_older_entries_link_keeps_the_filters(client_as):
    client = client_as(Role.MANAGER)
    for n in range(55):
        audit_record(actor=None, action=f"abonent.billing.n{n:02d}")
        audit_record(actor=None, action=f"abonent.banking.n{n:02d}")

    first = client.get("/audit/", {"action": "abonent.billing"})
    second = client.get("/audit/" + older_entries_link(first))

    assert actions_on(second) == [f"abonent.billing.n{n:02d}" for n in range(4, -1, -1)]


def test_it_shows_no_older_entries_link_when_everything_fits_on_one_page(client_as):
    client = client_as(Role.MANAGER)
    for n in range(50):
        audit_record(actor=None, action=f"abonent.test.n{n:02d}")

    response = client.get("/audit/")

    assert len(actions_on(response)) == 50
    assert older_entries_link(response) is None


def test_it_escapes_html_in_target_labels_and_values(client_as):
    client = client_as(Role.MANAGER)
    series = DocumentSeriesFactory(name="<script>alert(1)</script>", code="xss")
    audit_record(actor=None, action="abonent.test.xss", target=series, changes={"name": ("<b>old</b>", "new")})

    page = client.get("/audit/").content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; (xss)" in page
    assert "<b>old</b>" not in page


def test_it_tells_the_user_when_a_filter_value_is_wrong(client_as):
    client = client_as(Role.MANAGER)
    audit_record(actor=None, action="abonent.test.done")

    response = client.get("/audit/", {"since": "not a date"})

    assert response.status_code == 200
    assert "Check the filter values." in response.content.decode()


def test_it_is_forbidden_to_an_agent(client_as):
    response = client_as(Role.AGENT).get("/audit/")

    assert response.status_code == 403


def test_it_sends_an_anonymous_visitor_to_the_login_page(client):
    response = client.get("/audit/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/audit/"
