"""The mapping screen: one row per column with samples and the proposed field; rules; templates saved and reused."""

import re

from abonent.core.roles import Role
from abonent.imports.models import JobStatus, MappingTemplate
from abonent.imports.tests.views.conftest import csv_file, mapping_post, uploaded_job


def selected(page: str, name: str) -> str:
    select = re.search(rf'<select name="{name}".*?</select>', page, re.S).group(0)
    found = re.search(r'<option value="([^"]*)" selected', select)
    return found.group(1) if found else ""


def test_each_column_shows_its_header_three_samples_and_the_proposed_field(client_as, customers_csv):
    client = client_as(Role.MANAGER)
    job = uploaded_job(client, customers_csv)

    page = client.get(f"/imports/{job.pk}/mapping/").content.decode()

    assert [selected(page, f"field_{i}") for i in range(5)] == ["first_name", "last_name", "phone", "email", "city"]
    assert page.count('class="sample"') == 5 * 3
    assert "Jana" in page and "Petr" in page and "Eva" in page and "Bořek" not in page
    assert "Don&#x27;t import" in page or "Don't import" in page
    assert "Name (full name or organisation) *" in page


def test_the_default_country_follows_the_user_s_language(client_as, customers_csv):
    client = client_as(Role.MANAGER, language="pl")
    job = uploaded_job(client, customers_csv)

    page = client.get(f"/imports/{job.pk}/mapping/").content.decode()

    assert selected(page, "country_default") == "PL"


def test_the_chosen_mapping_and_rules_are_kept_for_the_job(client_as, customers_csv):
    client = client_as(Role.MANAGER)
    job = uploaded_job(client, customers_csv)
    data = mapping_post(job, {"Jméno": "first_name", "Příjmení": "last_name", "Telefon": "phone"},
                        country_default="SK", on_duplicate="skip", match_on=["phone"], country_2="CZ")

    response = client.post(f"/imports/{job.pk}/mapping/", data)

    assert response["Location"] == f"/imports/{job.pk}/preview/"
    job.refresh_from_db()
    assert job.mapping == {"Jméno": "first_name", "Příjmení": "last_name", "Telefon": "phone"}
    assert (job.country_default, job.on_duplicate, job.match_on) == ("SK", "skip", ["phone"])
    assert job.column_countries == {"Telefon": "CZ"}


def test_a_mapping_without_a_name_is_refused_with_a_sentence(client_as, customers_csv):
    client = client_as(Role.MANAGER)
    job = uploaded_job(client, customers_csv)

    response = client.post(f"/imports/{job.pk}/mapping/", mapping_post(job, {"Telefon": "phone"}))

    assert response.status_code == 200
    assert "a new customer needs one" in response.content.decode()
    job.refresh_from_db()
    assert job.mapping != {"Telefon": "phone"}


def test_two_columns_into_a_single_field_are_refused(client_as, customers_csv):
    client = client_as(Role.MANAGER)
    job = uploaded_job(client, customers_csv)

    response = client.post(f"/imports/{job.pk}/mapping/",
                           mapping_post(job, {"Jméno": "first_name", "Příjmení": "first_name"}))

    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()


def test_a_mapping_saved_as_a_template_is_offered_and_applied_to_the_next_file(client_as, customers_csv, tmp_path):
    client = client_as(Role.MANAGER)
    first = uploaded_job(client, customers_csv)
    fields = {"Jméno": "first_name", "Příjmení": "last_name", "Telefon": "phone", "Město": "note"}
    client.post(f"/imports/{first.pk}/mapping/", mapping_post(first, fields, template_name="Shop export",
                                                              on_duplicate="skip"))
    template = MappingTemplate.objects.get()
    assert template.name == "Shop export" and template.mapping == fields
    first.refresh_from_db()
    assert first.template == template

    second = uploaded_job(client, csv_file(tmp_path / "next.csv", [["Ana", "Pop", "0721000111", "a@b.ro", "Cluj"]]))
    offered = client.get(f"/imports/{second.pk}/mapping/").content.decode()
    applied = client.get(f"/imports/{second.pk}/mapping/", {"template": template.pk}).content.decode()

    assert "Shop export" in offered
    assert selected(offered, "field_4") == "city"
    assert selected(applied, "field_4") == "note"
    assert selected(applied, "field_3") == ""
    assert re.search(r'value="skip"[^>]*checked', applied)


def test_a_template_naming_columns_the_file_lacks_says_so(client_as, customers_csv, tmp_path):
    client = client_as(Role.MANAGER)
    job = uploaded_job(client, customers_csv)
    client.post(f"/imports/{job.pk}/mapping/", mapping_post(job, template_name="Old CRM"))
    other = uploaded_job(client, csv_file(tmp_path / "other.csv", [["Jana", "Nová"]], headers=["Jméno", "Nazwisko"]))

    page = client.get(f"/imports/{other.pk}/mapping/",
                      {"template": MappingTemplate.objects.get().pk}).content.decode()

    assert "columns this file does not have" in page and "Telefon" in page


def test_the_mapping_of_a_started_job_cannot_change(client_as, customers_csv):
    client = client_as(Role.MANAGER)
    job = uploaded_job(client, customers_csv)

    job.status = JobStatus.QUEUED
    job.save(update_fields=["status"])

    response = client.post(f"/imports/{job.pk}/mapping/", mapping_post(job, {"Jméno": "name"}))

    assert response["Location"] == f"/imports/{job.pk}/"
    job.refresh_from_db()
    assert job.mapping.get("Jméno") == "first_name"
