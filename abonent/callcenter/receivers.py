"""What the call center does when something happened: a customer merged, a request changed."""

from __future__ import annotations

from django.dispatch import receiver

from abonent.callcenter.models import Call, CampaignTarget, PartyCallState, ServiceRequest
from abonent.callcenter.request_mail import request_mail_on_change
from abonent.callcenter.signals import request_changed
from abonent.customers.signals import party_merged


@receiver(party_merged, dispatch_uid="callcenter.party_merged")
def move_call_center_rows(sender, *, survivor, merged, by, channel, now, **kwargs) -> None:
    """The merged customer's calls, requests and campaign places now belong to the survivor."""
    Call.objects.filter(party=merged).update(party=survivor)
    ServiceRequest.objects.filter(party=merged).update(party=survivor)
    kept = set(CampaignTarget.objects.filter(party=survivor).values_list("campaign_id", flat=True))
    CampaignTarget.objects.filter(party=merged, campaign_id__in=kept).delete()
    CampaignTarget.objects.filter(party=merged).update(party=survivor)
    gone = PartyCallState.objects.filter(party=merged).first()
    if gone is None:
        return
    state = PartyCallState.objects.filter(party=survivor).first()
    if state is None:
        gone.party = survivor
        gone.save(update_fields=["party"])
        return
    if gone.last_call_at and (state.last_call_at is None or gone.last_call_at > state.last_call_at):
        state.last_call_at, state.last_outcome = gone.last_call_at, gone.last_outcome
    pending = [t for t in (state.next_callback_at, gone.next_callback_at) if t]
    state.next_callback_at = min(pending) if pending else None
    state.calls += gone.calls
    state.save()
    gone.delete()


@receiver(request_changed, dispatch_uid="callcenter.request_mail")
def mail_about_request(sender, *, request, event, by, changes, note, channel, now, **kwargs) -> None:
    """The e-mails the settings ask for (to the customer, to the staff), queued with the change."""
    request_mail_on_change(request=request, event=event, by=by, changes=changes, note=note, now=now)
