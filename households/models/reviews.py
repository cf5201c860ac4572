"""Review rounds (đợt rà soát) and their village meetings, and the results frozen when a round closes.

Decision 24/2021/QĐ-TTg: the periodic review runs once a year, from 1 September to 14 December,
over the households on the poor and near-poor lists and those who apply or are identified; a
regular review runs monthly for households that apply during the year. Each village meeting
discusses the surveyed households; a household with under 50 % agreement goes back for checking.
The commune chairman's decision recognises the lists. See shared/docs/domain.md §3.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from households.classification import Level
from povertyplan.models import Tracked

from .household import Household
from .units import Commune, Village

PERIODIC_START = (9, 1)  # 1 September
PERIODIC_END = (12, 14)  # 14 December


class ReviewRound(Tracked):
    class Kind(models.TextChoices):
        PERIODIC = "periodic", _("periodic (annual) review")
        REGULAR = "regular", _("regular (in-year) review")

    class State(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="review_rounds"
    )
    year = models.PositiveSmallIntegerField(_("review year"))
    kind = models.CharField(_("review kind"), max_length=10, choices=Kind.choices, default=Kind.PERIODIC)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    decision_number = models.CharField(
        _("number of the decision recognising the lists"), max_length=50, blank=True
    )
    decision_date = models.DateField(_("date of the decision"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("review round")
        verbose_name_plural = _("review rounds")
        ordering = ["-ends_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "year"], condition=Q(kind="periodic"), name="one_periodic_round_a_year"
            ),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="round_ends_after_start"),
        ]

    def __str__(self):
        if self.kind == self.Kind.PERIODIC:
            return str(_("Periodic review %(year)s") % {"year": self.year})
        return str(_("Regular review from %(start)s") % {"start": self.starts_on.strftime("%d/%m/%Y")})

    @property
    def is_closed(self) -> bool:
        return self.state == self.State.CLOSED

    @classmethod
    def periodic_dates(cls, year: int) -> tuple[datetime.date, datetime.date]:
        return datetime.date(year, *PERIODIC_START), datetime.date(year, *PERIODIC_END)

    def clean(self):
        if self.starts_on and self.year and self.starts_on.year != self.year:
            raise ValidationError({"starts_on": _("A round starts in its review year.")})

    def takes(self, *, kind: str, year: int, on: datetime.date | None) -> bool:
        """Whether an assessment of that kind, year and date belongs to this round: a periodic round
        takes its year's periodic results, a regular round the regular results dated within it."""
        if kind != self.kind:
            return False
        if kind == self.Kind.PERIODIC:
            return year == self.year
        return on is not None and self.starts_on <= on <= self.ends_on


class RoundCandidate(Tracked):
    """A household put on a round's survey list besides those on the lists at its start: it applied
    (form 01 of Decision 24) or the village identified it."""

    class Source(models.TextChoices):
        APPLIED = "applied", _("applied (form 01)")
        IDENTIFIED = "identified", _("identified by the village")

    round = models.ForeignKey(
        ReviewRound, verbose_name=_("review round"), on_delete=models.PROTECT, related_name="candidates"
    )
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(_("why surveyed"), max_length=20, choices=Source.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("household to survey")
        verbose_name_plural = _("households to survey")
        constraints = [
            models.UniqueConstraint(fields=["round", "household"], name="one_candidate_per_round_household")
        ]

    def __str__(self):
        return f"{self.round} – {self.household_id}"


class VillageMeeting(Tracked):
    """The village meeting of a round: who came, who chaired it and wrote its minutes."""

    round = models.ForeignKey(
        ReviewRound, verbose_name=_("review round"), on_delete=models.PROTECT, related_name="meetings"
    )
    village = models.ForeignKey(
        Village, verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("held on"))
    attendance = models.PositiveSmallIntegerField(
        _("household representatives present"), help_text=_("The base of each household's agreement rate.")
    )
    minutes_reference = models.CharField(_("minutes reference"), max_length=100, blank=True)
    # Who signs the minutes (the chair, usually the village head, and the secretary who wrote them).
    chair_name = models.CharField(_("chaired by"), max_length=120, blank=True)
    secretary_name = models.CharField(_("secretary"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("village meeting")
        verbose_name_plural = _("village meetings")
        ordering = ["round", "village__name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "village"], name="one_meeting_per_village_round"),
            models.CheckConstraint(condition=Q(attendance__gt=0), name="meeting_has_attendance"),
        ]

    def __str__(self):
        return f"{self.village} – {self.held_on:%d/%m/%Y}"


class RoundResult(models.Model):
    """A household's status at the end of a closed round, as the round froze it.

    Written once when the round closes, for every household resident then (surveyed or not), and
    never changed: the year's lists and reports read these rows, so a later edit of a household or
    an assessment cannot change a closed year. A correction is a new assessment in a later round.
    """

    round = models.ForeignKey(ReviewRound, on_delete=models.PROTECT, related_name="results")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="round_results")
    village = models.ForeignKey(Village, on_delete=models.PROTECT, related_name="+")
    is_ethnic_minority = models.BooleanField()
    classification = models.CharField(max_length=20, choices=Level.choices)
    assessment = models.ForeignKey(
        "households.Assessment", on_delete=models.PROTECT, null=True, related_name="+"
    )
    surveyed = models.BooleanField()
    deprived = models.JSONField(default=list)  # the indicator numbers deprived, e.g. [4, 7, 10]

    class Meta:
        verbose_name = _("frozen review result")
        verbose_name_plural = _("frozen review results")
        constraints = [models.UniqueConstraint(fields=["round", "household"], name="one_result_per_round")]

    def __str__(self):
        return f"{self.round} – {self.household_id}"
