"""Who took personal data out of the application: one row per export of a list, page or admin."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .units import Commune


class ExportRecord(models.Model):
    class Source(models.TextChoices):
        PAGE = "page", _("application page")
        ADMIN = "admin", _("administration site")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    username = models.CharField(_("username"), max_length=150)
    list_name = models.CharField(_("list"), max_length=40)
    fmt = models.CharField(_("format"), max_length=10)
    rows = models.PositiveIntegerField(_("rows"))
    # The commune officer's commune; empty for roles that read several communes.
    commune = models.ForeignKey(
        Commune,
        verbose_name=_("commune"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    source = models.CharField(_("exported from"), max_length=10, choices=Source.choices)
    created_at = models.DateTimeField(_("exported at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("export of personal data")
        verbose_name_plural = _("exports of personal data")
        ordering = ["-created_at", "-pk"]
        default_permissions = ("view",)  # an audit trail: written by the exports, never edited

    def __str__(self):
        return f"{self.username} – {self.list_name}.{self.fmt} ({self.rows})"
