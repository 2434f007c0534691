"""Writes about service requests: create (any channel), change, routing, timeline messages and files.

Status moves are not here: they live in `workflow`, the only code that changes a request's status.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from abonent.accounts.models import Team, User
from abonent.billing.reminders import party_language
from abonent.callcenter.models import (
    OPEN_STATUSES,
    Attachment,
    Classification,
    RequestChannel,
    RequestMessage,
    RequestStatus,
    RequestType,
    ServiceRequest,
)
from abonent.callcenter.request_events import request_event
from abonent.core.models import DocumentSeries
from abonent.core.services import (
    AbonentError,
    SeriesInactive,
    audit_record,
    period_assert_open,
    series_for,
    series_next_number,
)
from abonent.customers.models import Address, Party
from abonent.customers.services import assert_not_merged, email_normalise

DOCUMENT_TYPE = "service_request"
PERIOD_DOMAIN = "callcenter"

# What request_update may change; the number, status and its flags belong to the workflow.
EDITABLE = (
    "document_date", "contact_person", "request_type", "class_1", "class_2", "class_3", "service_object",
    "contract", "contract_number", "serial", "priority", "planned_start", "planned_finish", "team", "taken_by",
    "verifier", "notes", "address", "locality", "region", "country", "zone", "phone", "email",
)
# Without these a request cannot be allocated, nor stay allocated.
ALLOCATION_FIELDS = ("planned_start", "planned_finish", "team", "verifier")


class RequestError(AbonentError):
    pass


# --- numbering -------------------------------------------------------------------------------------


def request_series() -> DocumentSeries:
    """The default series of service requests; made ("SR2026-000001", yearly) the first time none exists."""
    try:
        return series_for(document_type=DOCUMENT_TYPE)
    except SeriesInactive:
        if DocumentSeries.objects.filter(document_type=DOCUMENT_TYPE).exists():
            raise  # an administrator switched it off or made no default: say so rather than invent one
    try:
        with transaction.atomic():
            series = DocumentSeries.objects.create(
                code="service-requests", document_type=DOCUMENT_TYPE, name=str(_("Service requests")),
                prefix="SR{yyyy}-", padding=6, reset_yearly=True, is_default=True,
            )
            audit_record(actor=None, action="abonent.core.series.created", target=series, channel="system",
                         changes={"code": (None, series.code), "prefix": (None, series.prefix)})
    except IntegrityError:
        pass  # made at the same moment by another request
    return series_for(document_type=DOCUMENT_TYPE)


# --- checks shared by create and update ------------------------------------------------------------


def _check(values: dict[str, Any], *, status: str, party: Party) -> dict[str, Any]:
    """Normalise and check a request's values (all of them, as they will be stored)."""
    contract = values.get("contract")
    if contract is not None:
        if contract.party_id != party.pk:
            raise RequestError(_("Contract %(contract)s belongs to another customer.") % {"contract": contract})
        values["contract_number"] = contract.number
        if not (values.get("service_object") or "").strip() and contract.main_product is not None:
            values["service_object"] = contract.main_product.name_in(party_language(party))
    for field in ("contact_person", "service_object", "contract_number", "serial", "address", "locality",
                  "region"):
        values[field] = " ".join((values.get(field) or "").split())
    values["notes"] = (values.get("notes") or "").strip()
    values["country"] = (values.get("country") or "").strip().upper()
    values["phone"] = "".join((values.get("phone") or "").split())[:20]
    email = (values.get("email") or "").strip()
    values["email"] = email_normalise(email) if email else ""
    start, finish = values.get("planned_start"), values.get("planned_finish")
    if start and finish and finish <= start:
        raise RequestError(_("The planned finish must come after the planned start."))
    _check_classes(values.get("class_1"), values.get("class_2"), values.get("class_3"))
    if values.get("request_type") is None:
        raise RequestError(_("Choose the type of request."))
    if status in (RequestStatus.ALLOCATED, RequestStatus.CONFIRMED):
        missing = [f for f in ALLOCATION_FIELDS if not values.get(f)]
        if missing:
            raise RequestError(_("An allocated request keeps its planned start and finish, its team and its "
                                 "verifier; they cannot be emptied."))
    values["planned_start_on"] = timezone.localtime(start).date() if start else None
    values["planned_finish_on"] = timezone.localtime(finish).date() if finish else None
    return values


