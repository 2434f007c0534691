"""The progress: rows done of all, counts, a bar that polls every second until the job ends; works without JS."""

import datetime as dt

import time_machine
from django.utils import timezone

from abonent.core.roles import Role
from abonent.imports.models import JobStatus
from abonent.imports.tests.views.conftest import job_of, run_import

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_a_running_job_shows_how_far_it_is_and_polls(client_as):
    client = client_as(Role.MANAGER)
    started = timezone.now() - dt.timedelta(seconds=10)
    job = job_of(client.user, status=JobStatus.RUNNING, total=10_000, processed=2_500, created=2_400, rejected=100,
                 started_at=started, heartbeat_at=started + dt.timedelta(seconds=5))

    page = client.get(f"/imports/{job.pk}/progress/").content.decode()
    fragment = client.get(f"/imports/{job.pk}/progress/", **HTMX).content.decode()

    assert 'aria-valuenow="25"' in page and "width: 25%" in page
    assert "2,500 of 10,000 rows" in page
    assert "500 rows a second" in page and "about 15 seconds left" in page
    assert 'hx-trigger="every 1s"' in page and "<noscript>" in page
    assert "you get a notification" in page
    assert fragment.startswith('<div id="progress"') and "<html" not in fragment
    assert 'id="count-created"' in fragment and ">2,400<" in fragment


def test_a_finished_job_stops_polling_and_offers_the_results(client_as):
    client = client_as(Role.MANAGER)
    job = job_of(client.user, status=JobStatus.DONE, total=4, processed=4, created=3, rejected=1)

    fragment = client.get(f"/imports/{job.pk}/progress/", **HTMX).content.decode()

    assert "hx-trigger" not in fragment
    assert 'aria-valuenow="100"' in fragment
    assert f"/imports/{job.pk}/rejected.csv" in fragment and f'href="/imports/{job.pk}/"' in fragment


def test_the_job_page_reloads_itself_when_its_job_ends(client_as):
    client = client_as(Role.MANAGER)
    job = job_of(client.user, status=JobStatus.DONE, total=4, processed=4, created=4)

    response = client.get(f"/imports/{job.pk}/progress/", {"from": "job"}, **HTMX)

    assert response["HX-Refresh"] == "true"


def test_a_job_waiting_for_its_mapping_sends_the_importer_to_the_mapping(client_as):
    client = client_as(Role.MANAGER)
    job = job_of(client.user, status=JobStatus.NEW)

    assert client.get(f"/imports/{job.pk}/progress/")["Location"] == f"/imports/{job.pk}/mapping/"


def test_after_the_worker_ran_the_progress_is_complete(client_as, customers_csv, django_capture_on_commit_callbacks):
    client = client_as(Role.MANAGER)
    with time_machine.travel(timezone.now(), tick=True):
        job = run_import(client, customers_csv, django_capture_on_commit_callbacks)

    page = client.get(f"/imports/{job.pk}/progress/").content.decode()

    assert job.status == JobStatus.DONE
    assert "4 of 4 rows" in page and 'aria-valuenow="100"' in page
    assert 'id="count-created">3<' in page and 'id="count-rejected">1<' in page
