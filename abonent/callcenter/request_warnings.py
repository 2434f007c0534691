"""Warnings to team leads: an open request whose planned finish passed, or a high-priority one left untouched.

The list shows the warning as long as it holds (selectors.warning_annotation). The periodic job tells the
lead of the request's team once per request and kind of warning, under the bell and by e-mail, when the
settings say so. A request whose team has no lead is told to nobody until it gets one.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from abonent.callcenter.models import RequestSettings, RequestStatus, RequestWarning, ServiceRequest
from abonent.callcenter.selectors import OVERDUE, UNTOUCHED, requests_warned
from abonent.notifications.services import GENERIC_TEMPLATE, notify

TITLES = {
    OVERDUE: _("Planned finish passed: {number} ({customer})"),
    UNTOUCHED: _("High priority untouched: {number} ({customer})"),
}
BODIES = {
    OVERDUE: _("The request was planned to be finished by {finish}; its status is still “{status}”."),
    UNTOUCHED: _("Nobody has changed, moved or written on this high-priority request for {hours} hours."),
}


def request_warnings_send(*, now: dt.datetime) -> int:
    """Tell team leads about the requests with a warning they have not been told about; return how many."""
    options = RequestSettings.load()
    if not options.warn_team_lead:
        return 0
    warned = (requests_warned(now=now).filter(team__leader__isnull=False, team__leader__is_active=True)
              .select_related("team__leader", "party").order_by("pk"))
    sent = 0
    for request in warned.iterator(chunk_size=500):
        if RequestWarning.objects.filter(request=request, kind=request.warning).exists():
            continue
        lead = request.team.leader
        try:
            with transaction.atomic():
                RequestWarning.objects.create(request=request, kind=request.warning, sent_to=lead, sent_at=now)
                notify(user=lead, title=format_lazy(TITLES[request.warning], number=request.number,
                                                    customer=request.party.name),
                       body=format_lazy(BODIES[request.warning], finish=_finish(request),
                                        status=RequestStatus(request.status).label,
                                        hours=options.warn_untouched_hours),
                       url=reverse("callcenter:request", args=[request.pk]), email_template=GENERIC_TEMPLATE,
                       now=now)
        except IntegrityError:
            continue  # another worker told the lead at the same moment
        sent += 1
    return sent


def _finish(request: ServiceRequest) -> str:
    if request.planned_finish is None:
        return ""
    return formats.date_format(timezone.localtime(request.planned_finish), "SHORT_DATETIME_FORMAT")
