from django.urls import path, register_converter

from reports import round_views, views


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
    # A review round's documents: each village meeting's minutes, the decision recognising the lists.
    path(
        "reviews/<int:pk>/villages/<int:village_pk>/minutes.pdf",
        round_views.round_minutes,
        name="round_minutes",
    ),
    path("reviews/<int:pk>/decision.pdf", round_views.round_decision, name="round_decision"),
    path("reviews/<int:pk>/lists.xlsx", round_views.round_lists, name="round_lists"),
]
