from django.urls import include, path

from abonent.customers import activity_views, contact_views, merge_views, party_views, settings_views, views

app_name = "customers"
ROW = "<int:pk>/<str:kind>/<int:row_id>"
urlpatterns = [
    path("", views.party_list, name="list"),
    # the customer record
    path("new/", party_views.party_new, name="party_new"),
    path("<int:pk>/", party_views.party_page, name="party"),
    path("<int:pk>/tab/<slug:key>/", party_views.party_tab, name="party_tab"),
    path("<int:pk>/edit/", party_views.party_edit, name="party_edit"),
    path("<int:pk>/stage/", party_views.party_stage, name="party_stage"),
    path("<int:pk>/tags/", party_views.party_tags, name="party_tags"),
    path("<int:pk>/notes/add/", activity_views.note_add, name="note_add"),
    path("<int:pk>/notes/<int:note_id>/edit/", activity_views.note_edit, name="note_edit"),
    path("<int:pk>/notes/<int:note_id>/remove/", activity_views.note_remove, name="note_remove"),
    path("<int:pk>/tasks/add/", activity_views.task_add, name="task_add"),
    path("<int:pk>/tasks/<int:task_id>/done/", activity_views.task_done, name="task_done"),
    path("<int:pk>/tasks/<int:task_id>/remove/", activity_views.task_remove, name="task_remove"),
    path("<int:pk>/merge/", merge_views.merge_search, name="merge_search"),
    path("<int:pk>/merge/<int:other>/", merge_views.merge_confirm, name="merge_confirm"),
    # custom attributes and hierarchies
    path("", include("abonent.customers.urls_structures")),
    # contacts, addresses and bank accounts (kind: contact, address, bank_account); after the fixed paths
    path("<int:pk>/<str:kind>/add/", contact_views.row_add, name="row_add"),
    path(f"{ROW}/edit/", contact_views.row_edit, name="row_edit"),
    path(f"{ROW}/primary/", contact_views.row_primary, name="row_primary"),
    path(f"{ROW}/remove/", contact_views.row_remove, name="row_remove"),
    # administrators' settings
    path("settings/statuses/", settings_views.statuses, name="statuses"),
    path("settings/statuses/<int:pk>/", settings_views.statuses, name="status_edit"),
    path("settings/tracking/", settings_views.tracking, name="tracking"),
    path("export.<str:fmt>", views.party_export, name="export"),
    path("report/", views.party_report, name="report"),
    path("columns/", views.party_list_columns, name="columns"),
    path("views/", views.party_view_save, name="view_save"),
    path("views/<int:pk>/delete/", views.party_view_delete, name="view_delete"),
    path("views/<int:pk>/pin/", views.party_view_pin, name="view_pin"),
]
