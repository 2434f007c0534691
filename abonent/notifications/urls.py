from django.urls import path

from abonent.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/open", views.notification_open, name="open"),
    path("read-all", views.mark_all_read, name="read_all"),
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/<int:pk>/retry", views.outbox_retry, name="outbox_retry"),
]
