import pytest

from abonent.core.models import AuditEntry
from abonent.customers.models import Address, ContactPoint, Party, Tag
from abonent.customers.services import party_update
from abonent.customers.tests.factories import person
from abonent.imports.models import JobStatus
from abonent.imports.services import ImportRefused, job_revert
from abonent.imports.tests.factories import NOW, csv_file, imported

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

    job = job_revert(job=job, by=admin, now=NOW)

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

    job_revert(job=job, by=make_user("administrator"), now=NOW)

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
    job_revert(job=job, by=admin, now=NOW)

    with pytest.raises(ImportRefused, match="Only a finished import"):
        job_revert(job=job, by=admin, now=NOW)
