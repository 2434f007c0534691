from django.urls import path

from abonent.customers import views

app_name = "customers"
urlpatterns = [
    path("", views.party_list, name="list"),
]
