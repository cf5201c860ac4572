"""Review results (rà soát): one assessment per household and review, with the standard it used."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from households.classification import Level
from povertyplan.models import Tracked

from .household import Household
from .reviews import ReviewRound
from .standards import Indicator, PovertyStandard


class Assessment(Tracked):
    Kind = ReviewRound.Kind

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="assessments"
    )
    review_year = models.PositiveSmallIntegerField(_("review year"), db_index=True)
    kind = models.CharField(_("review kind"), max_length=10, choices=Kind.choices, default=Kind.PERIODIC)
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    standard = models.ForeignKey(PovertyStandard, verbose_name=_("standard"), on_delete=models.PROTECT)
    income_per_capita_month = models.PositiveIntegerField(_("income per person per month (VND)"))
    b1_score = models.PositiveSmallIntegerField(_("B1 score"), null=True, blank=True)
    deprivations = models.ManyToManyField(
        Indicator, verbose_name=_("deprived indicators"), blank=True, related_name="assessments"
    )
    computed_classification = models.CharField(
        _("classification by the rule"), max_length=20, choices=Level.choices, editable=False
    )
    classification = models.CharField(
        _("classification"), max_length=20, choices=Level.choices, db_index=True
    )
    meeting = models.ForeignKey(
        "households.VillageMeeting",
        verbose_name=_("village meeting"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
    )
    votes_for = models.PositiveSmallIntegerField(
        _("representatives agreeing"), null=True, blank=True, help_text=_("At the village meeting.")
    )
    adjustment_reason = models.TextField(
        _("reason for the village meeting's adjustment"),
        blank=True,
        help_text=_("Required when the classification differs from the rule's."),
    )

    class Meta:
        verbose_name = _("review result")
        verbose_name_plural = _("review results")
        ordering = ["-review_year", "household"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "review_year"],
                condition=Q(kind="periodic"),
                name="one_periodic_review_per_household_year",
            ),
            models.CheckConstraint(
                condition=Q(classification=F("computed_classification")) | ~Q(adjustment_reason=""),
                name="adjustment_needs_reason",
            ),
        ]

    def __str__(self):
        return f"{self.household} – {self.review_year}"

    @property
    def is_adjusted(self) -> bool:
        return self.classification != self.computed_classification

    def clean(self):
        if self.standard_id and self.review_year and not self.standard.covers(self.review_year):
            raise ValidationError({"standard": _("This standard does not cover the review year.")})
        if self.classification and self.computed_classification and self.is_adjusted:
            if not self.adjustment_reason.strip():
                raise ValidationError(
                    {
                        "adjustment_reason": _(
                            "Give the village meeting's reason for changing the classification."
                        )
                    }
                )
