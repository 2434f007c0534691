"""Fixtures shared by every test: users in each role, clients signed in as them, a real local SMTP server."""

import os
import socket
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message

os.environ.setdefault("ABONENT_TESTING", "1")

import pytest  # noqa: E402
from aiosmtpd.controller import Controller  # noqa: E402
from django.test import override_settings  # noqa: E402

from abonent.accounts.services import rights_seed_defaults  # noqa: E402
from abonent.accounts.tests.factories import UserFactory  # noqa: E402
from abonent.core.roles import Role  # noqa: E402


@pytest.fixture(autouse=True)
def _default_rights(db):
    """Rights are seeded by post_migrate, which a flushed test database may have lost."""
    rights_seed_defaults()


@pytest.fixture
def make_user(db):
    def make(role: Role = Role.AGENT, **kwargs):
        return UserFactory(role=role, **kwargs)

    return make


@pytest.fixture
def client_as(client, make_user):
    """Return a test client signed in as a new user of the given role."""

    def sign_in(role: Role, **kwargs):
        user = make_user(role, **kwargs)
        client.force_login(user)
        client.user = user
        return client

    return sign_in


@dataclass
class Mailbox:
    """What the SMTP server received, in order."""

    messages: list[Message] = field(default_factory=list)
    recipients: list[list[str]] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(message_from_bytes(envelope.original_content))
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_mailbox():
    """Run an SMTP server on a free local port and send Django's e-mail to it; yield what it receives."""
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1", EMAIL_PORT=controller.port, EMAIL_USE_TLS=False,
            EMAIL_HOST_USER="", EMAIL_HOST_PASSWORD="",
        ):
            yield mailbox
    finally:
        controller.stop()
