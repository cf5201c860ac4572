"""Poverty standards as versioned data (one row per national period) and their indicators."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from households.classification import RULES, Standard
from povertyplan.models import Tracked


class PovertyStandard(Tracked):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    rule = models.CharField(_("classification rule"), max_length=50, choices=[(name, name) for name in RULES])
    poverty_line_rural = models.PositiveIntegerField(_("poverty line, rural (VND/person/month)"))
    poverty_line_urban = models.PositiveIntegerField(_("poverty line, urban (VND/person/month)"))
    average_ceiling_rural = models.PositiveIntegerField(_("average-living ceiling, rural"))
    average_ceiling_urban = models.PositiveIntegerField(_("average-living ceiling, urban"))
    min_deprivations = models.PositiveSmallIntegerField(
        _("deprivations that make a household poor"), default=3
    )
    params = models.JSONField(_("extra rule parameters"), default=dict, blank=True)

    class Meta:
        verbose_name = _("poverty standard")
        verbose_name_plural = _("poverty standards")
        ordering = ["-start_year"]

    def __str__(self):
        return self.name

    def covers(self, year: int) -> bool:
        return self.start_year <= year <= self.end_year

    def to_rule(self, indicator_codes: tuple[str, ...]) -> Standard:
        """The pure-rule view of this row; indicator codes are passed in so this method runs no query."""
        return Standard(
            code=self.code,
            rule=self.rule,
            poverty_line={"rural": self.poverty_line_rural, "urban": self.poverty_line_urban},
            average_living_ceiling={"rural": self.average_ceiling_rural, "urban": self.average_ceiling_urban},
            indicator_codes=indicator_codes,
            min_deprivations=self.min_deprivations,
            params=self.params or {},
        )


class Indicator(Tracked):
    standard = models.ForeignKey(
        PovertyStandard, verbose_name=_("standard"), on_delete=models.PROTECT, related_name="indicators"
    )
    number = models.PositiveSmallIntegerField(_("no."))
    code = models.SlugField(_("code"), max_length=40)
    dimension = models.CharField(_("dimension"), max_length=100)
    dimension_en = models.CharField(_("dimension (English)"), max_length=100, blank=True)
    name = models.CharField(_("indicator"), max_length=200)
    name_en = models.CharField(_("indicator (English)"), max_length=200, blank=True)
    deprived_when = models.TextField(_("deprived when"))

    class Meta:
        verbose_name = _("deprivation indicator")
        verbose_name_plural = _("deprivation indicators")
        ordering = ["standard", "number"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "code"], name="indicator_code_per_standard"),
            models.UniqueConstraint(fields=["standard", "number"], name="indicator_number_per_standard"),
        ]

    def __str__(self):
        return f"{self.number}. {self.name}"
