import pytest
from django.test import Client

from abonent.accounts.services import right_set
from abonent.core.models import Favourite, SavedView
from abonent.core.roles import Access, Role
from abonent.customers.models import Stage
from abonent.customers.tests.factories import PartyFactory
from abonent.customers.tests.lists.pages import names_on, text


@pytest.fixture
def parties(db):
    PartyFactory(name="CZ lead", stage=Stage.LEAD, country="CZ")
    PartyFactory(name="PL lead", stage=Stage.LEAD, country="PL")
    PartyFactory(name="CZ customer", stage=Stage.CUSTOMER, country="CZ")


def save_view(client, name: str, query: str, **extra):
    return client.post("/customers/views/", {"name": name, "query": query, **extra})


def test_a_saved_view_opens_with_its_filters_sort_grouping_and_columns(client_as, parties):
    client = client_as(Role.AGENT)

    response = save_view(client, "Czech leads", "stage=lead&country=CZ&sort=-name&group=stage&cols=name,phone")

    view = SavedView.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/customers/?view={view.pk}"
    assert view.query == "stage=lead&country=CZ&sort=-name&group=stage&cols=name%2Cphone"
    opened = client.get(response["Location"])
    assert names_on(opened) == ["CZ lead"]
    assert "The view “Czech leads” is saved." in text(opened)
    assert "Czech leads" in text(opened) and 'class="grid-tree"' in opened.content.decode()
    assert "<th scope=\"col\">Phone</th>" in opened.content.decode()


def test_what_cannot_be_saved_is_left_out_of_the_view(client_as):
    client = client_as(Role.AGENT)

    save_view(client, "Leads", "stage=lead&after=xyz&count=exact&evil=1&sort=password")

    assert SavedView.objects.get().query == "stage=lead&cols=" + "%2C".join(
        ["name", "country", "stage", "phone", "email", "tax_id", "sales_rep", "created"])


def test_a_view_with_filters_that_need_fixing_is_not_saved(client_as):
    response = save_view(client_as(Role.AGENT), "Broken", "created_from=soon")

    assert response["Location"] == "/customers/?created_from=soon"
    assert not SavedView.objects.exists()


def test_changing_the_filters_of_an_open_view_marks_it_changed(client_as, parties):
    client = client_as(Role.AGENT)
    save_view(client, "Leads", "stage=lead")
    view = SavedView.objects.get()

    response = client.get(f"/customers/?stage=lead&country=PL&view={view.pk}")

    assert names_on(response) == ["PL lead"]
    assert "Leads (changed)" in text(response)


def test_a_private_view_is_not_shown_to_colleagues(client_as, make_user, parties):
    owner = make_user(Role.AGENT)
    client = client_as(Role.AGENT)
    client.force_login(owner)
    client.get(save_view(client, "My secret leads", "stage=lead")["Location"])
    view = SavedView.objects.get()

    client.force_login(make_user(Role.AGENT))
    response = client.get(f"/customers/?view={view.pk}")

    assert "This saved view no longer exists or is not shared with you." in text(response)
    assert len(names_on(response)) == 3
    assert "My secret leads" not in text(response)


def test_a_shared_view_is_offered_to_everyone(client_as, make_user, parties):
    client = client_as(Role.MANAGER, first_name="Magda", last_name="Kowalska")
    save_view(client, "Team leads", "stage=lead", shared="1")
    view = SavedView.objects.get()

    client.force_login(make_user(Role.AGENT))
    page = client.get("/customers/")
    opened = client.get(f"/customers/?view={view.pk}")

    assert view.shared
    assert f'href="/customers/?view={view.pk}"' in page.content.decode()
    assert "Shared by Magda Kowalska" in page.content.decode()
    assert names_on(opened) == ["CZ lead", "PL lead"]


def test_a_user_who_may_only_read_customers_saves_private_views_but_cannot_share(client_as, make_user):
    right_set(by=make_user(Role.SUPERADMIN), role=Role.AGENT, module="customers", access=Access.READ)
    client = client_as(Role.AGENT)

    shared = save_view(client, "Shared", "stage=lead", shared="1")
    private = save_view(client, "Private", "stage=lead")

    assert list(SavedView.objects.values_list("name", "shared")) == [("Private", False)]
    assert "Only users who may change" in text(client.get(shared["Location"]))
    assert private.status_code == 302
    assert 'name="shared"' not in client.get("/customers/").content.decode()


def test_a_view_can_be_added_to_my_favourites_and_taken_off(client_as, parties):
    client = client_as(Role.AGENT)
    save_view(client, "Czech leads", "stage=lead&country=CZ")
    view = SavedView.objects.get()

    pinned = client.post(f"/customers/views/{view.pk}/pin/", {"query": "stage=lead"})

    assert pinned["Location"] == "/customers/?stage=lead"
    favourite = Favourite.objects.get()
    assert (favourite.url, favourite.title) == (f"/customers/?view={view.pk}", "Czech leads")
    assert names_on(client.get(favourite.url)) == ["CZ lead"]
    client.post(f"/customers/views/{view.pk}/pin/")
    assert not Favourite.objects.exists()


def test_someone_elses_private_view_cannot_be_pinned(client_as, make_user):
    client = client_as(Role.AGENT)
    save_view(client, "Mine", "stage=lead")
    view = SavedView.objects.get()
    client.force_login(make_user(Role.AGENT))

    client.post(f"/customers/views/{view.pk}/pin/")

    assert not Favourite.objects.exists()


def test_the_owner_deletes_a_view_and_others_cannot(client_as, make_user):
    client = client_as(Role.MANAGER)
    owner = client.user
    save_view(client, "Team", "stage=lead", shared="1")
    view = SavedView.objects.get()

    client.force_login(make_user(Role.MANAGER))
    refused = client.post(f"/customers/views/{view.pk}/delete/")
    assert SavedView.objects.exists()
    assert "Only the person who saved a view can delete it." in text(client.get(refused["Location"]))

    client.force_login(owner)
    client.post(f"/customers/views/{view.pk}/delete/")
    assert not SavedView.objects.exists()


def test_saving_a_view_needs_a_csrf_token(make_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user(Role.AGENT))

    response = client.post("/customers/views/", {"name": "Leads", "query": "stage=lead"})

    assert response.status_code == 403
    assert not SavedView.objects.exists()


@pytest.mark.parametrize("url", ["/customers/views/", "/customers/views/1/pin/", "/customers/views/1/delete/",
                                 "/customers/columns/"])
def test_saved_view_and_column_changes_need_a_post(client_as, url):
    assert client_as(Role.AGENT).get(url).status_code == 405


@pytest.mark.parametrize("url", ["/customers/views/", "/customers/views/1/pin/", "/customers/columns/"])
def test_a_portal_customer_cannot_save_views_or_columns(client_as, url):
    assert client_as(Role.CUSTOMER).post(url, {"name": "x", "query": ""}).status_code == 403
