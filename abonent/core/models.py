from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    UI = "ui", _("User interface")
    API = "api", _("API")
    IMPORT = "import", _("Import")
    PORTAL = "portal", _("Customer portal")
    SYSTEM = "system", _("System")


class AuditEntry(models.Model):
    """One change: who made it, when, through which channel, to what, and old → new values."""

    at = models.DateTimeField(_("when"))  # lists go by id, newest first; a day is looked up within a subject
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), null=True, blank=True, on_delete=models.SET_NULL
    )
    # Kept beside the key so the entry still names a person after the account is gone.
    actor_label = models.CharField(_("who"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=120)  # audit_action_idx
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.UI)
    # The log is written a hundred thousand rows at a time by imports and never points at a missing type: its
    # two type keys have no database constraint (whose check per row cost more than the row) and no index of
    # their own (the composite indexes below start with them).
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL,
                                    db_constraint=False, db_index=False)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(_("target"), max_length=300, blank=True)
    # The record whose history this change belongs to: the customer when the target is their address.
    subject_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                     db_constraint=False, db_index=False)
    subject_id = models.CharField(max_length=64, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [
            models.Index(fields=["target_type", "target_id", "-id"], name="audit_target_idx"),
            models.Index(fields=["subject_type", "subject_id", "-id"], name="audit_subject_idx"),
            # One index for both "is" and "starts with" (the log's filter): PostgreSQL's pattern operators
            # answer both, where db_index made two. Other databases ignore the operator class.
            models.Index(fields=["action"], name="audit_action_idx", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target_label}"


class DocumentSeries(models.Model):
    """A named numbering series for one document type, e.g. service requests "SR{yyyy}-000123"."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    document_type = models.CharField(_("document type"), max_length=60, db_index=True)
    name = models.CharField(_("name"), max_length=120)
    prefix = models.CharField(
        _("prefix"), max_length=40, blank=True, help_text=_("May contain {yyyy} or {yy} for the year.")
    )
    padding = models.PositiveSmallIntegerField(_("digits"), default=6)
    reset_yearly = models.BooleanField(_("restart numbering every year"), default=False)
    is_default = models.BooleanField(_("default for its document type"), default=False)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("document series")
        verbose_name_plural = _("document series")
        ordering = ["document_type", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["document_type"], condition=models.Q(is_default=True), name="one_default_series_per_type"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def format(self, *, number: int, year: int) -> str:
        prefix = self.prefix.replace("{yyyy}", f"{year:04d}").replace("{yy}", f"{year % 100:02d}")
        return f"{prefix}{number:0{self.padding}d}"


class SeriesCounter(models.Model):
    """The next number of a series in one year (year 0 when the series never restarts)."""

    series = models.ForeignKey(DocumentSeries, on_delete=models.CASCADE, related_name="counters")
    year = models.PositiveSmallIntegerField()
    next_number = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["series", "year"], name="one_counter_per_series_year")]

    def __str__(self) -> str:
        return f"{self.series_id}/{self.year}: {self.next_number}"


class ClosedPeriod(models.Model):
    """A closed accounting period [active_from, active_to): documents dated inside it are frozen."""

    active_from = models.DateField(_("from"))
    active_to = models.DateField(_("until (exclusive)"))
    domain = models.CharField(
        _("module"), max_length=40, blank=True, help_text=_("Empty closes the period for every module.")
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    closed_at = models.DateTimeField(_("closed at"))

    class Meta:
        verbose_name = _("closed period")
        verbose_name_plural = _("closed periods")
        ordering = ["-active_from"]
        constraints = [
            models.CheckConstraint(condition=models.Q(active_to__gt=models.F("active_from")), name="period_not_empty")
        ]

    def __str__(self) -> str:
        return f"[{self.active_from}, {self.active_to}) {self.domain or '*'}"


class Favourite(models.Model):
    """A page a user pinned to the "my favourites" area of the shell."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="favourites")
    title = models.CharField(_("title"), max_length=120)
    url = models.CharField(_("address"), max_length=500)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["user", "url"], name="one_favourite_per_url")]

    def __str__(self) -> str:
        return self.title


class Approvable(models.Model):
    """Mixin for data that becomes binding once approved (validated invoices, signed contracts, ...)."""

    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None


class SavedView(models.Model):
    """A named way of looking at a list: its filters, sort, grouping and columns, private or shared."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views")
    list_key = models.CharField(_("list"), max_length=40)
    name = models.CharField(_("name"), max_length=80)
    # The list's own query string (filters, sort, group, cols), as the list page reads it from the URL.
    query = models.CharField(_("query"), max_length=2000, blank=True)
    shared = models.BooleanField(_("shared with everyone"), default=False)
    created_at = models.DateTimeField(_("created"))
    updated_at = models.DateTimeField(_("changed"))

    class Meta:
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "list_key", "name"], name="one_saved_view_name_per_owner"),
        ]
        indexes = [models.Index(fields=["list_key", "shared"], name="saved_view_shared_idx")]

    def __str__(self) -> str:
        return self.name


class ListLayout(models.Model):
    """The columns a user chose for one list, in their order."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="list_layouts")
    list_key = models.CharField(_("list"), max_length=40)
    columns = models.JSONField(_("columns"), default=list)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "list_key"], name="one_layout_per_user_list")]

    def __str__(self) -> str:
        return f"{self.user_id}/{self.list_key}"
