from django.urls import include, path

from abonent.banking import views
from abonent.banking.grid_urls import grid_patterns
from abonent.banking.lists import MATCHING, STATEMENTS

app_name = "banking"
urlpatterns = [
    path("", views.line_list, name="list"),
    path("export.<str:fmt>", views.line_export, name="export"),
    path("report/", views.line_report, name="report"),
    path("columns/", views.line_columns, name="columns"),
    path("views/", views.line_view_save, name="view_save"),
    path("views/<int:pk>/delete/", views.line_view_delete, name="view_delete"),
    path("views/<int:pk>/pin/", views.line_view_pin, name="view_pin"),
    path("lines/<int:pk>/", views.line_page, name="line"),
    path("lines/<int:pk>/accept/", views.line_accept, name="line_accept"),
    path("lines/<int:pk>/assign/<int:item_id>/", views.line_assign, name="line_assign"),
    path("lines/<int:pk>/split/", views.line_split, name="line_split"),
    path("lines/<int:pk>/ignore/", views.line_ignore, name="line_ignore"),
    path("lines/<int:pk>/unmatch/", views.line_unmatch, name="line_unmatch"),
    path("lines/<int:pk>/rematch/", views.line_rematch, name="line_rematch"),
    path("import/", views.statement_upload, name="upload"),
    path("statement/<int:pk>/", views.statement_page, name="statement"),
    path("accounts/", views.account_list, name="accounts"),
    path("accounts/new/", views.account_edit, name="account_new"),
    path("accounts/<int:pk>/", views.account_edit, name="account_edit"),
    path("accounts/<int:pk>/sync/", views.account_sync_now, name="account_sync"),
    path("csv-profiles/new/", views.csv_profile_edit, name="csv_profile_new"),
    path("csv-profiles/<int:pk>/", views.csv_profile_edit, name="csv_profile_edit"),
    path("matching/", include((grid_patterns(MATCHING, "banking/matching.html"), "matching"))),
    path("statements/", include((grid_patterns(STATEMENTS, "banking/statements.html"), "statements"))),
]
