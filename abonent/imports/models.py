"""Import jobs, the rows they stage, and saved column mappings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from abonent.customers.models import Party


class ImportKind(models.TextChoices):
    CUSTOMERS = "customers", _("Customers")


class JobStatus(models.TextChoices):
    NEW = "new", _("Waiting for the mapping")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    REVERTING = "reverting", _("Being reverted")
    REVERTED = "reverted", _("Reverted")


class OnDuplicate(models.TextChoices):
    UPDATE = "update", _("Update the existing customer")
    SKIP = "skip", _("Skip the row")
    CREATE = "create", _("Create a new customer anyway")


class MatchKey(models.TextChoices):
    TAX_ID = "tax_id", _("Tax ID")
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone")
    EXTERNAL_ID = "external_id", _("External ID")


class SourceFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"
    XLS = "xls", "XLS"
    ODS = "ods", "ODS"
    DATABASE = "database", _("Another database")


DEFAULT_MATCH_ON = [MatchKey.TAX_ID.value, MatchKey.EMAIL.value, MatchKey.EXTERNAL_ID.value]


def default_match_on() -> list[str]:
    return list(DEFAULT_MATCH_ON)


class MappingTemplate(models.Model):
    """A saved column mapping (and the import's settings) to reuse for the next file of the same shape."""

    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices, default=ImportKind.CUSTOMERS)
    name = models.CharField(_("name"), max_length=80)
    mapping = models.JSONField(_("mapping"), default=dict, help_text=_("Column header → field."))
    country_default = models.CharField(_("default country"), max_length=2, blank=True)
    column_countries = models.JSONField(_("country per column"), default=dict, blank=True)
    on_duplicate = models.CharField(_("on a duplicate"), max_length=10, choices=OnDuplicate.choices,
                                    default=OnDuplicate.UPDATE)
    match_on = models.JSONField(_("match on"), default=default_match_on)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"))
    updated_at = models.DateTimeField(_("changed"))

    class Meta:
        verbose_name = _("mapping template")
        verbose_name_plural = _("mapping templates")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["kind", "name"], name="one_mapping_template_name_per_kind")]

    def __str__(self) -> str:
        return self.name


class ImportJobQuerySet(models.QuerySet):
    def unfinished(self) -> ImportJobQuerySet:
        """Jobs the worker still has to process: queued, or running when a worker stopped."""
        return self.filter(status__in=(JobStatus.QUEUED, JobStatus.RUNNING))


class ImportJob(models.Model):
    """One import: the file (or query) as received, how its columns map, its rules, and its counts.

    The counters move in the same transaction as the rows they count, so they are exact after a crash.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices, default=ImportKind.CUSTOMERS)
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.NEW,
                              db_index=True)
    # What was received.
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", blank=True)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    format = models.CharField(_("format"), max_length=10, choices=SourceFormat.choices)
    encoding = models.CharField(_("encoding"), max_length=20, blank=True)
    delimiter = models.CharField(_("delimiter"), max_length=1, blank=True)
    sheet = models.CharField(_("sheet"), max_length=100, blank=True)
    header_row = models.PositiveIntegerField(_("header row"), null=True, blank=True,
                                             help_text=_("Row number of the column headers; empty when none."))
    headers = models.JSONField(_("columns"), default=list)
    sample = models.JSONField(_("first rows"), default=list)
    source_url = models.CharField(_("database"), max_length=500, blank=True, help_text=_("Without its password."))
    source_query = models.TextField(_("query"), blank=True)
    # How to read it.
    mapping = models.JSONField(_("mapping"), default=dict, help_text=_("Column header → field."))
    template = models.ForeignKey(MappingTemplate, verbose_name=_("mapping template"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="jobs")
    country_default = models.CharField(_("default country"), max_length=2, blank=True)
    column_countries = models.JSONField(_("country per column"), default=dict, blank=True)
    on_duplicate = models.CharField(_("on a duplicate"), max_length=10, choices=OnDuplicate.choices,
                                    default=OnDuplicate.UPDATE)
    match_on = models.JSONField(_("match on"), default=default_match_on)
    # Who, when, how far.
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="import_jobs")
    created_at = models.DateTimeField(_("uploaded"))
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    staged_at = models.DateTimeField(_("rows read"), null=True, blank=True,
                                     help_text=_("When the worker had copied the file's rows into the database."))
    heartbeat_at = models.DateTimeField(_("last batch"), null=True, blank=True)
    total = models.PositiveIntegerField(_("rows"), default=0)
    processed = models.PositiveIntegerField(_("rows done"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    error = models.TextField(_("error"), blank=True)
    reverted_at = models.DateTimeField(_("reverted"), null=True, blank=True)
    reverted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reverted by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "-created_at"], name="import_job_by_idx"),
                   models.Index(fields=["-created_at", "-id"], name="import_job_list_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.filename}"

    @property
    def is_finished(self) -> bool:
        """Whether its rows are all done (a job being reverted has finished importing)."""
        return self.status in (JobStatus.DONE, JobStatus.FAILED, JobStatus.REVERTING, JobStatus.REVERTED)


class RowStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    CREATED = "created", _("Created")
    UPDATED = "updated", _("Updated")
    SKIPPED = "skipped", _("Skipped")
    REJECTED = "rejected", _("Rejected")


class ImportRow(models.Model):
    """One row of the file, staged in the database as read, and what the import did with it."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rows",
                            db_index=False)  # import_row_number_unique starts with it
    # The row's number as a spreadsheet shows it (the header is row 1 when it is the first line).
    number = models.PositiveIntegerField(_("row"))
    # The cells as read, joined by the unit separator (U+001F; the reader turns any in a cell into a space):
    # staging 100,000 rows must take well under a second, and joining is five times cheaper than JSON.
    cells = models.TextField(_("cells"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=RowStatus.choices, default=RowStatus.PENDING)
    errors = models.JSONField(_("problems"), default=list, blank=True)
    # No database constraint: reverting a job deletes the customers it created while the rows stay as a record.
    party = models.ForeignKey(Party, verbose_name=_("customer"), null=True, blank=True, on_delete=models.DO_NOTHING,
                              db_constraint=False, db_index=False, related_name="+")
    # What an update replaced and added, for reverting the job: {"party": {field: old}, "added": {...}}.
    previous = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("imported row")
        verbose_name_plural = _("imported rows")
        ordering = ["job", "number"]
        constraints = [models.UniqueConstraint(fields=["job", "number"], name="import_row_number_unique")]

    def __str__(self) -> str:
        return f"{self.job_id}:{self.number} {self.status}"

    @property
    def cell_list(self) -> list[str]:
        return cells_split(self.cells)


CELL_SEPARATOR = "\x1f"


def cells_join(cells: list[str]) -> str:
    joined = CELL_SEPARATOR.join(cells)
    if joined.count(CELL_SEPARATOR) != len(cells) - 1 and cells:
        joined = CELL_SEPARATOR.join(c.replace(CELL_SEPARATOR, " ") for c in cells)
    return joined


def cells_split(text: str) -> list[str]:
    return text.split(CELL_SEPARATOR) if text else []
