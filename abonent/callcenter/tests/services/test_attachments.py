"""Files on a request's timeline: checked for size and kind, stored privately, named at random."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from abonent.callcenter import request_services
from abonent.callcenter.models import Attachment
from abonent.callcenter.request_services import RequestError, request_message_add
from abonent.callcenter.tests.factories import NOW, service_request

PDF = b"%PDF-1.4\n%test\n"


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_a_message_keeps_its_text_author_registry_reference_and_files(make_user, private_files):
    request, agent = service_request(), make_user()

    message = request_message_add(request=request, by=agent, text="Photo of the router", registry_ref="REG-2026/15",
                                  files=[upload("router.pdf", PDF)], now=NOW)

    [attachment] = message.attachments.all()
    assert (message.author, message.text, message.registry_ref) == (agent, "Photo of the router", "REG-2026/15")
    assert (attachment.name, attachment.size, attachment.content_type) == ("router.pdf", len(PDF), "application/pdf")
    assert attachment.file.name.startswith(f"callcenter/requests/{request.pk}/")
    assert "router" not in attachment.file.name
    assert attachment.file.read() == PDF
    assert (private_files / attachment.file.name).exists()


@pytest.mark.parametrize(("name", "content", "says"), [
    ("script.html", b"<script>alert(1)</script>", "cannot be attached"),
    ("virus.exe", b"MZ\x90\x00", "cannot be attached"),
    ("fake.pdf", b"<html>not a pdf</html>", "not the kind of file its name says"),
    ("empty.txt", b"", "is empty"),
])
def test_a_file_of_the_wrong_kind_is_refused(private_files, name, content, says):
    with pytest.raises(RequestError, match=says):
        request_message_add(request=service_request(), by=None, text="x", files=[upload(name, content)], now=NOW)
    assert not Attachment.objects.exists()


def test_a_file_over_the_limit_is_refused(private_files, monkeypatch):
    monkeypatch.setattr(request_services, "ATTACHMENT_MAX_BYTES", 10)

    with pytest.raises(RequestError, match="larger than"):
        request_message_add(request=service_request(), by=None, text="x", files=[upload("a.txt", b"x" * 11)], now=NOW)


def test_a_path_in_the_file_name_is_dropped(private_files):
    message = request_message_add(request=service_request(), by=None, text="",
                                  files=[upload("../../etc/notes.txt", b"hello")], now=NOW)

    assert message.attachments.get().name == "notes.txt"


def test_an_empty_message_is_refused():
    with pytest.raises(RequestError, match="Write something"):
        request_message_add(request=service_request(), by=None, text="  ", now=NOW)


def test_a_message_touches_the_request(make_user):
    request = service_request(now=NOW.replace(hour=1))

    request_message_add(request=request, by=make_user(), text="On my way", now=NOW)

    request.refresh_from_db()
    assert request.touched_at == NOW
