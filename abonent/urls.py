from django.contrib import admin
from django.urls import include, path

from abonent.api.urls import api
from abonent.core import views as core_views

urlpatterns = [
    path("", include("abonent.core.urls")),
    path("accounts/", include("abonent.accounts.urls")),
    path("customers/", include("abonent.customers.urls")),
    path("notifications/", include("abonent.notifications.urls")),
    path("api/", api.urls),
    path("healthz", core_views.healthz, name="healthz"),
    path("django-admin/", admin.site.urls),
]

handler403 = "abonent.core.errors.forbidden"
handler404 = "abonent.core.errors.not_found"
