from django.urls import path

from abonent.billing import arrears_views, document_views, payment_summary_views, views

app_name = "billing"
urlpatterns = [
    path("payments/", views.payments, name="list"),
    path("payments/new/", views.payment_new, name="payment_new"),
    path("payments/<int:pk>/", views.payment_page, name="payment"),
    path("payments/<int:pk>/allocate/", views.payment_allocate_view, name="payment_allocate"),
    path("payments/<int:pk>/refund/", views.payment_refund_view, name="payment_refund"),
    path("allocations/<int:pk>/remove/", views.allocation_remove_view, name="allocation_remove"),
    path("customers/<int:pk>/payment-order/", document_views.order, name="order"),
    path("customers/<int:pk>/statement/", document_views.statement, name="statement"),
    path("customers/<int:pk>/arrears/", document_views.arrears_statement, name="arrears_statement"),
    path("arrears/", arrears_views.arrears, name="arrears"),
    path("arrears/export.<str:fmt>", arrears_views.arrears_export, name="arrears_export"),
    path("payments/export.<str:fmt>", views.payments_export, name="export"),
    path("payments/report/", views.payments_report, name="report"),
    path("payments/summary/", payment_summary_views.summary_page, name="summary"),
    path("payments/summary/export.<str:fmt>", payment_summary_views.summary_export, name="summary_export"),
    path("payments/columns/", views.payments_columns, name="columns"),
    path("payments/views/", views.payments_view_save, name="view_save"),
    path("payments/views/<int:pk>/delete/", views.payments_view_delete, name="view_delete"),
    path("payments/views/<int:pk>/pin/", views.payments_view_pin, name="view_pin"),
]
