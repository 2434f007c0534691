from django.contrib import admin
from django.urls import include, path

from abonent.api.urls import api
from abonent.core import views as core_views

urlpatterns = [
    path("", include("abonent.core.urls")),
    path("accounts/", include("abonent.accounts.urls")),
    path("customers/", include("abonent.customers.urls")),
    path("contracts/", include("abonent.contracts.urls")),
    path("billing/", include("abonent.billing.urls")),
    path("notifications/", include("abonent.notifications.urls")),
    path("banking/", include("abonent.banking.urls")),
    path("callcenter/", include("abonent.callcenter.urls")),
    path("calendar/", include("abonent.appointments.urls")),
    path("imports/", include("abonent.imports.urls")),
    path("api/", api.urls),
    path("healthz", core_views.healthz, name="healthz"),
    path("django-admin/", admin.site.urls),
]

handler403 = "abonent.core.errors.forbidden"
handler404 = "abonent.core.errors.not_found"
