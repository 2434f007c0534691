from django.urls import path

from abonent.appointments import availability_views, booking_views, feed_views, list_views, views

app_name = "appointments"
urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("events.json", views.events, name="events"),
    path("free.json", views.free_json, name="free_json"),
    path("preferences/", views.preferences, name="preferences"),
    path("book/", booking_views.book, name="book"),
    path("meetings/<int:pk>/", views.meeting, name="meeting"),
    path("meetings/<int:pk>/status/", views.meeting_status, name="meeting_status"),
    path("meetings/<int:pk>/move/", views.meeting_move_view, name="meeting_move"),
    path("availability/", availability_views.availability, name="availability"),
    path("availability/<int:rep_id>/", availability_views.availability, name="availability_rep"),
    path("availability/<int:rep_id>/save/", availability_views.availability_save, name="availability_save"),
    path("availability/<int:rep_id>/absences/<int:pk>/remove/", availability_views.absence_remove_view,
         name="absence_remove"),
    path("feed/", feed_views.feed, name="feed"),
    path("feed/new/", feed_views.feed_create, name="feed_create"),
    path("feed/revoke/", feed_views.feed_revoke, name="feed_revoke"),
    path("feed/<str:secret>.ics", feed_views.ics, name="ics"),
    # the meetings list (abonent.core.grid)
    path("meetings/", list_views.meeting_list, name="list"),
    path("meetings/export.<str:fmt>", list_views.meeting_export, name="export"),
    path("meetings/report/", list_views.meeting_report, name="report"),
    path("meetings/columns/", list_views.meeting_list_columns, name="columns"),
    path("meetings/views/", list_views.meeting_view_save, name="view_save"),
    path("meetings/views/<int:pk>/delete/", list_views.meeting_view_delete, name="view_delete"),
    path("meetings/views/<int:pk>/pin/", list_views.meeting_view_pin, name="view_pin"),
]
