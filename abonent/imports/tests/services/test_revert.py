import pytest

from abonent.core.models import AuditEntry
from abonent.customers.models import Address, ContactPoint, Party, Tag
from abonent.customers.services import party_update
from abonent.customers.tests.factories import person
from abonent.imports.models import JobStatus
from abonent.imports.services import ImportRefused, job_revert, job_revert_run, jobs_revert_resume
from abonent.imports.tests.factories import NOW, csv_file, imported, reverted

HEADER = ["Name", "E-mail", "Phone", "City", "Street", "Tags"]


@pytest.fixture
def job_and_jana(db, tmp_path):
    jana = person(email="jana@example.cz", phone="601 123 456")
    path = csv_file(tmp_path / "c.csv", [
        HEADER,
        ["Jana Malá", "jana@example.cz", "777 888 999", "Brno", "Husova 5", "VIP"],
        ["Petr Novák", "petr@example.cz", "602 123 456", "Praha", "Lidická 1", "fibre"],
        ["Eva Nová", "eva@example.cz", "", "Ostrava", "", ""],
    ])
    return imported(path), jana


def test_an_administrator_reverts_a_job_created_customers_go_and_updated_fields_come_back(job_and_jana, make_user):
    job, jana = job_and_jana
    assert (job.created, job.updated) == (2, 1)
    admin = make_user("administrator")

    job = reverted(job, by=admin)

    assert (job.status, job.reverted_by) == (JobStatus.REVERTED, admin)
    assert list(Party.objects.all()) == [jana]
    jana.refresh_from_db()
    assert (jana.name, jana.city, jana.phone) == ("Jana Nováková", "", "+420601123456")
    assert list(ContactPoint.objects.filter(party=jana).values_list("value", flat=True).order_by("value")) == [
        "+420601123456", "jana@example.cz"]
    assert not Address.objects.exists()
    assert not jana.tags.exists()
    assert Tag.objects.filter(name="VIP").exists()  # the tag itself stays for others
    assert AuditEntry.objects.filter(action="abonent.customers.party.deleted", note=f"revert of import job "
                                                                                     f"{job.pk}").count() == 2
    restored = AuditEntry.objects.get(action="abonent.customers.party.changed", actor=admin)
    assert restored.changes["name"] == ["Jana Malá", "Jana Nováková"]


def test_a_field_someone_changed_after_the_import_keeps_their_value(job_and_jana, make_user):
    job, jana = job_and_jana
    party_update(party=Party.objects.get(pk=jana.pk), by=make_user(), values={"name": "Jana Veliká"})

    reverted(job, by=make_user("administrator"))

    jana.refresh_from_db()
    assert jana.name == "Jana Veliká"
    assert jana.city == ""


@pytest.mark.parametrize("role", ["manager", "agent"])
def test_only_an_administrator_may_revert(job_and_jana, make_user, role):
    job, _jana = job_and_jana

    with pytest.raises(ImportRefused, match="Only an administrator"):
        job_revert(job=job, by=make_user(role), now=NOW)


def test_a_job_is_reverted_once(job_and_jana, make_user):
    job, _jana = job_and_jana
    admin = make_user("administrator")
    reverted(job, by=admin)

    with pytest.raises(ImportRefused, match="Only a finished import"):
        job_revert(job=job, by=admin, now=NOW)


def test_asking_returns_at_once_and_the_worker_reverts_then_tells_the_administrator(job_and_jana, make_user,
                                                                                    monkeypatch):
    from abonent.notifications.models import Notification

    job, _jana = job_and_jana
    admin = make_user("administrator")
    queued = []
    monkeypatch.setattr("abonent.imports.services._enqueue_revert", queued.append)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.db.transaction.on_commit", lambda fn, using=None, robust=False: fn())
        job = job_revert(job=job, by=admin, now=NOW)

    assert (job.status, queued, Party.objects.count()) == (JobStatus.REVERTING, [job.pk], 3)  # nothing undone yet
    assert jobs_revert_resume() == [job.pk]  # a worker starting picks it up again

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.db.transaction.on_commit", lambda fn, using=None, robust=False: fn())
        job = job_revert_run(job_id=job.pk, now=NOW)

    assert job.status == JobStatus.REVERTED and Party.objects.count() == 1
    assert Notification.objects.get(user=admin).title == "Import c.csv reverted (customers deleted: 2, restored: 1)"
    assert job_revert_run(job_id=job.pk, now=NOW).status == JobStatus.REVERTED  # run twice: nothing more
