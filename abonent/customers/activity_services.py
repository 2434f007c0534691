"""Writes about the notes and tasks kept on a customer."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import nh3
from django.db import transaction
from django.utils import timezone
from django.utils.html import linebreaks
from django.utils.translation import gettext as _

from abonent.core.models import Channel
from abonent.core.services import AbonentError, changed_fields
from abonent.customers.models import Note, Party, Task
from abonent.customers.services import assert_not_merged, audit_party_change

# What a note may contain: emphasis, lists, links, quotes and code; no images, styles, scripts or frames.
NOTE_TAGS = frozenset({
    "p", "br", "strong", "b", "em", "i", "u", "s", "ul", "ol", "li", "a", "blockquote", "code", "pre",
})
NOTE_ATTRIBUTES = {"a": {"href", "title"}}
NOTE_URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
NOTE_MAX_LENGTH = 20_000
HISTORY_TEXT_LENGTH = 500


def note_sanitise(raw: str, *, is_html: bool = True) -> str:
    """Return safe HTML for a note: plain text becomes escaped paragraphs; markup is cut down to NOTE_TAGS."""
    raw = raw.strip()
    if not is_html:
        return linebreaks(raw, autoescape=True)
    return nh3.clean(
        raw, tags=set(NOTE_TAGS), attributes={k: set(v) for k, v in NOTE_ATTRIBUTES.items()},
        url_schemes=set(NOTE_URL_SCHEMES), link_rel="noopener noreferrer nofollow",
    ).strip()


def note_text(body: str) -> str:
    """The note's words without markup: what the history shows."""
    text = html.unescape(nh3.clean(body.replace("</p>", "</p>\n").replace("<br>", "\n"), tags=set()))
    text = "\n".join(line.strip() for line in text.splitlines() if line.strip())
    return text if len(text) <= HISTORY_TEXT_LENGTH else text[: HISTORY_TEXT_LENGTH - 1] + "…"


def _checked_body(raw: str, is_html: bool) -> str:
    if len(raw) > NOTE_MAX_LENGTH:
        raise AbonentError(_("A note can be at most %(n)s characters long.") % {"n": NOTE_MAX_LENGTH})
    body = note_sanitise(raw, is_html=is_html)
    if not note_text(body):
        raise AbonentError(_("The note is empty."))
    return body


def note_add(
    *, party: Party, body: str, by, is_html: bool = True, channel: str = Channel.UI, now: dt.datetime | None = None,
) -> Note:
    """Write a note on the customer: HTML (sanitised before it is stored) or, with is_html=False, plain text."""
    assert_not_merged(party)
    now = now or timezone.now()
    author = by if getattr(by, "is_authenticated", False) else None
    note = Note(party=party, body=_checked_body(body, is_html), author=author, created_at=now)
    with transaction.atomic():
        note.save()
        audit_party_change(by=by, action="abonent.customers.note.added", party=party, target=note, entity="note",
                           changes={"body": (None, note_text(note.body))}, channel=channel, now=now)
    return note


def note_change(
    *, note: Note, body: str, by, is_html: bool = True, channel: str = Channel.UI, now: dt.datetime | None = None,
) -> Note:
    assert_not_merged(note.party)
    now = now or timezone.now()
    body = _checked_body(body, is_html)
    if body == note.body:
        return note
    old = note.body
    with transaction.atomic():
        note.body, note.changed_at = body, now
        note.save(update_fields=["body", "changed_at"])
        audit_party_change(by=by, action="abonent.customers.note.changed", party=note.party, target=note,
                           entity="note", changes={"body": (note_text(old), note_text(body))}, channel=channel,
                           now=now)
    return note


def note_remove(*, note: Note, by, channel: str = Channel.UI, now: dt.datetime | None = None) -> None:
    assert_not_merged(note.party)
    now = now or timezone.now()
    with transaction.atomic():
        audit_party_change(by=by, action="abonent.customers.note.removed", party=note.party, target=note,
                           entity="note", changes={"body": (note_text(note.body), None)}, channel=channel, now=now)
        note.delete()


# --- tasks -----------------------------------------------------------------------------------------


def _task_values(values: dict[str, Any]) -> dict[str, Any]:
    if "title" in values:
        values["title"] = " ".join((values["title"] or "").split())
        if not values["title"]:
            raise AbonentError(_("Say what is to be done."))
    return values


def task_add(
    *, party: Party, title: str, by, due_on: dt.date | None = None, owner=None, channel: str = Channel.UI,
    now: dt.datetime | None = None,
) -> Task:
    """Create a task for the customer, for someone (the author when no owner is given), due on a day."""
    assert_not_merged(party)
    now = now or timezone.now()
    values = _task_values({"title": title})
    if owner is None and getattr(by, "is_authenticated", False):
        owner = by
    task = Task(party=party, title=values["title"], due_on=due_on, owner=owner, created_at=now)
    with transaction.atomic():
        task.save()
        audit_party_change(
            by=by, action="abonent.customers.task.added", party=party, target=task, entity="task", channel=channel,
            now=now, changes={f: (None, getattr(task, f)) for f in ("title", "due_on", "owner") if getattr(task, f)},
        )
    return task


def task_change(
    *, task: Task, by, values: dict[str, Any], channel: str = Channel.UI, now: dt.datetime | None = None,
) -> Task:
    """Change a task's title, due day or owner."""
    assert_not_merged(task.party)
    now = now or timezone.now()
    changes = changed_fields(task, _task_values(dict(values)))
    if not changes:
        return task
    with transaction.atomic():
        for field, (_old, new) in changes.items():
            setattr(task, field, new)
        task.save(update_fields=list(changes))
        audit_party_change(by=by, action="abonent.customers.task.changed", party=task.party, target=task,
                           entity="task", changes=changes, channel=channel, now=now)
    return task


def task_set_done(
    *, task: Task, done: bool, by, channel: str = Channel.UI, now: dt.datetime | None = None,
) -> Task:
    """Tick the task off, or open it again."""
    assert_not_merged(task.party)
    now = now or timezone.now()
    if task.is_done == done:
        return task
    old = task.done_at
    with transaction.atomic():
        task.done_at = now if done else None
        task.save(update_fields=["done_at"])
        audit_party_change(by=by, action="abonent.customers.task." + ("done" if done else "reopened"),
                           party=task.party, target=task, entity="task", changes={"done_at": (old, task.done_at)},
                           channel=channel, now=now)
    return task


def task_remove(*, task: Task, by, channel: str = Channel.UI, now: dt.datetime | None = None) -> None:
    assert_not_merged(task.party)
    now = now or timezone.now()
    with transaction.atomic():
        audit_party_change(
            by=by, action="abonent.customers.task.removed", party=task.party, target=task, entity="task",
            channel=channel, now=now,
            changes={f: (getattr(task, f), None) for f in ("title", "due_on", "owner", "done_at") if getattr(task, f)},
        )
        task.delete()
