"""E-mails about service requests: to the customer on allocation and finalisation, to the staff on every change.

Both follow the options in RequestSettings. They are queued in the notifications outbox from inside the
transaction that made the change (a receiver of `request_changed`), so a rolled-back change sends nothing
and the worker sends the rest once it is committed. Each e-mail is rendered in its recipient's language:
the customer's country's, a member of staff's own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from abonent.accounts.models import User
from abonent.billing.reminders import party_language
from abonent.callcenter.models import Priority, RequestSettings, RequestStatus, ServiceRequest
from abonent.notifications.services import email_queue

CLIENT_TEMPLATES = {
    RequestStatus.ALLOCATED: "callcenter/email/client_allocated",
    RequestStatus.FINALISED: "callcenter/email/client_finalised",
}
STAFF_TEMPLATE = "callcenter/email/staff_change"


def request_mail_on_change(
    *, request: ServiceRequest, event: str, by: Any, changes: Mapping[str, tuple[Any, Any]], note: str,
    now: dt.datetime,
) -> int:
    """Queue the e-mails the settings ask for after a change of a request; return how many were queued."""
    options = RequestSettings.load()
    queued = 0
    if event == "moved":
        target = changes["status"][1]
        wanted = {RequestStatus.ALLOCATED: options.mail_client_on_allocation,
                  RequestStatus.FINALISED: options.mail_client_on_finalisation}
        if wanted.get(target):
            queued += client_mail(request=request, template=CLIENT_TEMPLATES[target], now=now)
    if options.mail_staff_on_change:
        queued += staff_mail(request=request, event=event, by=by, changes=changes, note=note, now=now)
    return queued


def client_mail(*, request: ServiceRequest, template: str, now: dt.datetime) -> int:
    """E-mail the customer about their request (to the request's address, else the customer's)."""
    party = request.party
    address = request.email or party.email
    if not address:
        return 0
    email_queue(to=address, template=template, language=party_language(party), now=now, context={
        "request": request, "name": request.contact_person or party.name, "type": request.request_type.name,
        "start": _local(request.planned_start), "finish": _local(request.planned_finish),
    })
    return 1


def request_staff(request: ServiceRequest) -> list[User]:
    """The people handling a request: who took it, the verifier, the team's lead and members (active ones)."""
    people: dict[int, User] = {}
    candidates = [request.taken_by, request.verifier]
    if request.team_id is not None:
        team = request.team
        candidates.append(team.leader)
        candidates.extend(team.members.order_by("pk"))
    for person in candidates:
        if person is not None and person.is_active and person.pk not in people:
            people[person.pk] = person
    return list(people.values())


def staff_mail(
    *, request: ServiceRequest, event: str, by: Any, changes: Mapping[str, tuple[Any, Any]], note: str,
    now: dt.datetime,
) -> int:
    """E-mail each person handling the request, but not the one who made the change, what changed."""
    actor = getattr(by, "pk", None) if getattr(by, "is_authenticated", False) else None
    url = f"{settings.SITE_URL}{reverse('callcenter:request', args=[request.pk])}"
    queued = 0
    for person in request_staff(request):
        if not person.email or person.pk == actor:
            continue
        language = person.language or settings.LANGUAGE_CODE
        with translation.override(language):
            context = {
                "request": request, "name": person.get_short_name() or person.get_username(),
                "what": event_title(event, changes), "changes": change_lines(changes),
                "by": str(by) if actor else _("Abonent"), "note": note, "url": url,
                "customer": request.party.name, "status": request.get_status_display(),
            }
        email_queue(to=person.email, template=STAFF_TEMPLATE, language=language, now=now, context=context)
        queued += 1
    return queued


def event_title(event: str, changes: Mapping[str, tuple[Any, Any]]) -> str:
    """One line saying what happened to a request, in the active language."""
    if event == "moved":
        old, new = changes["status"]
        return _("Status: %(old)s → %(new)s") % {"old": _status(old), "new": _status(new)}
    return {
        "created": _("New request"),
        "changed": _("The request was changed"),
        "message": _("New message on the timeline"),
        "approval_requested": _("Finalising waits for the verifier's approval"),
        "approval_refused": _("The verifier refused to finalise"),
    }.get(event, event)


def change_lines(changes: Mapping[str, tuple[Any, Any]]) -> list[tuple[str, str, str]]:
    """(field label, old, new) for each change, in the active language; the status is in the title."""
    return [(_label(field), _shown(field, old), _shown(field, new))
            for field, (old, new) in changes.items() if field != "status"]


def _label(field: str) -> str:
    try:
        return str(ServiceRequest._meta.get_field(field).verbose_name).capitalize()
    except FieldDoesNotExist:  # message, files, approval: not fields of the request
        return {"message": _("Message"), "files": _("Files"), "approval": _("Approval by"),
                "number": _("Number")}.get(field, field)


def _status(value: Any) -> str:
    return str(RequestStatus(value).label) if value in RequestStatus.values else "—"


def _shown(field: str, value: Any) -> str:
    if value in (None, "", []):
        return "—"
    if field == "priority":
        return str(Priority(value).label)
    if isinstance(value, dt.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, models.Model):
        return str(value)
    text = str(value)
    return text if len(text) <= 300 else text[:299] + "…"


def _local(moment: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(moment) if moment else None
