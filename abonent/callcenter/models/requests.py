"""Service requests (tickets): the request, its status moves, its timeline and finalisation approvals."""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from abonent.accounts.models import Team
from abonent.callcenter.models.reference import Classification, CommercialZone, RequestType
from abonent.contracts.models import Contract
from abonent.core.models import Approvable
from abonent.customers.models import Party

__all__ = [
    "OPEN_STATUSES", "Attachment", "FinalisationApproval", "Priority", "RequestChannel", "RequestMessage",
    "RequestStatus", "RequestWarning", "ServiceRequest", "StatusChange",
]


class RequestStatus(models.TextChoices):
    TAKEN = "taken", _("Taken")
    ALLOCATED = "allocated", pgettext_lazy("service request", "Allocated")
    CONFIRMED = "confirmed", _("Allocated and confirmed")
    FINALISED = "finalised", _("Finalised")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = (RequestStatus.TAKEN, RequestStatus.ALLOCATED, RequestStatus.CONFIRMED)


class Priority(models.IntegerChoices):
    LOW = 1, _("Low")
    MEDIUM = 2, _("Medium")
    HIGH = 3, _("High")


class RequestChannel(models.TextChoices):
    """Where a request came from."""

    UI = "ui", _("Back office")
    API = "api", _("API")
    PORTAL = "portal", _("Customer portal")
    EMAIL = "email", _("E-mail")


