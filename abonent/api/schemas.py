from __future__ import annotations

import datetime as dt

from ninja import Schema


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    email: str
    role: str
    language: str
    modules: dict[str, str]


class AuditEntryOut(Schema):
    id: int
    at: dt.datetime
    actor: str
    action: str
    channel: str
    target_type: str | None
    target_id: str
    target_label: str
    changes: dict


class UserOut(Schema):
    id: int
    username: str
    first_name: str
    last_name: str
    email: str
    role: str
    is_active: bool


class ErrorOut(Schema):
    detail: str
