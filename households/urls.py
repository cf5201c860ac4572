from django.urls import path

from households import export_views, import_views, views

app_name = "households"
urlpatterns = [
    path("", views.household_list, name="list"),
    path("<int:pk>/", views.household_detail, name="detail"),
    path("<int:pk>/causes-needs/", views.household_causes_needs, name="causes_needs"),
    # list_name: households, members, assessments, exit-registrations, assignments, support-actions;
    # fmt: csv or xlsx (anything else is a 404 from the view).
    path("exports/<slug:list_name>.<str:fmt>", export_views.household_export, name="export"),
    # Imports: the upload page, a list's template, then one page per upload (its check, its writing).
    path("imports/", import_views.import_start, name="imports"),
    path("imports/templates/<slug:kind>.xlsx", import_views.import_template, name="import_template"),
    path("imports/<int:pk>/", import_views.import_job, name="import_job"),
    path("imports/<int:pk>.json", import_views.import_status, name="import_status"),
    path("imports/<int:pk>/confirm/", import_views.import_confirm, name="import_confirm"),
    path("imports/<int:pk>/recheck/", import_views.import_recheck, name="import_recheck"),
    path("imports/<int:pk>/cancel/", import_views.import_cancel, name="import_cancel"),
    path("imports/<int:pk>/rejected.xlsx", import_views.import_rejected, name="import_rejected"),
]
