from django.urls import path, register_converter

from reports import views


class ReportFormatConverter:
    """The file formats a report comes in; anything else does not match (404)."""

    regex = "pdf|xlsx"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ReportFormatConverter, "report_format")

app_name = "reports"
urlpatterns = [
    path("", views.report_centre, name="centre"),
    path("statistics/", views.village_statistics, name="statistics"),
    # Stable download URLs: /reports/2023/progress.xlsx?commune=23668
    path("<int:year>/<slug:slug>.<report_format:fmt>", views.report_download, name="download"),
    path("jobs/<int:pk>.json", views.report_job_status, name="job_status"),
    path("jobs/<int:pk>/retry/", views.report_job_retry, name="job_retry"),
]
