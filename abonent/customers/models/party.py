"""Parties (people and organisations) and what belongs directly to them."""

from django.conf import settings
from django.db import models
from django.db.models import F
from django.db.models.functions import Upper
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

__all__ = [
    "Address", "AddressKind", "BankAccount", "CallCenterStatus", "ContactKind", "ContactPoint", "Note", "Party",
    "PartyKind", "Stage", "StageChange", "Tag", "Task", "TrackingScope",
]


class PartyKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")


class Stage(models.TextChoices):
    PROSPECT = "prospect", _("Prospect")
    LEAD = "lead", _("Lead")
    CUSTOMER = "customer", _("Customer")
    FORMER = "former", _("Former customer")


class CallCenterStatus(models.Model):
    """Where the call center stands with a customer ("call back", "do not call"); administrators keep the list."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("call-center status")
        verbose_name_plural = _("call-center statuses")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=40, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PartyQuerySet(models.QuerySet):
    def active(self) -> "PartyQuerySet":
        """Parties that were not merged into another: what every list shows."""
        return self.filter(merged_into__isnull=True)


class Party(models.Model):
    """A person or an organisation Abonent follows: prospect, lead, customer or former customer."""

    kind = models.CharField(_("kind"), max_length=12, choices=PartyKind.choices, default=PartyKind.PERSON)
    # Indexes are declared in Meta, not with db_index: on PostgreSQL db_index adds a second, pattern-matching
    # copy of each text index (for LIKE 'x%'), which only the tax ID's prefix search uses. An import writes
    # every index of every row, and these copies were a third of the party's.
    name = models.CharField(_("name"), max_length=200)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2)
    # email, phone, iban and city repeat the primary contact, bank account and address, for lists and search.
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    tax_id = models.CharField(_("tax ID"), max_length=20, blank=True, db_index=True)
    vat_id = models.CharField(_("VAT number"), max_length=20, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, default=Stage.PROSPECT)
    call_center_status = models.ForeignKey(
        CallCenterStatus, verbose_name=_("call-center status"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="parties",
    )
    sales_rep = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("sales rep"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="parties")
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="parties")
    external_ref = models.CharField(_("external ID"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created"))
    # A duplicate merged into another party stays as a tombstone: its old links lead to the survivor.
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="merged_parties", db_index=False,  # indexed in Meta: the few merged rows only
    )
    merged_at = models.DateTimeField(_("merged"), null=True, blank=True)

    objects = PartyQuerySet.as_manager()

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        constraints = [
            models.UniqueConstraint(fields=["external_ref"], condition=~models.Q(external_ref=""),
                                    name="party_external_ref_unique"),
            models.CheckConstraint(condition=~models.Q(merged_into=models.F("id")), name="party_not_merged_into_self"),
        ]
        indexes = [
            # Keyset pages of the customers list: each sortable column with the id that breaks ties.
            models.Index(fields=["name", "id"], name="party_name_keyset"),
            models.Index(fields=["created_at", "id"], name="party_created_keyset"),
            # Filtered pages and groups of the list: stage first, it is in most agents' filters.
            models.Index(fields=["stage", "name", "id"], name="party_stage_name_keyset"),
            # An agent's working set: a stage, a rep, a city (the list's filter: the whole name in any case).
            # Only the rows the list shows (merged duplicates left out), so that the page's capped count and
            # the group counts are read from the index alone. Within one stage, rep and city the rows come
            # in the list's order (name, id); city again at the end lets PostgreSQL check the filter without
            # the table (an INCLUDE column, which SQLite lacks). See docs/benchmarks.md.
            models.Index(F("stage"), F("sales_rep"), Upper("city"), F("name"), F("id"), F("city"),
                         name="party_agent_city", condition=models.Q(merged_into__isnull=True)),
            # The duplicates merged into a party. Only those rows: an index holding every NULL as well made
            # SQLite read the whole list through it (its statistics see ~500 rows per value, not 99% NULL).
            models.Index(fields=["merged_into"], name="party_merged_into",
                         condition=models.Q(merged_into__isnull=False)),
            models.Index(fields=["kind"], name="party_kind"),
            # The name needs none of its own: party_name_keyset starts with it.
            models.Index(fields=["stage"], name="party_stage"),
            models.Index(fields=["country"], name="party_country"),
            models.Index(fields=["city"], name="party_city"),
            models.Index(fields=["email"], name="party_email"),
            models.Index(fields=["phone"], name="party_phone"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None


class StageChange(models.Model):
    """One move of a party through the lifecycle: from, to, when, why and who."""

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="stage_changes",
                              db_index=False)  # stage_change_party_idx starts with it
    from_stage = models.CharField(_("from"), max_length=10, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=10, choices=Stage.choices)
    at = models.DateTimeField(_("when"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
                           on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["party", "-at"], name="stage_change_party_idx")]

    def __str__(self) -> str:
        return f"{self.from_stage or '∅'} → {self.to_stage}"


class ContactKind(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")


class ContactPoint(models.Model):
    """A phone number (E.164) or an e-mail address of a party."""

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(_("kind"), max_length=5, choices=ContactKind.choices)
    value = models.CharField(_("value"), max_length=254)  # contact_value_idx: equality only, no LIKE copy
    label = models.CharField(_("label"), max_length=60, blank=True, help_text=_("For example work, home, mobile."))
    is_primary = models.BooleanField(_("primary"), default=False)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["kind", "-is_primary", "id"]
        indexes = [models.Index(fields=["value"], name="contact_value_idx")]
        constraints = [
            models.UniqueConstraint(fields=["party", "kind"], condition=models.Q(is_primary=True),
                                    name="one_primary_contact_per_kind"),
        ]

    def __str__(self) -> str:
        return self.value


class AddressKind(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    CORRESPONDENCE = "correspondence", _("Correspondence")
    INSTALLATION = "installation", _("Installation")
    BILLING = "billing", _("Billing")


class Address(models.Model):
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="addresses")
    kind = models.CharField(_("kind"), max_length=15, choices=AddressKind.choices, default=AddressKind.REGISTERED)
    street = models.CharField(_("street and number"), max_length=200)
    city = models.CharField(_("city"), max_length=100)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    country = models.CharField(_("country"), max_length=2)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    is_primary = models.BooleanField(_("primary"), default=False)

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        ordering = ["-is_primary", "kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["party"], condition=models.Q(is_primary=True),
                                    name="one_primary_address"),
            models.CheckConstraint(condition=models.Q(latitude__gte=-90, latitude__lte=90) | models.Q(latitude=None),
                                   name="address_latitude_range"),
            models.CheckConstraint(
                condition=models.Q(longitude__gte=-180, longitude__lte=180) | models.Q(longitude=None),
                name="address_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return ", ".join(p for p in (self.street, f"{self.postal_code} {self.city}".strip(), self.country) if p)


class BankAccount(models.Model):
    """An IBAN, or for Russia a domestic account number with the bank's BIC."""

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="bank_accounts")
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    account_number = models.CharField(_("account number"), max_length=34, blank=True)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    label = models.CharField(_("label"), max_length=60, blank=True)
    is_primary = models.BooleanField(_("primary"), default=False)

    class Meta:
        verbose_name = _("bank account")
        verbose_name_plural = _("bank accounts")
        ordering = ["-is_primary", "id"]
        indexes = [models.Index(fields=["iban"], name="bank_account_iban_idx")]
        constraints = [
            models.UniqueConstraint(fields=["party"], condition=models.Q(is_primary=True),
                                    name="one_primary_bank_account"),
            models.CheckConstraint(condition=~models.Q(iban="", account_number=""), name="bank_account_has_number"),
        ]

    def __str__(self) -> str:
        return self.iban or f"{self.account_number} / {self.bic}".rstrip(" /")


