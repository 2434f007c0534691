"""The private ICS feed: its address on the rep's page, and the feed itself (the secret is the credential)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from abonent.appointments.availability_services import (
    calendar_feed_authenticate,
    calendar_feed_create,
    calendar_feed_revoke,
)
from abonent.appointments.ics import rep_feed_ics
from abonent.appointments.models import CalendarFeed
from abonent.core.permissions import module_required
from abonent.core.roles import Access

SECRET_SESSION_KEY = "appointments:new_feed_secret"


@module_required("appointments", Access.READ)
def feed(request: HttpRequest) -> HttpResponse:
    """The user's own feed: create it (the address is shown once) or revoke it."""
    secret = request.session.pop(SECRET_SESSION_KEY, None)
    address = request.build_absolute_uri(reverse("appointments:ics", args=[secret])) if secret else ""
    live = CalendarFeed.objects.filter(rep=request.user, revoked_at__isnull=True).first()
    return render(request, "appointments/feed.html", {"address": address, "live": live})


@module_required("appointments", Access.READ)
@require_POST
def feed_create(request: HttpRequest) -> HttpResponse:
    # A read-only user may still subscribe to their own calendar: the feed is theirs, not the module's data.
    _feed, secret = calendar_feed_create(rep=request.user, by=request.user, now=timezone.now())
    request.session[SECRET_SESSION_KEY] = secret
    return redirect("appointments:feed")


@module_required("appointments", Access.READ)
@require_POST
def feed_revoke(request: HttpRequest) -> HttpResponse:
    live = CalendarFeed.objects.filter(rep=request.user, revoked_at__isnull=True).first()
    if live is not None:
        calendar_feed_revoke(feed=live, by=request.user, now=timezone.now())
        messages.success(request, _("The calendar address is revoked: calendar apps can no longer read it."))
    return redirect("appointments:feed")


def ics(request: HttpRequest, secret: str) -> HttpResponse:
    """Public by design: calendar apps cannot sign in, so the secret in the address is the credential."""
    now = timezone.now()
    rep = calendar_feed_authenticate(secret=secret, now=now)
    if rep is None:
        raise Http404
    response = HttpResponse(rep_feed_ics(rep=rep, now=now), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="abonent.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response
