"""A real SMTP server on 127.0.0.1 for the e-mail tests, and a TOTP helper for the two-factor ones."""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings


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
