"""Who is in charge of which household, and the support they deliver."""

import uuid

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from povertyplan.models import Tracked


class Assignment(Tracked):
    """An official in charge of a household for a plan. Reassigning ends this row and opens another."""

    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("plan"), on_delete=models.PROTECT, related_name="assignments"
    )
    household = models.ForeignKey(
        "households.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    official = models.ForeignKey(
        "accounts.Official",
        verbose_name=_("official in charge"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    end_reason = models.CharField(_("reason for ending"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["plan", "household", "-started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "household"],
                condition=Q(ended_on__isnull=True),
                name="one_current_official_per_household",
            )
        ]

    def __str__(self):
        return f"{self.official} → {self.household}"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None

    def clean(self):
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": _("An assignment cannot end before it starts.")})
        if self.official_id and self.household_id and self.official.commune_id != self.household.commune_id:
            raise ValidationError({"official": _("The official must work in the household's commune.")})


class SupportAction(Tracked):
    class Kind(models.TextChoices):
        KNOWLEDGE = "knowledge", _("knowledge and technique")
        LABOUR = "labour", _("labour days")
        MATERIALS = "materials", _("livestock, seed and materials")

    class Contributor(models.TextChoices):
        OFFICIAL = "official", _("the official")
        RELATIVES = "relatives", _("relatives")
        ORGANISATION = "organisation", _("an organisation")
        PROGRAMME = "programme", _("the programme")

    household = models.ForeignKey(
        "households.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="support_actions",
    )
    official = models.ForeignKey(
        "accounts.Official",
        verbose_name=_("official"),
        on_delete=models.PROTECT,
        related_name="support_actions",
    )
    plan = models.ForeignKey(
        "plans.Plan",
        verbose_name=_("plan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="support_actions",
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind of support"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"))
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    value_vnd = models.PositiveBigIntegerField(_("value (VND)"), default=0)
    contributor = models.CharField(_("contributed by"), max_length=20, choices=Contributor.choices)
    photo = models.ImageField(_("photo"), upload_to="support/%Y/%m/", null=True, blank=True)
    # What the support is meant to remedy: indicators of the standard in force on its date
    # (assignments.forms.support_indicators), so the year-end review shows whether it worked.
    indicators = models.ManyToManyField(
        "households.Indicator",
        verbose_name=_("deprivation indicators addressed"),
        blank=True,
        related_name="support_actions",
    )
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects entry"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
    )
    client_uuid = models.UUIDField(_("client identifier"), default=uuid.uuid4, unique=True, editable=False)
    # Work logged for a household the official is no longer in charge of (reassigned while they
    # were offline) is kept, since it was done, and flagged for the commune officer to look at.
    needs_review = models.BooleanField(_("needs the commune officer's review"), default=False, db_index=True)
    review_reason = models.CharField(_("reason for review"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("support action")
        verbose_name_plural = _("support actions")
        ordering = ["-date", "-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.household} – {self.date:%d/%m/%Y}"

    def clean(self):
        if self.quantity is not None and not self.unit:
            raise ValidationError({"unit": _("Give the unit of the quantity (days, head, kg…).")})