class ServiceRequest(models.Model):
    """A customer's request for service, numbered from a document series and moved through a workflow."""

    number = models.CharField(_("number"), max_length=40, unique=True)
    document_date = models.DateField(_("document date"))
    party = models.ForeignKey(Party, verbose_name=_("customer"), on_delete=models.PROTECT,
                              related_name="service_requests")
    contact_person = models.CharField(_("contact person"), max_length=200, blank=True)
    request_type = models.ForeignKey(RequestType, verbose_name=_("request type"), on_delete=models.PROTECT,
                                     related_name="requests")
    class_1 = models.ForeignKey(Classification, verbose_name=_("classification"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    class_2 = models.ForeignKey(Classification, verbose_name=_("sub-classification"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    class_3 = models.ForeignKey(Classification, verbose_name=_("detail classification"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    # What the request is about: a product or service of the customer; free text for customers without contracts.
    service_object = models.CharField(_("object"), max_length=200, blank=True)
    contract = models.ForeignKey(Contract, verbose_name=_("contract"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="service_requests")
    # The contract's number when a contract is chosen; typed by hand for a contract kept outside Abonent.
    contract_number = models.CharField(_("contract number"), max_length=40, blank=True)
    serial = models.CharField(_("serial / lot"), max_length=80, blank=True)
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices, default=Priority.MEDIUM)
    planned_start = models.DateTimeField(_("planned start"), null=True, blank=True)
    planned_finish = models.DateTimeField(_("planned finish"), null=True, blank=True)
    # The local days of the planned moments: the list groups by them.
    planned_start_on = models.DateField(_("planned start day"), null=True, blank=True, db_index=True)
    planned_finish_on = models.DateField(_("planned finish day"), null=True, blank=True, db_index=True)
    team = models.ForeignKey(Team, verbose_name=_("taking team"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="service_requests")
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("taken by"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="taken_requests")
    verifier = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("verifier"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="verified_requests")
    # Set only by the workflow (abonent.callcenter.workflow), never by hand.
    status = models.CharField(_("status"), max_length=10, choices=RequestStatus.choices,
                              default=RequestStatus.TAKEN)
    confirmed = models.BooleanField(_("confirmed"), default=False)
    finalised = models.BooleanField(_("finalised"), default=False)
    valid = models.BooleanField(_("valid"), default=True, help_text=_("Not cancelled."))
    notes = models.TextField(_("notes"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    locality = models.CharField(_("locality"), max_length=100, blank=True)
    region = models.CharField(_("county / region"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    zone = models.ForeignKey(CommercialZone, verbose_name=_("commercial zone"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="requests")
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    channel = models.CharField(_("received through"), max_length=10, choices=RequestChannel.choices,
                               default=RequestChannel.UI)
    created_at = models.DateTimeField(_("created"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    # The last time a person changed it, moved it or wrote on it: "untouched for N hours" is measured from here.
    touched_at = models.DateTimeField(_("last touched"))
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        indexes = [
            models.Index(fields=["number", "id"], name="request_number_keyset"),
            models.Index(fields=["document_date", "id"], name="request_date_keyset"),
            models.Index(fields=["created_at", "id"], name="request_created_keyset"),
            # The main list filtered by status, priority and zone, and grouped by status (the narrow index
            # counts the groups fastest); the wider one lets the default order (newest number first) read a
            # filtered page straight off the index instead of walking the numbers of a million requests.
            models.Index(fields=["status", "priority", "zone"], name="request_status_priority_zone"),
            models.Index(fields=["status", "priority", "zone", "number", "id"], name="request_spz_number"),
            models.Index(fields=["priority"], name="request_priority_idx"),
            # A team's queue: open requests by priority, then age.
            models.Index(fields=["team", "status", "-priority", "created_at"], name="request_queue_idx"),
            models.Index(fields=["party", "-document_date"], name="request_party_idx"),
            models.Index(fields=["service_object"], name="request_object_idx"),
            models.Index(fields=["address"], name="request_address_idx"),
            models.Index(fields=["planned_finish"], name="request_finish_idx",
                         condition=models.Q(status__in=["taken", "allocated", "confirmed"])),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def place(self) -> list[str]:
        """The address, locality and region given, in that order (the country is shown by its name)."""
        return [part for part in (self.address, self.locality, self.region) if part]


class StatusChange(models.Model):
    """One move of a request through the workflow."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=10, choices=RequestStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=10, choices=RequestStatus.choices)
    at = models.DateTimeField(_("when"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
                           on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["request", "at"], name="status_change_request_idx")]

    def __str__(self) -> str:
        return f"{self.from_status or '∅'} → {self.to_status}"


class RequestMessage(models.Model):
    """An entry of a request's timeline: who wrote what and when, with files and a registry reference."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="messages")
    at = models.DateTimeField(_("when"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("text"))
    registry_ref = models.CharField(
        _("registry record"), max_length=200, blank=True,
        help_text=_("The number or address of the record in the registry of documents, if there is one."),
    )

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["request", "at"], name="request_message_idx")]

    def __str__(self) -> str:
        return self.text[:60]


def private_storage():
    """Attachments live in a storage that is never served as public media; a view checks who may read them."""
    return storages["private"]


def attachment_path(instance: Attachment, filename: str) -> str:
    # A random name: the customer's file name is kept in `name`, never used on disk.
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"callcenter/requests/{instance.message.request_id}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    """A file attached to a timeline message."""

    message = models.ForeignKey(RequestMessage, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), storage=private_storage, upload_to=attachment_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    content_type = models.CharField(_("type"), max_length=100)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class FinalisationApproval(Approvable):
    """Someone other than the verifier asked to finalise: the verifier approves (or refuses) it."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="approvals")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("asked by"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(_("asked"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    refused_at = models.DateTimeField(_("refused at"), null=True, blank=True)
    refused_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("refused by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("finalisation approval")
        verbose_name_plural = _("finalisation approvals")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["request"], name="one_pending_approval_per_request",
                                    condition=models.Q(approved_at__isnull=True, refused_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} {self.requested_at:%Y-%m-%d %H:%M}"

    @property
    def is_pending(self) -> bool:
        return self.approved_at is None and self.refused_at is None


class RequestWarning(models.Model):
    """A warning sent to the team lead about a request: each kind is sent once per request."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="warnings_sent")
    kind = models.CharField(_("warning"), max_length=20)  # selectors.OVERDUE or selectors.UNTOUCHED
    sent_to = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("sent to"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField(_("sent"))

    class Meta:
        verbose_name = _("request warning")
        verbose_name_plural = _("request warnings")
        constraints = [models.UniqueConstraint(fields=["request", "kind"], name="one_warning_per_request_kind")]

    def __str__(self) -> str:
        return f"{self.request_id} {self.kind}"
