import datetime as dt

import pytest

from abonent.core.models import AuditEntry
from abonent.core.services import AbonentError
from abonent.customers.activity_services import (
    note_add,
    note_change,
    note_remove,
    note_sanitise,
    task_add,
    task_change,
    task_remove,
    task_set_done,
)
from abonent.customers.models import Note, Task
from abonent.customers.tests.factories import person

NOW = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(("raw", "stored"), [
    ("<p>Hello <script>alert(1)</script><b>you</b></p>", "<p>Hello <b>you</b></p>"),
    ('<a href="javascript:alert(1)" onclick="x()">link</a>', '<a rel="noopener noreferrer nofollow">link</a>'),
    ('<img src=x onerror=alert(1)><iframe src="https://evil.example"></iframe>ok', "ok"),
    ('<p style="color:red">styled</p>', "<p>styled</p>"),
])
def test_a_note_keeps_only_safe_markup(raw, stored):
    assert note_sanitise(raw) == stored


@pytest.mark.parametrize(("raw", "stored"), [
    ("plain <text & more", "<p>plain &lt;text &amp; more</p>"),
    ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"),
    ("line one\nline two\n\npara two", "<p>line one<br>line two</p>\n\n<p>para two</p>"),
])
def test_a_plain_text_note_is_kept_word_for_word(raw, stored):
    assert note_sanitise(raw, is_html=False) == stored


def test_it_writes_a_note_and_records_its_text(make_user):
    agent = make_user()
    party = person()

    note = note_add(party=party, body="<p>Wants <strong>fibre</strong></p><ul><li>100 Mbit</li></ul>", by=agent,
                    now=NOW)

    note.refresh_from_db()
    assert (note.author, note.created_at) == (agent, NOW)
    assert note.body == "<p>Wants <strong>fibre</strong></p><ul><li>100 Mbit</li></ul>"
    entry = AuditEntry.objects.get(action="abonent.customers.note.added")
    assert entry.changes == {"body": [None, "Wants fibre\n100 Mbit"]}
    assert entry.subject_id == str(party.pk)


def test_an_empty_note_is_refused(make_user):
    with pytest.raises(AbonentError, match="empty"):
        note_add(party=person(), body="<p> </p><script>x</script>", by=make_user())

    assert not Note.objects.exists()


def test_it_changes_and_removes_a_note_with_history(make_user):
    note = note_add(party=person(), body="first", by=make_user())

    note_change(note=note, body="second", by=make_user(), now=NOW)
    note_remove(note=note, by=make_user())

    assert not Note.objects.exists()
    actions = list(AuditEntry.objects.filter(action__startswith="abonent.customers.note").order_by("id")
                   .values_list("action", "changes"))
    assert actions == [
        ("abonent.customers.note.added", {"body": [None, "first"]}),
        ("abonent.customers.note.changed", {"body": ["first", "second"]}),
        ("abonent.customers.note.removed", {"body": ["second", None]}),
    ]


def test_a_task_belongs_to_its_author_unless_given_to_someone(make_user):
    agent, rep = make_user(), make_user()
    party = person()

    mine = task_add(party=party, title=" Call  back ", by=agent, due_on=dt.date(2026, 3, 5))
    theirs = task_add(party=party, title="Visit", by=agent, owner=rep)

    assert (mine.title, mine.owner, mine.due_on) == ("Call back", agent, dt.date(2026, 3, 5))
    assert theirs.owner == rep


def test_a_task_is_done_then_open_again(make_user):
    task = task_add(party=person(), title="Send the offer", by=make_user())

    task_set_done(task=task, done=True, by=make_user(), now=NOW)
    assert Task.objects.get().done_at == NOW
    task_set_done(task=task, done=False, by=make_user())

    assert Task.objects.get().done_at is None
    verbs = list(AuditEntry.objects.filter(action__startswith="abonent.customers.task").order_by("id")
                 .values_list("action", flat=True))
    assert verbs == ["abonent.customers.task.added", "abonent.customers.task.done", "abonent.customers.task.reopened"]


def test_a_task_needs_a_title_and_can_be_changed_and_removed(make_user):
    party = person()
    with pytest.raises(AbonentError):
        task_add(party=party, title="   ", by=make_user())
    task = task_add(party=party, title="Call", by=make_user())

    task_change(task=task, values={"due_on": dt.date(2026, 4, 1)}, by=make_user())
    task_remove(task=task, by=make_user())

    assert not Task.objects.exists()
    changed = AuditEntry.objects.get(action="abonent.customers.task.changed")
    assert changed.changes == {"due_on": [None, "2026-04-01"]}
