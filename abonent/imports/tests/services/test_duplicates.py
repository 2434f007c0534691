import pytest

from abonent.core.models import AuditEntry
from abonent.customers.models import ContactPoint, Party
from abonent.customers.services import party_update
from abonent.customers.tests.factories import person
from abonent.imports.tests.factories import csv_file, imported, rows_of

HEADER = ["Name", "E-mail", "Phone", "IČO", "ID", "City", "Street"]


def existing(**values) -> Party:
    values = {"first_name": "Jana", "last_name": "Nováková", "email": "jana@example.cz", "phone": "601 123 456",
              **values}
    return person(**values)


@pytest.mark.parametrize(("key", "cells", "party_values"), [
    ("email", ["Jana N.", "JANA@example.cz", "", "", "", "Brno", ""], {}),
    ("phone", ["Jana N.", "", "+420 601 123 456", "", "", "Brno", ""], {}),
    ("tax_id", ["Jana N.", "", "", "25596641", "", "Brno", ""], {"tax_id": "25596641"}),
    ("external_id", ["Jana N.", "", "", "", "X-7", "Brno", ""], {"external_ref": "X-7"}),
])
def test_a_row_matching_an_existing_customer_by_each_key_updates_it(db, tmp_path, key, cells, party_values):
    jana = existing(**party_values)
    path = csv_file(tmp_path / "c.csv", [HEADER, cells])

    job = imported(path, match_on=[key])

    assert (job.created, job.updated) == (0, 1)
    jana.refresh_from_db()
    assert (jana.name, jana.city) == ("Jana N.", "Brno")
    assert rows_of(job)[2][1][0].startswith("Same ")
    entry = AuditEntry.objects.get(action="abonent.customers.party.changed", subject_id=str(jana.pk))
    assert entry.changes["name"] == ["Jana Nováková", "Jana N."]
    assert entry.note == f"import job {job.pk}, row 2"


def test_a_key_not_chosen_for_matching_does_not_match(db, tmp_path):
    existing()
    path = csv_file(tmp_path / "c.csv", [HEADER, ["Jana N.", "", "+420 601 123 456", "", "", "", ""]])

    job = imported(path, match_on=["email"])

    assert job.created == 1
    assert Party.objects.count() == 2


def test_on_skip_a_match_is_left_alone_and_said_why(db, tmp_path):
    jana = existing()
    path = csv_file(tmp_path / "c.csv", [HEADER, ["Jana N.", "jana@example.cz", "", "", "", "", ""]])

    job = imported(path, on_duplicate="skip")

    jana.refresh_from_db()
    assert jana.name == "Jana Nováková"
    assert rows_of(job)[2] == ("skipped", ["Same e-mail as an existing customer (jana@example.cz)."])


def test_on_create_a_match_becomes_a_new_customer_anyway(db, tmp_path):
    existing()
    path = csv_file(tmp_path / "c.csv", [HEADER, ["Jana N.", "jana@example.cz", "", "", "", "", ""]])

    job = imported(path, on_duplicate="create")

    assert job.created == 1
    assert Party.objects.filter(email="jana@example.cz").count() == 2


def test_duplicates_inside_the_file_are_one_customer_across_batches_too(db, tmp_path):
    rows = [HEADER, ["Jana Nováková", "jana@example.cz", "601 123 456", "", "", "Praha", ""]]
    rows += [[f"Other {n}", f"o{n}@example.cz", "", "", "", "", ""] for n in range(5)]
    rows += [["Jana Nováková", "jana@example.cz", "777 888 999", "", "", "", "Husova 5"]]  # row 8, next batch
    rows += [["Jana Nováková", "jana@example.cz", "", "", "", "Brno", ""]]  # row 9, same batch as row 8
    path = csv_file(tmp_path / "c.csv", rows)

    job = imported(path, batch_rows=4)

    assert (job.created, job.updated, job.skipped, job.rejected) == (6, 2, 0, 0)
    jana = Party.objects.get(email="jana@example.cz")
    assert sorted(ContactPoint.objects.filter(party=jana, kind="phone").values_list("value", flat=True)) == [
        "+420601123456", "+420777888999"]
    assert rows_of(job)[8] == ("updated", ["Same e-mail as an existing customer (jana@example.cz)."])
    assert rows_of(job)[9][0] == "updated"


def test_duplicates_inside_one_batch_are_merged_into_the_customer_the_first_creates(db, tmp_path):
    path = csv_file(tmp_path / "c.csv", [HEADER, ["Jana Nováková", "jana@example.cz", "601 123 456", "", "", "", ""],
                                         ["Jana Nováková", "jana@example.cz", "777 888 999", "", "", "Brno", ""]])

    job = imported(path)

    assert (job.created, job.updated) == (1, 1)
    jana = Party.objects.get()
    assert jana.city == "Brno"
    assert ContactPoint.objects.filter(party=jana, kind="phone").count() == 2
    assert rows_of(job)[3] == ("updated", ["Same e-mail as row 2 of the file (jana@example.cz)."])


