"""The one place that knows a service request changed: it writes the audit log and tells the listeners.

How much of a change reaches the audit log follows the operation log level in the settings:
basic keeps creation, status moves and approvals; advanced adds planning, assignment, priority and
classification changes; detailed adds every other field and each timeline message. The listeners of
`request_changed` (e-mails, warnings) always hear about everything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from abonent.callcenter.models import LogLevel, RequestChannel, RequestSettings, ServiceRequest
from abonent.callcenter.signals import EVENTS, request_changed
from abonent.core.models import Channel
from abonent.core.services import audit_record

# Changes an "advanced" log keeps besides what "basic" keeps.
ADVANCED_FIELDS = frozenset({
    "planned_start", "planned_finish", "team", "taken_by", "verifier", "priority", "request_type", "class_1",
    "class_2", "class_3", "document_date", "party",
})
# Events every level records.
ALWAYS = frozenset({"created", "moved", "approval_requested", "approval_refused"})
ACTIONS = {
    "created": "created", "changed": "changed", "message": "message_added",
    "approval_requested": "approval_requested", "approval_refused": "approval_refused",
}


def audit_channel(channel: str) -> str:
    """The audit log's channel for where a request came from (an e-mail is read in by the system)."""
    return Channel.SYSTEM if channel == RequestChannel.EMAIL else channel


def request_event(
    *, request: ServiceRequest, event: str, by: Any, changes: Mapping[str, tuple[Any, Any]] | None = None,
    note: str = "", channel: str = Channel.UI, now: dt.datetime, action: str = "",
) -> None:
    """Record an event of a request in the audit log (as much as the log level keeps) and announce it."""
    assert event in EVENTS, event
    changes = dict(changes or {})
    level = RequestSettings.load().log_level
    kept = _kept(event, changes, level)
    if kept is not None:
        audit_record(
            actor=by, action=f"abonent.callcenter.request.{action or ACTIONS[event]}", target=request,
            subject=request.party, changes=kept, note=note, channel=audit_channel(channel), now=now,
        )
    request_changed.send(sender=ServiceRequest, request=request, event=event, by=by, changes=changes, note=note,
                         channel=channel, now=now)


def _kept(event: str, changes: dict[str, tuple[Any, Any]], level: str) -> dict[str, tuple[Any, Any]] | None:
    """The changes the audit log keeps at this level; None when the event is not recorded at all."""
    if event in ALWAYS:
        if event == "created" and level != LogLevel.DETAILED:
            return {k: v for k, v in changes.items() if k in {"number", "status"} or
                    (level == LogLevel.ADVANCED and k in ADVANCED_FIELDS)}
        return changes
    if level == LogLevel.DETAILED:
        return changes
    if level == LogLevel.ADVANCED and event == "changed":
        kept = {k: v for k, v in changes.items() if k in ADVANCED_FIELDS}
        return kept or None
    return None
