"""The REST API: /api/, OpenAPI at /api/docs; every endpoint checks the same module rights as the UI."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import HttpRequest
from ninja import NinjaAPI, Query

from abonent.accounts.models import User
from abonent.api import customer_rows, customers, errors
from abonent.api.auth import StaffSessionAuth, TokenAuth, require
from abonent.api.schemas import AuditEntryOut, ErrorOut, MeOut, UserOut
from abonent.core.roles import Access
from abonent.core.selectors import audit_list

api = NinjaAPI(
    title="Abonent API",
    version="1",
    description="Send `Authorization: Bearer <token>`; create tokens on your profile page.",
    auth=[TokenAuth(), StaffSessionAuth()],
    urls_namespace="api",
)
errors.install(api)
customers.install(api)
api.add_router("/customers", customers.router)
api.add_router("/customers", customer_rows.router)

PAGE_LIMIT = 200


@api.get("/me", response=MeOut, tags=["accounts"])
def me(request: HttpRequest):
    """Return the caller and the access they have to each module."""
    user = request.auth
    return MeOut(
        id=user.pk, username=user.username, full_name=user.get_full_name(), email=user.email, role=user.role,
        language=user.language,
        modules={m: Access(user.module_access(m)).name.lower() for m in settings.ABONENT_MODULES},
    )


@api.get("/users", response={200: list[UserOut], 403: ErrorOut}, tags=["accounts"])
def users(request: HttpRequest, role: str = "", limit: int = Query(50, le=PAGE_LIMIT, ge=1), after_id: int = 0):
    """List users by id; continue with `after_id` set to the last id you received."""
    require(request, "accounts", Access.READ)
    rows = User.objects.filter(id__gt=after_id).order_by("id")
    if role:
        rows = rows.filter(role=role)
    return list(rows[:limit])


@api.get("/audit", response={200: list[AuditEntryOut], 403: ErrorOut}, tags=["audit"])
def audit(
    request: HttpRequest, action: str = "", channel: str = "", target: str = "",
    since: dt.date | None = None, until: dt.date | None = None, before_id: int | None = None,
    limit: int = Query(50, le=PAGE_LIMIT, ge=1),
):
    """List audit entries, newest first; continue with `before_id` set to the last id you received."""
    require(request, "audit", Access.READ)
    entries = audit_list(action=action, channel=channel, target=target, since=since, until=until,
                         before_id=before_id)[:limit]
    return [
        AuditEntryOut(
            id=e.id, at=e.at, actor=e.actor_label, action=e.action, channel=e.channel,
            target_type=e.target_type.model if e.target_type else None, target_id=e.target_id,
            target_label=e.target_label, changes=e.changes,
        )
        for e in entries
    ]
