from django.urls import path

from api import views

# No trailing slash: these are resources for a program, not pages (the offline client calls
# exactly /api/my-households and /api/support-actions).
app_name = "api"
urlpatterns = [
    path("my-households", views.my_households, name="my_households"),
    path("support-actions", views.support_actions, name="support_actions"),
    path("schema.json", views.schema, name="schema"),
]
