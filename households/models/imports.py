"""One upload of a spreadsheet to import, from its check to its writing.

The file itself is kept in the database (it holds personal data: never under MEDIA_ROOT), until it
is written or abandoned; `purge_imports` deletes old uploads. The check's counts, problems and
warnings are kept so that the officer can leave the page and come back, and a background task can
report its progress here.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .units import Commune


class ImportJob(models.Model):
    class Kind(models.TextChoices):
        HOUSEHOLDS = "households", pgettext_lazy("list to import", "households")
        MEMBERS = "members", pgettext_lazy("list to import", "household members")
        ASSESSMENTS = "assessments", pgettext_lazy("list to import", "review results")
        EXIT_REGISTRATIONS = (
            "exit-registrations",
            pgettext_lazy("list to import", "registrations to exit poverty"),
        )
        ASSIGNMENTS = "assignments", pgettext_lazy("list to import", "officials in charge")

    class Status(models.TextChoices):
        CHECKING = "checking", _("being checked")
        CHECKED = "checked", _("checked, waiting for confirmation")
        REJECTED = "rejected", _("file refused")
        APPLYING = "applying", _("being imported")
        APPLIED = "applied", _("imported")
        FAILED = "failed", _("import failed")

    kind = models.CharField(_("list"), max_length=30, choices=Kind.choices)
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.CASCADE, related_name="+"
    )
    filename = models.CharField(_("file name"), max_length=255)
    data = models.BinaryField(_("file"), editable=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.CHECKING)
    message = models.TextField(_("message"), blank=True)  # why the file or the import was refused
    summary = models.JSONField(_("result of the check"), default=dict, blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    valid_only = models.BooleanField(_("only the valid rows"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    applied_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    # While the check or the writing runs: the process that runs it and its last sign of life
    # (povertyplan.background).
    runner = models.CharField(_("process"), max_length=64, blank=True)
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]
        permissions = [("import_lists", _("Can import lists from spreadsheets"))]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.filename}"

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.CHECKING, self.Status.APPLYING)

    @property
    def percent(self) -> int:
        if not self.progress_total:
            return 0
        return min(100, round(100 * self.progress_done / self.progress_total))
