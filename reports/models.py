"""Finished report files, kept until the data behind them changes.

A `ReportFile` is one build of one report (slug, format, commune, plan and review year, language)
for one state of the commune's data, named by its fingerprint (reports.freshness). A download
with a fresh finished entry serves its file without rebuilding; a change to the data gives a new
fingerprint, hence a new entry, and the older entries of the same report are deleted with their
files once the new one is done. The row also carries the progress of a build running in the
background, which the progress page shows.

The files hold personal data: they live under MEDIA_ROOT/reports/, which no URL serves; only the
download view reads them, after checking the user's scope.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def report_file_path(instance: "ReportFile", filename: str) -> str:
    """reports/<commune id or "area">/<random>.<format>: no personal data in the path, never guessable."""
    return f"reports/{instance.commune_id or 'area'}/{uuid.uuid4().hex}.{instance.fmt}"


class ReportFile(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting")
        RUNNING = "running", _("being made")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        XLSX = "xlsx", "XLSX"

    # A commune's report names its commune (scope ""); an area report (every commune of an upper
    # office, reports.selectors.area) has no commune and names its area in `scope`:
    # "district:<pk>", "province:<pk>" or "all" (the administrator).
    commune = models.ForeignKey(
        "households.Commune",
        verbose_name=_("commune"),
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
    )
    scope = models.CharField(_("area"), max_length=40, blank=True, default="")
    slug = models.CharField(_("report"), max_length=40)
    fmt = models.CharField(_("format"), max_length=10, choices=Format.choices)
    plan_year = models.PositiveSmallIntegerField(_("plan year"))
    review_year = models.PositiveSmallIntegerField(_("review year"))
    language = models.CharField(_("language"), max_length=10)
    fingerprint = models.CharField(_("data fingerprint"), max_length=64)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    message = models.CharField(_("message"), max_length=250, blank=True)
    file = models.FileField(_("file"), upload_to=report_file_path, max_length=200, blank=True)
    task_id = models.CharField(_("background task"), max_length=64, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    # While the build runs: the process that runs it and its last sign of life (povertyplan.background).
    runner = models.CharField(_("process"), max_length=64, blank=True)
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)

    class Meta:
        verbose_name = _("report file")
        verbose_name_plural = _("report files")
        ordering = ["-created_at"]
        constraints = [
            # One entry per report and state of the data: two requests at once share one build.
            models.UniqueConstraint(
                fields=["commune", "slug", "fmt", "plan_year", "review_year", "language", "fingerprint"],
                name="one_report_file_per_data_state",
            ),
            # The same for area reports, whose commune is NULL (NULLs never collide in a unique index).
            models.UniqueConstraint(
                fields=["scope", "slug", "fmt", "plan_year", "review_year", "language", "fingerprint"],
                condition=models.Q(commune__isnull=True),
                name="one_area_report_file_per_data_state",
            ),
        ]
        indexes = [
            models.Index(
                fields=["commune", "plan_year", "review_year", "language"], name="report_file_centre_idx"
            )
        ]

    def __str__(self):
        return f"{self.slug}.{self.fmt} – {self.commune_id or self.scope} – {self.plan_year}"

    @property
    def is_area(self) -> bool:
        """An area report: every commune of an upper office (or all of them), not one commune."""
        return self.commune_id is None

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def build_seconds(self) -> float | None:
        """How long the build took, once done (the estimate of the next build of this report)."""
        if self.status != self.Status.DONE or not (self.started_at and self.finished_at):
            return None
        return (self.finished_at - self.started_at).total_seconds()
