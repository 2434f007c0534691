from django.urls import path

from abonent.contracts import catalogue_views, form_views, views

app_name = "contracts"
urlpatterns = [
    path("", views.contract_list, name="list"),
    path("new/", form_views.contract_new, name="new"),
    path("<int:pk>/", views.contract_page, name="contract"),
    path("<int:pk>/edit/", form_views.contract_edit, name="edit"),
    path("<int:pk>/lines/add/", form_views.line_add, name="line_add"),
    path("<int:pk>/lines/<int:line_id>/change/", form_views.line_change, name="line_change"),
    path("<int:pk>/lines/<int:line_id>/end/", form_views.line_end, name="line_end"),
    path("<int:pk>/activate/", form_views.contract_activate, name="activate"),
    path("<int:pk>/suspend/", form_views.contract_suspend, name="suspend"),
    path("<int:pk>/resume/", form_views.contract_resume, name="resume"),
    path("<int:pk>/terminate/", form_views.contract_terminate, name="terminate"),
    path("products/", catalogue_views.products, name="products"),
    path("products/new/", catalogue_views.product_edit, name="product_new"),
    path("products/<int:pk>/", catalogue_views.product_edit, name="product_edit"),
    path("discounts/", catalogue_views.discounts, name="discounts"),
    path("discounts/<int:pk>/end/", catalogue_views.discount_stop, name="discount_end"),
    path("export.<str:fmt>", views.contract_export, name="export"),
    path("report/", views.contract_report, name="report"),
    path("columns/", views.contract_list_columns, name="columns"),
    path("views/", views.contract_view_save, name="view_save"),
    path("views/<int:pk>/delete/", views.contract_view_delete, name="view_delete"),
    path("views/<int:pk>/pin/", views.contract_view_pin, name="view_pin"),
]
