from datetime import UTC, datetime

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from abonent.core.roles import Role
from abonent.notifications.models import Notification, OutboundEmail
from abonent.notifications.services import notifications_mark_read, notify

NOW = datetime(2026, 11, 22, 7, 0, tzinfo=UTC)


def test_a_notification_is_written_in_the_users_language(make_user):
    user = make_user(Role.AGENT, language="cs")

    notification = notify(user=user, title=format_lazy("{}: 7", _("Customers")), url="/x", now=NOW)

    assert notification.title == "Zákazníci: 7"
    assert not OutboundEmail.objects.exists()


def test_with_an_email_template_the_user_also_gets_an_email_with_an_absolute_link(make_user, settings):
    settings.SITE_URL = "https://crm.example.com"
    user = make_user(Role.SALES_REP, language="pl", email="rep@example.com")

    notify(user=user, title="Job done", url="/imports/7", email_template="notifications/email/notification", now=NOW)

    email = OutboundEmail.objects.get()
    assert (email.to, email.language, email.subject) == (["rep@example.com"], "pl", "Job done")
    assert "https://crm.example.com/imports/7" in email.body_text


def test_no_email_is_queued_for_a_user_without_an_address(make_user):
    notify(user=make_user(email=""), title="Job done", email_template="notifications/email/notification", now=NOW)

    assert Notification.objects.count() == 1
    assert not OutboundEmail.objects.exists()


def test_marking_read_touches_only_the_users_own_unread_notifications(make_user):
    me, other = make_user(), make_user()
    mine = [notify(user=me, title=f"n{i}", now=NOW) for i in range(3)]
    theirs = notify(user=other, title="theirs", now=NOW)

    assert notifications_mark_read(user=me, ids=[mine[0].pk, theirs.pk], now=NOW) == 1
    assert notifications_mark_read(user=me, now=NOW) == 2
    theirs.refresh_from_db()
    assert theirs.read_at is None
