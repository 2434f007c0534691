"""What the call center tells the rest of Abonent (e-mails, warnings, appointments connect receivers here).

Both are sent inside the transaction that made the change, so that what a receiver writes (an e-mail in
the outbox) is committed or rolled back with it.
"""

from django.dispatch import Signal

# Every change of a service request, from the one place that knows (abonent.callcenter.request_events):
# request=, event= (one of EVENTS), by=, changes= {field: (old, new)}, note=, channel=, now=.
request_changed = Signal()

EVENTS = (
    "created",             # a new request, numbered
    "changed",             # fields changed through request_update
    "moved",               # a status move; changes holds {"status": (old, new)}
    "message",             # a message was added to the timeline
    "approval_requested",  # finalising waits for the verifier
    "approval_refused",    # the verifier refused to finalise; the request stays as it was
)

# A call was logged: call=, by=, now=. Appointments may offer to book the meeting an outcome announced.
call_logged = Signal()
