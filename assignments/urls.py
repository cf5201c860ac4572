from django.urls import path

from assignments import plan_views, views

app_name = "assignments"
urlpatterns = [
    path("my-households/", views.my_households, name="my_households"),
    path("households/<int:pk>/support/new/", views.support_new, name="support_new"),
    path("support-actions/<int:pk>/photo/", views.support_photo, name="support_photo"),
    # The commune officer's plan pages: start plan N+1 from plan N; register and assign households.
    path("plans/<int:pk>/next/", plan_views.plan_next, name="plan_next"),
    path("plans/<int:pk>/households/", plan_views.plan_households, name="plan_households"),
]
