from abonent.core.roles import Role
from abonent.customers.models import Party
from abonent.customers.tests.factories import person


def test_it_finds_likely_duplicates_by_phone(client_as):
    jana = person(first_name="Jana", phone="601123456")
    duplicate = person(first_name="J.", last_name="Novakova", phone="+420 601 123 456", email="j@example.cz")
    person(first_name="Petr", last_name="Svoboda", phone="602111222", email="p@example.cz")

    page = client_as(Role.AGENT).get(f"/customers/{jana.pk}/merge/", {"q": "601123"}).content.decode()

    assert f"/customers/{jana.pk}/merge/{duplicate.pk}/" in page
    assert "Petr Svoboda" not in page


def test_the_comparison_offers_the_fields_that_differ_and_the_merge_happens(client_as):
    survivor = person(first_name="Jana", last_name="Nováková", email="a@example.cz")
    merged = person(first_name="Jana", last_name="Novakova", email="b@example.cz")
    client = client_as(Role.AGENT)

    page = client.get(f"/customers/{survivor.pk}/merge/{merged.pk}/").content.decode()
    response = client.post(f"/customers/{survivor.pk}/merge/{merged.pk}/", {"last_name": "merged", "name": "merged"})

    assert 'name="last_name"' in page and 'name="first_name"' not in page
    assert response["Location"] == f"/customers/{survivor.pk}/"
    survivor.refresh_from_db()
    assert survivor.last_name == "Novakova"
    assert list(Party.objects.active()) == [survivor]
    assert client.get(f"/customers/{merged.pk}/")["Location"] == f"/customers/{survivor.pk}/"


def test_merging_needs_the_right_to_change_customers(client_as, read_only_agents):
    survivor, merged = person(), person(first_name="Eva")
    client = client_as(Role.AGENT)

    assert client.get(f"/customers/{survivor.pk}/merge/").status_code == 403
    assert client.post(f"/customers/{survivor.pk}/merge/{merged.pk}/", {}).status_code == 403
    assert Party.objects.active().count() == 2
