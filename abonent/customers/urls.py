from django.urls import include, path

from abonent.customers import views

app_name = "customers"
urlpatterns = [
    path("", views.party_list, name="list"),
    path("", include("abonent.customers.urls_structures")),
]
