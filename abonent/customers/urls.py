from django.urls import path

from abonent.customers import views

app_name = "customers"
urlpatterns = [
    path("", views.party_list, name="list"),
    path("export.<str:fmt>", views.party_export, name="export"),
    path("report/", views.party_report, name="report"),
    path("columns/", views.party_list_columns, name="columns"),
    path("views/", views.party_view_save, name="view_save"),
    path("views/<int:pk>/delete/", views.party_view_delete, name="view_delete"),
    path("views/<int:pk>/pin/", views.party_view_pin, name="view_pin"),
]
