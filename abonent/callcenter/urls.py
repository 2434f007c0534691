from django.urls import path

from abonent.callcenter import call_views, meeting_views, report_views, request_views, settings_views
from abonent.callcenter.list_views import CALLS_URLS, QUEUE_URLS, REQUESTS_URLS

app_name = "callcenter"
urlpatterns = [
    # the agent's day
    path("queue/", call_views.queue_start, name="queue_start"),
    QUEUE_URLS,
    path("customers/<int:pk>/calls/", call_views.call_add, name="call_add"),
    path("customers/<int:pk>/meeting/", meeting_views.meeting_slots, name="meeting_slots"),
    path("customers/<int:pk>/meeting/book/", meeting_views.meeting_book_from_call, name="meeting_book"),
    path("calls/<int:pk>/", call_views.call_page, name="call"),
    CALLS_URLS,
    path("campaigns/", call_views.campaigns, name="campaigns"),
    path("campaigns/<int:pk>/", call_views.campaigns, name="campaign"),
    # service requests
    path("requests/new/", request_views.request_new, name="request_new"),
    path("requests/queue/", request_views.queue, name="queue_requests"),
    path("requests/queue/<int:team_id>/absence/", request_views.absence, name="absence"),
    path("requests/<int:pk>/", request_views.request_page, name="request"),
    path("requests/<int:pk>/edit/", request_views.request_edit, name="request_edit"),
    path("requests/<int:pk>/move/", request_views.request_move, name="request_move"),
    path("requests/<int:pk>/approvals/<int:approval_id>/", request_views.approval_decision, name="approval"),
    path("requests/<int:pk>/messages/", request_views.message_add, name="message_add"),
    path("requests/<int:pk>/files/<int:attachment_id>/", request_views.attachment_download, name="attachment"),
    path("requests/<int:pk>/evolution/", report_views.evolution_sheet, name="request_evolution"),
    path("requests/<int:pk>/intervention/", report_views.intervention_form, name="request_intervention"),
    REQUESTS_URLS,
    # reports
    path("reports/", report_views.reports, name="reports"),
    path("reports/requests/", report_views.requests_report, name="report_requests"),
    path("reports/objects/", report_views.objects_report, name="report_objects"),
    path("reports/products/", report_views.products_report, name="report_products"),
    # administrators' settings
    path("settings/", settings_views.settings_page, name="settings"),
    path("settings/outcomes/", settings_views.outcomes, name="outcomes"),
    path("settings/outcomes/<int:pk>/", settings_views.outcomes, name="outcomes_edit"),
    path("settings/types/", settings_views.request_types, name="types"),
    path("settings/types/<int:pk>/", settings_views.request_types, name="types_edit"),
    path("settings/classifications/", settings_views.classifications, name="classifications"),
    path("settings/classifications/<int:pk>/", settings_views.classifications, name="classifications_edit"),
    path("settings/zones/", settings_views.zones, name="zones"),
    path("settings/zones/<int:pk>/", settings_views.zones, name="zones_edit"),
]
