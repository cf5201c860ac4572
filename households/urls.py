from django.urls import path

from households import export_views, import_views, review_views, views

app_name = "households"
urlpatterns = [
    path("", views.household_list, name="list"),
    path("<int:pk>/", views.household_detail, name="detail"),
    path("<int:pk>/causes-needs/", views.household_causes_needs, name="causes_needs"),
    path("<int:pk>/review/", review_views.household_review, name="review"),
    # Review rounds: the commune's rounds, one round's survey list, meetings and closing, the review form.
    path("reviews/", review_views.round_list, name="rounds"),
    path("reviews/open/", review_views.round_open, name="round_open"),
    path("reviews/<int:pk>/", review_views.round_detail, name="round"),
    path("reviews/<int:pk>/close/", review_views.round_close, name="round_close"),
    path("reviews/<int:pk>/candidates/", review_views.round_candidate_add, name="round_candidate_add"),
    path(
        "reviews/<int:pk>/candidates/<int:household_pk>/remove/",
        review_views.round_candidate_remove,
        name="round_candidate_remove",
    ),
    path(
        "reviews/<int:pk>/villages/<int:village_pk>/meeting/",
        review_views.round_meeting,
        name="round_meeting",
    ),
    path("reviews/<int:pk>/households/<int:household_pk>/", review_views.round_result, name="round_result"),
    path(
        "reviews/<int:pk>/households/<int:household_pk>/classify.json",
        review_views.round_classify,
        name="round_classify",
    ),
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
