from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from abonent.core.permissions import module_required
from abonent.core.roles import Access
from abonent.notifications.models import EmailStatus, Notification, OutboundEmail
from abonent.notifications.selectors import notification_list, outbox_list
from abonent.notifications.services import email_retry, notifications_mark_read

INBOX_SHOWN = 100
OUTBOX_SHOWN = 200


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    notifications = list(notification_list(request.user)[:INBOX_SHOWN])
    return render(request, "notifications/inbox.html", {
        "notifications": notifications, "has_unread": any(n.read_at is None for n in notifications),
    })


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the notification read and go where it points (only ever to a page of this site)."""
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    notifications_mark_read(user=request.user, ids=[notification.pk], now=timezone.now())
    url = notification.url
    if url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        return redirect(url)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    notifications_mark_read(user=request.user, now=timezone.now())
    return redirect("notifications:inbox")


@module_required("settings", Access.READ)
def outbox(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in EmailStatus.values:
        status = ""
    return render(request, "notifications/outbox.html", {
        "emails": outbox_list(status=status)[:OUTBOX_SHOWN], "status": status, "statuses": EmailStatus.choices,
        "can_write": request.user.module_access("settings") >= Access.WRITE,
    })


@module_required("settings", Access.WRITE)
@require_POST
def outbox_retry(request: HttpRequest, pk: int) -> HttpResponse:
    email = get_object_or_404(OutboundEmail, pk=pk)
    email_retry(email=email, by=request.user, now=timezone.now())
    messages.success(request, _("The e-mail is queued to be sent again."))
    return redirect("notifications:outbox")
