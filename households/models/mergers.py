"""Communes merged into another by the 2025 reform of administrative units (households.merger).

One row per merged commune: where it went, from which day, and what its villages and households
were called on its last day. The merged commune keeps its row (valid_until set), its plans, review
rounds and frozen results; its reports read the names recorded here, so a closed year prints the
village names and household codes it printed before the merger, even where the merger had to
rename one to keep the new commune's names and codes unique.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from povertyplan.models import Tracked

from .units import Commune


class CommuneMerger(Tracked):
    commune = models.OneToOneField(
        Commune, verbose_name=_("merged commune"), on_delete=models.PROTECT, related_name="merger"
    )
    into = models.ForeignKey(
        Commune, verbose_name=_("merged into"), on_delete=models.PROTECT, related_name="mergers_in"
    )
    on = models.DateField(_("part of the new commune from"))
    # {village id: {"name": …, "code": …}} for every village that moved, as it was on the last day.
    villages = models.JSONField(_("villages as they were"), default=dict)
    # {household id: code} for the households whose code the merger changed (a clash).
    household_codes = models.JSONField(_("household codes changed"), default=dict)
    households = models.PositiveIntegerField(_("households moved"), default=0)
    officials = models.PositiveIntegerField(_("officials moved"), default=0)

    class Meta:
        verbose_name = _("commune merger")
        verbose_name_plural = _("commune mergers")
        ordering = ["-on", "pk"]

    def __str__(self):
        return f"{self.commune} → {self.into} ({self.on:%d/%m/%Y})"
