from django.urls import path

from abonent.imports import job_views, list_views, views

app_name = "imports"
urlpatterns = [
    path("", list_views.job_list, name="list"),
    # the steps of an import
    path("new/", views.job_upload, name="upload"),
    path("<int:pk>/mapping/", views.job_mapping, name="mapping"),
    path("<int:pk>/preview/", views.job_preview_page, name="preview"),
    path("<int:pk>/start/", views.job_start_page, name="start"),
    path("<int:pk>/progress/", views.job_progress_page, name="progress"),
    # a job's own pages
    path("<int:pk>/", job_views.job_page, name="job"),
    path("<int:pk>/rows/", job_views.job_rows_page, name="rows"),
    path("<int:pk>/rejected.csv", job_views.job_rejected_download, name="rejected"),
    path("<int:pk>/revert/", job_views.job_revert_page, name="revert"),
    # the jobs list (the list engine's routes)
    path("export.<str:fmt>", list_views.job_export, name="export"),
    path("report/", list_views.job_report, name="report"),
    path("columns/", list_views.job_list_columns, name="columns"),
    path("views/", list_views.job_view_save, name="view_save"),
    path("views/<int:pk>/delete/", list_views.job_view_delete, name="view_delete"),
    path("views/<int:pk>/pin/", list_views.job_view_pin, name="view_pin"),
]
