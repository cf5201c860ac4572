from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("statistics/", views.village_statistics, name="statistics"),
]
