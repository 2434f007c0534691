"""Reads for the import pages: a job's staged rows, page by page, with the customers they became."""

from __future__ import annotations

from django.db.models import QuerySet

from abonent.imports.models import ImportJob, ImportRow, RowStatus


def job_rows(*, job: ImportJob, status: str = "", after: int = 0, limit: int = 50) -> QuerySet[ImportRow]:
    """The job's rows after row number `after` (keyset paging: row numbers are unique in a job), in file order.

    The customer of each row comes along (None once a revert deleted it).
    """
    rows = ImportRow.objects.filter(job=job, number__gt=after)
    if status in RowStatus.values:
        rows = rows.filter(status=status)
    return rows.select_related("party").only(
        "number", "cells", "status", "errors", "party__name",
    ).order_by("number")[:limit]


def job_rejected_first(*, job: ImportJob, limit: int = 20) -> list[ImportRow]:
    """The first rejected rows of a job with their reasons."""
    return list(ImportRow.objects.filter(job=job, status=RowStatus.REJECTED).only("number", "cells", "errors")
                .order_by("number")[:limit])