def _check_classes(*levels: Classification | None) -> None:
    parent = None
    for depth, node in enumerate(levels, start=1):
        if node is None:
            parent = None
            if any(levels[depth:]):
                raise RequestError(_("Choose the classification level by level, from the first."))
            return
        if node.level != depth or node.parent_id != (parent.pk if parent else None):
            raise RequestError(_("“%(name)s” is not under “%(parent)s”.")
                               % {"name": node.name, "parent": parent.name if parent else "—"})
        parent = node


# --- routing ---------------------------------------------------------------------------------------


def least_loaded_member(*, team: Team, now: dt.datetime) -> User | None:
    """The active member of the team with the fewest open requests, not absent now; the longest-serving wins ties."""
    return (
        team.members.filter(is_active=True)
        .exclude(absence__until__gt=now)
        .annotate(load=Count("taken_requests", filter=Q(taken_requests__status__in=OPEN_STATUSES)))
        .order_by("load", "pk")
        .first()
    )


# --- create ----------------------------------------------------------------------------------------


def party_defaults(party: Party) -> dict[str, Any]:
    """What a new request of the customer starts with: their contact and primary address."""
    address = Address.objects.filter(party=party).order_by("-is_primary", "pk").first()
    return {
        "contact_person": party.name if party.kind == "person" else "",
        "phone": party.phone, "email": party.email,
        "address": address.street if address else "", "locality": address.city if address else party.city,
        "country": address.country if address else party.country,
    }


def request_create(
    *, channel: str, party: Party, request_type: RequestType, by: Any, now: dt.datetime,
    document_date: dt.date | None = None, **details: Any,
) -> ServiceRequest:
    """Take a new request from any channel (back office, API, portal, e-mail) and number it.

    `details` are any of EDITABLE; the customer's contact and address fill what is not given. The request
    lands in the queue of its type's team, and with automatic assignment goes to the least-loaded member.
    The number comes from the document series inside this transaction: if anything fails, it is given
    back and the series stays gapless. The document date must lie in an open period.
    """
    unknown = set(details) - set(EDITABLE)
    if unknown:
        raise TypeError(f"request_create cannot set {sorted(unknown)}")
    if channel not in RequestChannel.values:
        raise ValueError(f"unknown channel {channel!r}")
    assert_not_merged(party)
    if not request_type.active:
        raise RequestError(_("The request type “%(name)s” is no longer used.") % {"name": request_type.name})
    document_date = document_date or timezone.localdate(now)
    defaults = party_defaults(party)
    values = {**dict.fromkeys(EDITABLE), **defaults, **{k: v for k, v in details.items() if v not in (None, "")}}
    values["request_type"], values["document_date"] = request_type, document_date
    values["priority"] = values["priority"] or 2
    values["team"] = values["team"] or request_type.team
    values = _check(values, status=RequestStatus.TAKEN, party=party)
    with transaction.atomic():
        period_assert_open(on=document_date, domain=PERIOD_DOMAIN)
        if values["taken_by"] is None and request_type.auto_assign and values["team"] is not None:
            values["taken_by"] = least_loaded_member(team=values["team"], now=now)
        number = series_next_number(series=request_series(), on=document_date)
        person = by if getattr(by, "is_authenticated", False) else None
        request = ServiceRequest.objects.create(
            number=number, party=party, status=RequestStatus.TAKEN, channel=channel, created_at=now,
            created_by=person, touched_at=now, **values,
        )
        request.status_changes.create(from_status="", to_status=RequestStatus.TAKEN, at=now, by=person)
        changes = {"number": (None, number), "status": (None, RequestStatus.TAKEN)}
        changes.update({f: (None, values[f]) for f in EDITABLE if values[f] not in (None, "")})
        request_event(request=request, event="created", by=by, changes=changes, channel=channel, now=now)
    return request


# --- change ----------------------------------------------------------------------------------------


def request_assert_changeable(request: ServiceRequest) -> None:
    if not request.is_open:
        raise RequestError(_("Request %(number)s is %(status)s and can no longer be changed.")
                           % {"number": request.number, "status": request.get_status_display().lower()})


