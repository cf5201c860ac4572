from django.urls import path

from assignments import views

app_name = "assignments"
urlpatterns = [
    path("my-households/", views.my_households, name="my_households"),
    path("households/<int:pk>/support/new/", views.support_new, name="support_new"),
    path("support-actions/<int:pk>/photo/", views.support_photo, name="support_photo"),
]
