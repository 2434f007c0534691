from django.urls import path

from abonent.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("favourites/", views.favourite, name="favourite"),
    path("audit/", views.audit, name="audit"),
    path("settings/periods/", views.periods, name="periods"),
    path("settings/periods/<int:pk>/reopen/", views.period_reopen_view, name="period_reopen"),
    path("settings/series/", views.series_list, name="series_list"),
    path("settings/series/new/", views.series_edit, name="series_create"),
    path("settings/series/<int:pk>/", views.series_edit, name="series_edit"),
]