def request_update(
    *, request: ServiceRequest, values: Mapping[str, Any], by: Any, channel: str = RequestChannel.UI,
    now: dt.datetime,
) -> ServiceRequest:
    """Change a request's fields (never its number or status); a closed period freezes its date."""
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise TypeError(f"request_update cannot change {sorted(unknown)}")
    request_assert_changeable(request)
    merged = {f: getattr(request, f) for f in EDITABLE}
    merged.update(values)
    merged = _check(merged, status=request.status, party=request.party)
    changes = {f: (getattr(request, f), merged[f]) for f in EDITABLE if getattr(request, f) != merged[f]}
    if not changes:
        return request
    with transaction.atomic():
        period_assert_open(on=request.document_date, domain=PERIOD_DOMAIN)
        if "document_date" in changes:
            period_assert_open(on=merged["document_date"], domain=PERIOD_DOMAIN)
        fields = [*changes, "planned_start_on", "planned_finish_on"]
        for field in fields:
            setattr(request, field, merged[field])
        request.touched_at = now
        request.save(update_fields=[*fields, "touched_at"])
        request_event(request=request, event="changed", by=by, changes=changes, channel=channel, now=now)
    return request


# --- timeline ----------------------------------------------------------------------------------------

ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENTS_PER_MESSAGE = 10
MESSAGE_MAX_LENGTH = 20_000
# Files people send about a request, by extension, with how they start when they can be recognised.
ALLOWED_FILES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",), ".png": (b"\x89PNG\r\n\x1a\n",), ".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"), ".webp": (b"RIFF",), ".txt": (), ".csv": (), ".eml": (),
    ".docx": (b"PK\x03\x04",), ".xlsx": (b"PK\x03\x04",), ".odt": (b"PK\x03\x04",), ".ods": (b"PK\x03\x04",),
    ".zip": (b"PK\x03\x04",),
}


@dataclass(frozen=True)
class Upload:
    """A file to attach: its name as the sender gave it, and its content (Django's UploadedFile will do)."""

    name: str
    content: Any  # a file object with .read() and .size


def attachment_check(upload: Any) -> tuple[str, str]:
    """Refuse a file that is too big, of a kind not accepted, or not what its name says; return (name, type)."""
    name = PurePosixPath((upload.name or "file").replace("\\", "/")).name[:200] or "file"
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in ALLOWED_FILES:
        raise RequestError(_("“%(name)s” cannot be attached: accepted are %(kinds)s.")
                           % {"name": name, "kinds": ", ".join(sorted(s.lstrip(".") for s in ALLOWED_FILES))})
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise RequestError(_("“%(name)s” is larger than %(mb)s MB.")
                           % {"name": name, "mb": ATTACHMENT_MAX_BYTES // (1024 * 1024)})
    if upload.size == 0:
        raise RequestError(_("“%(name)s” is empty.") % {"name": name})
    signatures = ALLOWED_FILES[suffix]
    if signatures:
        upload.seek(0)
        head = upload.read(16)
        upload.seek(0)
        if not any(head.startswith(s) for s in signatures):
            raise RequestError(_("“%(name)s” is not the kind of file its name says.") % {"name": name})
    content_type = mimetypes.types_map.get(suffix) or {".eml": "message/rfc822"}.get(suffix, "application/octet-stream")
    return name, content_type


def request_message_add(
    *, request: ServiceRequest, by: Any, text: str, registry_ref: str = "", files: Sequence[Any] = (),
    channel: str = RequestChannel.UI, now: dt.datetime,
) -> RequestMessage:
    """Write on a request's timeline, with files (checked, stored privately) and a registry reference."""
    text, registry_ref = text.strip(), " ".join(registry_ref.split())
    if not text and not files:
        raise RequestError(_("Write something or attach a file."))
    if len(text) > MESSAGE_MAX_LENGTH:
        raise RequestError(_("A message can be at most %(n)s characters long.") % {"n": MESSAGE_MAX_LENGTH})
    if len(files) > ATTACHMENTS_PER_MESSAGE:
        raise RequestError(_("Attach at most %(n)s files to one message.") % {"n": ATTACHMENTS_PER_MESSAGE})
    checked = [(upload, *attachment_check(upload)) for upload in files]
    stored: list[Attachment] = []
    try:
        with transaction.atomic():
            message = RequestMessage.objects.create(
                request=request, at=now, author=by if getattr(by, "is_authenticated", False) else None,
                text=text, registry_ref=registry_ref[:200],
            )
            for upload, name, content_type in checked:
                attachment = Attachment(message=message, name=name, size=upload.size, content_type=content_type)
                attachment.file.save(name, upload, save=False)
                stored.append(attachment)
                attachment.save()
            request.touched_at = now
            request.save(update_fields=["touched_at"])
            request_event(request=request, event="message", by=by, channel=channel, now=now, changes={
                "message": (None, text[:300]),
                **({"files": (None, [n for _u, n, _t in checked])} if checked else {}),
            })
    except BaseException:
        for attachment in stored:  # no row points at them any more
            attachment.file.delete(save=False)
        raise
    return message