def test_on_skip_a_duplicate_inside_the_file_is_skipped(db, tmp_path):
    path = csv_file(tmp_path / "c.csv", [HEADER, ["Jana Nováková", "jana@example.cz", "", "", "", "", ""],
                                         ["Jana Nováková", "jana@example.cz", "", "", "", "Brno", ""]])

    job = imported(path, on_duplicate="skip")

    assert (job.created, job.skipped) == (1, 1)
    assert Party.objects.get().city == ""


def test_an_update_writes_only_the_columns_of_the_file_and_never_erases(db, tmp_path, make_user):
    jana = existing(tax_id="25596641")
    party_update(party=jana, by=make_user(), values={"last_name": "Dvořáková", "name": "Jana Dvořáková"})
    path = csv_file(tmp_path / "c.csv", [["E-mail", "City", "Phone"], ["jana@example.cz", "Brno", ""]])

    job = imported(path, mapping={"E-mail": "email", "City": "city", "Phone": "phone"})

    assert job.updated == 1
    jana.refresh_from_db()
    assert (jana.name, jana.last_name, jana.tax_id, jana.phone, jana.city) == (
        "Jana Dvořáková", "Dvořáková", "25596641", "+420601123456", "Brno")


def test_a_row_matching_nothing_new_is_skipped_as_up_to_date(db, tmp_path):
    existing()
    path = csv_file(tmp_path / "c.csv", [HEADER, ["Jana Nováková", "jana@example.cz", "601 123 456", "", "", "", ""]])

    job = imported(path)

    assert rows_of(job)[2] == ("skipped", ["Matches an existing customer; nothing to change."])


def test_an_external_id_of_another_customer_is_never_taken(db, tmp_path):
    existing(external_ref="X-1")
    existing(email="petr@example.cz", first_name="Petr")
    path = csv_file(tmp_path / "c.csv", [HEADER, ["Eva Malá", "eva@example.cz", "", "", "X-1", "", ""],
                                         ["Petr Novák", "petr@example.cz", "", "", "X-1", "", ""],
                                         ["Ida Nová", "ida@example.cz", "", "", "X-2", "", ""],
                                         ["Ema Nová", "ema@example.cz", "", "", "X-2", "", ""]])

    job = imported(path, match_on=["email"])

    rows = rows_of(job)
    assert rows[2] == ("rejected", ["External ID “X-1” already belongs to another customer."])
    assert rows[3] == ("rejected", ["External ID “X-1” already belongs to another customer."])
    assert rows[4][0] == "created"
    assert rows[5] == ("rejected", ["External ID “X-2” already belongs to another customer."])


def test_a_merged_duplicate_is_not_matched(db, tmp_path, make_user):
    from abonent.customers.merge_services import party_merge

    survivor = existing(email="jana@example.cz")
    duplicate = existing(email="jana.old@example.cz", phone="")
    party_merge(survivor=survivor, merged=duplicate, by=make_user("manager"))
    path = csv_file(tmp_path / "c.csv", [HEADER, ["Jana N.", "jana.old@example.cz", "", "", "", "Brno", ""]])

    job = imported(path)

    assert job.updated == 1
    survivor.refresh_from_db()
    duplicate.refresh_from_db()
    assert (survivor.city, duplicate.city) == ("Brno", "")


def test_an_update_that_moves_the_stage_records_the_move_and_a_revert_takes_it_back(db, tmp_path, make_user):
    from abonent.customers.models import StageChange
    from abonent.imports.tests.factories import reverted

    jana = existing()
    path = csv_file(tmp_path / "c.csv", [["E-mail", "Stage", "Note"], ["jana@example.cz", "customer", "Signed."]])

    job = imported(path, mapping={"E-mail": "email", "Stage": "stage", "Note": "note"})

    jana.refresh_from_db()
    assert (job.updated, jana.stage) == (1, "customer")
    move = StageChange.objects.filter(party=jana).latest("id")
    assert (move.from_stage, move.to_stage, move.reason) == ("prospect", "customer", f"import job {job.pk}")
    assert jana.notes.get().body == "<p>Signed.</p>"

    reverted(job, by=make_user("administrator"))

    jana.refresh_from_db()
    assert jana.stage == "prospect"
    assert not StageChange.objects.filter(party=jana, to_stage="customer").exists()
    assert not jana.notes.exists()
