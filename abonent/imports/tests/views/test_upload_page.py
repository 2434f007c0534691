"""The upload: real files as people have them are accepted at once; junk gets a sentence on the form."""

from abonent.core.roles import Role
from abonent.imports.models import ImportJob, JobStatus
from abonent.imports.tests.views.conftest import BAD, GOOD, HEADERS, csv_file, upload, uploaded_job, xlsx_file


def test_a_windows_1250_csv_with_semicolons_is_read_and_its_columns_proposed(client_as, customers_csv):
    client = client_as(Role.MANAGER)

    job = uploaded_job(client, customers_csv)

    assert job.status == JobStatus.NEW and job.created_by == client.user
    assert job.filename == "zákazníci.csv"
    assert (job.encoding, job.delimiter) == ("windows-1250", ";")
    assert job.headers == HEADERS
    assert job.mapping == {"Jméno": "first_name", "Příjmení": "last_name", "Telefon": "phone", "E-mail": "email",
                           "Město": "city"}


def test_an_xlsx_file_is_read(client_as, tmp_path):
    path = xlsx_file(tmp_path / "customers.xlsx", [*GOOD, [*BAD[:2], 420601000111, *BAD[3:]]])

    job = uploaded_job(client_as(Role.MANAGER), path)

    assert job.format == "xlsx"
    assert job.headers == HEADERS
    assert job.sample[3][2] == "420601000111"


def test_the_mapping_screen_follows_the_upload(client_as, customers_csv):
    client = client_as(Role.MANAGER)

    response = client.post("/imports/new/", {"file": customers_csv.open("rb")}, follow=True)

    page = response.content.decode()
    assert response.redirect_chain[-1][0].endswith("/mapping/")
    assert "Příjmení" in page and "Nováková" in page


def test_junk_is_refused_with_a_sentence_and_no_job(client_as, tmp_path):
    junk = tmp_path / "customers.csv"
    junk.write_bytes(bytes(range(256)) * 64)

    response = upload(client_as(Role.MANAGER), junk)

    assert response.status_code == 200
    assert 'class="invalid-feedback d-block" role="alert"' in response.content.decode()
    assert not ImportJob.objects.exists()


def test_an_empty_file_is_refused(client_as, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")

    response = upload(client_as(Role.MANAGER), empty)

    assert response.status_code == 200
    assert "The file is empty." in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_zip_that_is_not_a_spreadsheet_is_refused(client_as, tmp_path):
    import zipfile

    path = tmp_path / "customers.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")

    response = upload(client_as(Role.MANAGER), path)

    assert response.status_code == 200
    assert "ZIP archive" in response.content.decode()


def test_a_file_over_the_limit_is_refused_with_the_limit_named(client_as, tmp_path, settings):
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    big = csv_file(tmp_path / "big.csv", [["Jana", "Nováková", "601123456", "j@example.cz", "x" * 100]] * 12_000)

    response = upload(client_as(Role.MANAGER), big)

    page = response.content.decode()
    assert response.status_code == 200
    assert "up to 1 MB" in page
    assert not ImportJob.objects.exists()


def test_posting_without_a_file_asks_for_one(client_as):
    response = client_as(Role.MANAGER).post("/imports/new/", {})

    assert "Choose a file to import." in response.content.decode()
