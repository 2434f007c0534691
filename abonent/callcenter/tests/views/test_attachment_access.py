"""Files on a request are served only through a checked view, only to people allowed to see the request."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from abonent.callcenter.request_services import request_message_add
from abonent.callcenter.tests.factories import NOW, service_request
from abonent.core.roles import Role

PDF = b"%PDF-1.4\n<script>alert(1)</script>\n"


@pytest.fixture
def attached(private_files, make_user):
    request = service_request()
    message = request_message_add(request=request, by=make_user(), text="Photo",
                                  files=[SimpleUploadedFile("photo of router.pdf", PDF)], now=NOW)
    return request, message.attachments.get()


def url(request, attachment) -> str:
    return f"/callcenter/requests/{request.pk}/files/{attachment.pk}/"


def test_a_colleague_downloads_the_file_as_an_attachment_never_shown_inline(client_as, attached):
    request, attachment = attached

    response = client_as(Role.SALES_REP).get(url(request, attachment))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "photo of router.pdf" in response["Content-Disposition"]
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_request_page_links_the_file_through_the_checked_view(client_as, attached):
    request, attachment = attached

    page = client_as(Role.AGENT).get(f"/callcenter/requests/{request.pk}/").content.decode()

    assert f'href="{url(request, attachment)}"' in page
    assert attachment.file.name not in page


def test_someone_whose_role_has_no_call_center_is_refused(client_as, attached, agents_without_call_center):
    request, attachment = attached

    assert client_as(Role.AGENT).get(url(request, attachment)).status_code == 403


def test_a_portal_customer_is_refused(client_as, attached):
    request, attachment = attached

    assert client_as(Role.CUSTOMER).get(url(request, attachment)).status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(client, attached):
    request, attachment = attached

    response = client.get(url(request, attachment))

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_file_asked_for_through_another_request_is_not_found(client_as, attached):
    _request, attachment = attached
    other = service_request()

    assert client_as(Role.AGENT).get(url(other, attachment)).status_code == 404


def test_media_urls_do_not_serve_the_files(client_as, attached):
    _request, attachment = attached

    assert client_as(Role.AGENT).get(f"/media/{attachment.file.name}").status_code == 404


def test_an_agent_attaches_files_through_the_page(client_as, private_files):
    request = service_request()
    client = client_as(Role.AGENT)

    response = client.post(f"/callcenter/requests/{request.pk}/messages/", {
        "text": "Two photos", "registry_ref": "", "files": [SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n..."),
                                                             SimpleUploadedFile("b.txt", b"notes")]})

    assert response.status_code == 302
    assert sorted(a.name for a in request.messages.get().attachments.all()) == ["a.png", "b.txt"]


def test_a_refused_file_is_explained_and_the_text_kept(client_as, private_files):
    request = service_request()

    page = client_as(Role.AGENT).post(f"/callcenter/requests/{request.pk}/messages/", {
        "text": "See attached", "files": [SimpleUploadedFile("evil.html", b"<script>")]}).content.decode()

    assert "cannot be attached" in page and "See attached</textarea>" in page
    assert not request.messages.exists()