class Note(models.Model):
    """A note about a party; `body` is HTML already sanitised by the note services."""

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="notes",
                              db_index=False)  # note_party_idx starts with it
    body = models.TextField(_("note"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("written"))
    changed_at = models.DateTimeField(_("changed"), null=True, blank=True)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["party", "-created_at"], name="note_party_idx")]

    def __str__(self) -> str:
        text = " ".join(strip_tags(self.body).split())
        return text if len(text) <= 60 else text[:59] + "…"


class Task(models.Model):
    """Something to do for a party, by someone, by a day."""

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("task"), max_length=200)
    due_on = models.DateField(_("due"), null=True, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="customer_tasks")
    created_at = models.DateTimeField(_("created"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["done_at", "due_on", "id"]
        indexes = [
            models.Index(fields=["party", "done_at"], name="task_party_idx"),
            models.Index(fields=["owner", "done_at", "due_on"], name="task_owner_open_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class TrackingScope(models.Model):
    """Whether changes to one field of one kind of record are written to the history (default: they are)."""

    entity = models.CharField(_("record"), max_length=40)
    field = models.CharField(_("field"), max_length=80)
    tracked = models.BooleanField(_("tracked"), default=True)

    class Meta:
        verbose_name = _("tracked field")
        verbose_name_plural = _("tracking scope")
        constraints = [models.UniqueConstraint(fields=["entity", "field"], name="one_scope_per_field")]

    def __str__(self) -> str:
        return f"{self.entity}.{self.field}={'on' if self.tracked else 'off'}"
