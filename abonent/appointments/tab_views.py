"""The customer page's "Meetings" tab."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from abonent.appointments.selectors import party_meetings
from abonent.core.permissions import has_access
from abonent.core.roles import Access

TAB_ROWS = 50


def meetings_tab(request: HttpRequest, party) -> HttpResponse:
    can_book = has_access(request.user, "appointments", Access.WRITE) and not party.merged_into_id
    return render(request, "appointments/tab_meetings.html", {
        "party": party, "meetings": party_meetings(user=request.user, party_id=party.pk)[:TAB_ROWS],
        "book_url": f"{reverse('appointments:book')}?{urlencode({'party': party.pk})}" if can_book else "",
    })
