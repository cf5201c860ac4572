from django.urls import path

from households import export_views, views

app_name = "households"
urlpatterns = [
    path("", views.household_list, name="list"),
    path("<int:pk>/", views.household_detail, name="detail"),
    path("<int:pk>/causes-needs/", views.household_causes_needs, name="causes_needs"),
    # list_name: households, members, assessments, exit-registrations, assignments, support-actions;
    # fmt: csv or xlsx (anything else is a 404 from the view).
    path("exports/<slug:list_name>.<str:fmt>", export_views.household_export, name="export"),
]
