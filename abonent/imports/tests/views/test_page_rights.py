"""Who may open which import page: the module's rights, the owner of a job, administrators for reverting."""

import pytest

from abonent.accounts.models import RoleRight
from abonent.core.roles import Access, Role
from abonent.imports.models import ImportJob, JobStatus
from abonent.imports.tests.views.conftest import job_of

READ_PAGES = ["/imports/", "/imports/{pk}/", "/imports/{pk}/progress/", "/imports/{pk}/rows/",
              "/imports/{pk}/rejected.csv", "/imports/export.csv", "/imports/report/"]
WRITE_PAGES = ["/imports/new/", "/imports/{pk}/mapping/", "/imports/{pk}/preview/"]
POSTS = ["/imports/new/", "/imports/{pk}/mapping/", "/imports/{pk}/start/", "/imports/{pk}/revert/"]


@pytest.fixture
def read_only_managers(db):
    RoleRight.objects.filter(role=Role.MANAGER, module="imports").update(access=Access.READ)


@pytest.mark.parametrize("page", READ_PAGES + WRITE_PAGES)
def test_an_agent_without_import_rights_is_refused_every_page(client_as, make_user, page):
    job = job_of(make_user(Role.MANAGER), status=JobStatus.NEW)
    client = client_as(Role.AGENT)

    assert client.get(page.format(pk=job.pk)).status_code == 403


@pytest.mark.parametrize("page", POSTS)
def test_an_agent_without_import_rights_cannot_post_anything(client_as, make_user, page):
    job = job_of(make_user(Role.MANAGER), status=JobStatus.NEW)

    assert client_as(Role.AGENT).post(page.format(pk=job.pk)).status_code == 403
    assert ImportJob.objects.get().status == JobStatus.NEW


def test_the_menu_offers_import_to_a_manager(client_as):
    assert 'href="/imports/"' in client_as(Role.MANAGER).get("/").content.decode()


def test_an_agent_does_not_see_import_in_the_menu(client, make_user):
    client.force_login(make_user(Role.AGENT))

    assert 'href="/imports/"' not in client.get("/").content.decode()


@pytest.mark.parametrize("page", READ_PAGES)
def test_a_read_only_user_sees_the_jobs(client_as, read_only_managers, page):
    client = client_as(Role.MANAGER)
    job = job_of(client.user)

    assert client.get(page.format(pk=job.pk)).status_code == 200


@pytest.mark.parametrize("page", POSTS)
def test_a_read_only_user_cannot_import_or_revert(client_as, read_only_managers, page):
    client = client_as(Role.MANAGER)
    job = job_of(client.user, status=JobStatus.NEW)

    assert client.post(page.format(pk=job.pk)).status_code == 403


def test_a_read_only_user_is_offered_no_import_button(client_as, read_only_managers):
    client = client_as(Role.MANAGER)
    job_of(client.user, status=JobStatus.NEW)

    page = client.get("/imports/").content.decode()

    assert "/imports/new/" not in page
    assert "Export customers" in page


def test_someone_who_is_not_a_manager_sees_only_their_own_jobs(client_as, make_user):
    RoleRight.objects.filter(role=Role.SALES_REP, module="imports").update(access=Access.WRITE)
    client = client_as(Role.SALES_REP)
    mine = job_of(client.user, filename="mine.csv")
    theirs = job_of(make_user(Role.SALES_REP), filename="theirs.csv")

    listed = client.get("/imports/").content.decode()

    assert "mine.csv" in listed and "theirs.csv" not in listed
    assert client.get(f"/imports/{mine.pk}/").status_code == 200
    assert client.get(f"/imports/{theirs.pk}/").status_code == 404
    assert client.get(f"/imports/{theirs.pk}/rejected.csv").status_code == 404
    assert "theirs.csv" not in client.get("/imports/export.csv").getvalue().decode()


def test_a_manager_sees_everyone_s_jobs(client_as, make_user):
    theirs = job_of(make_user(Role.ADMINISTRATOR), filename="theirs.csv")
    client = client_as(Role.MANAGER)

    assert "theirs.csv" in client.get("/imports/").content.decode()
    assert client.get(f"/imports/{theirs.pk}/").status_code == 200


def test_only_an_administrator_may_open_the_revert_page(client_as, make_user):
    job = job_of(make_user(Role.MANAGER))

    assert client_as(Role.MANAGER).get(f"/imports/{job.pk}/revert/").status_code == 403
    assert client_as(Role.ADMINISTRATOR).get(f"/imports/{job.pk}/revert/").status_code == 200


def test_the_revert_button_is_shown_to_administrators_only(client_as, make_user):
    job = job_of(make_user(Role.MANAGER), created=3)

    assert f"/imports/{job.pk}/revert/" not in client_as(Role.MANAGER).get(f"/imports/{job.pk}/").content.decode()
    assert f"/imports/{job.pk}/revert/" in client_as(Role.ADMINISTRATOR).get(f"/imports/{job.pk}/").content.decode()
