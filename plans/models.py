"""The commune's yearly plan, the national programme's projects, duties and exit registrations."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from households.models import CommuneMerger
from povertyplan.models import Tracked


class Programme(Tracked):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=250)
    decision = models.CharField(_("approving decision"), max_length=250)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))

    class Meta:
        verbose_name = _("national target programme")
        verbose_name_plural = _("national target programmes")
        ordering = ["-start_year"]

    def __str__(self):
        return self.name


class Project(Tracked):
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="projects"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("project (for a sub-project)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subprojects",
    )
    code = models.CharField(
        _("code"), max_length=20, help_text=_("DA3 for a project, DA3.TDA2 for a sub-project.")
    )
    short_name = models.CharField(
        _("short name"), max_length=60, help_text=_("As written in plans: Dự án 3.")
    )
    name = models.CharField(_("name"), max_length=300)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("programme project")
        verbose_name_plural = _("programme projects")
        ordering = ["programme", "order"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="project_code_per_programme")
        ]

    def __str__(self):
        return f"{self.short_name}: {self.name}"

    def clean(self):
        if self.parent_id and self.parent.programme_id != self.programme_id:
            raise ValidationError({"parent": _("A sub-project belongs to a project of the same programme.")})


class Plan(Tracked):
    commune = models.ForeignKey("households.Commune", verbose_name=_("commune"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("plan year"))
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, null=True, blank=True
    )
    baseline_review_year = models.PositiveSmallIntegerField(
        _("baseline review year"), help_text=_("The review the plan starts from, usually the year before.")
    )
    number = models.CharField(
        _("number/symbol"), max_length=50, blank=True, help_text=_("For example 12/KH-UBND.")
    )
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    place = models.CharField(_("place of issue"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=300)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    legal_bases = models.TextField(_("legal bases"), help_text=_("One per line, as written in the plan."))
    introduction = models.TextField(_("introduction"), blank=True)
    purposes = models.TextField(_("purposes"), help_text=_("One paragraph per line."))
    requirements = models.TextField(_("requirements"), help_text=_("One paragraph per line."))
    target_exits = models.PositiveIntegerField(_("households registered to exit (target)"))
    support_forms = models.TextField(_("forms of support"), blank=True)
    time_frame = models.TextField(_("time frame"))
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    closing = models.TextField(_("closing paragraph"), blank=True)
    signer_authority = models.CharField(
        _("signing on behalf of"), max_length=150, default="TM. ỦY BAN NHÂN DÂN XÃ"
    )
    signer_title = models.CharField(_("signer's title"), max_length=100, default="CHỦ TỊCH")
    signer_name = models.CharField(_("signer's name"), max_length=120)
    recipients = models.TextField(_("recipients"), help_text=_("One per line, without the leading dash."))

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["commune", "year"], name="one_plan_per_commune_year")]

    def __str__(self):
        return f"{self.title} ({self.year})"

    @staticmethod
    def _lines(text: str) -> list[str]:
        return [line.strip() for line in text.splitlines() if line.strip()]

    @property
    def legal_basis_lines(self) -> list[str]:
        return self._lines(self.legal_bases)

    @property
    def recipient_lines(self) -> list[str]:
        return self._lines(self.recipients)

    # A plan is in force for its calendar year (plans.selectors.plan_in_force asks the same).
    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, 1, 1)

    @property
    def last_day(self) -> datetime.date:
        return datetime.date(self.year, 12, 31)

    def covers(self, day: datetime.date) -> bool:
        return day.year == self.year

    def clean(self):
        if self.starts_on and self.ends_on and self.starts_on > self.ends_on:
            raise ValidationError({"ends_on": _("The plan cannot end before it starts.")})


class Responsibility(Tracked):
    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="responsibilities"
    )
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="responsibilities",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    heading = models.CharField(_("heading in the plan"), max_length=250)
    tasks = models.TextField(_("tasks"), help_text=_("One task per line."))
    projects = models.ManyToManyField(Project, verbose_name=_("programme projects"), blank=True)

    class Meta:
        verbose_name = _("department responsibility")
        verbose_name_plural = _("department responsibilities")
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "department"], name="one_duty_block_per_department")
        ]

    def __str__(self):
        return self.heading

    @property
    def task_lines(self) -> list[str]:
        return Plan._lines(self.tasks)


class ExitRegistration(Tracked):
    """A household's commitment to try to exit poverty in a plan year.

    Local practice, not a legal status: a household leaves the poor list only through the review.
    So the stored status only follows the work (registered → in progress); whether the household
    exited is the plan year's periodic review's to say (plans.outcomes), never a stored value.
    """

    class Status(models.TextChoices):
        REGISTERED = "registered", _("registered")
        IN_PROGRESS = "in_progress", _("in progress")

    class Outcome(models.TextChoices):
        """What the pages show: the stored status until the review decides, then its outcome."""

        REGISTERED = "registered", _("registered")
        IN_PROGRESS = "in_progress", _("in progress")
        EXITED = "exited", _("exited poverty")
        NOT_EXITED = "not_exited", _("did not exit")

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="exit_registrations"
    )
    household = models.ForeignKey(
        "households.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="exit_registrations",
    )
    registered_on = models.DateField(_("registered on"))
    needs = models.TextField(_("needs to exit poverty"), blank=True)
    commitment = models.TextField(_("household's commitment"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REGISTERED)
    status_note = models.TextField(_("note on the status"), blank=True)

    class Meta:
        verbose_name = _("exit registration")
        verbose_name_plural = _("exit registrations")
        ordering = ["plan", "household__village__name", "household__code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "household"], name="one_registration_per_plan")
        ]

    def __str__(self):
        return f"{self.household} – {self.plan.year}"

    def clean(self):
        if self.household_id and self.plan_id and self.household.commune_id != self.plan.commune_id:
            # A plan of a commune merged since (households.merger) stays the plan of its households
            # in the new commune until its year ends.
            merged = CommuneMerger.objects.filter(
                commune_id=self.plan.commune_id, into_id=self.household.commune_id
            )
            if not merged.exists():
                raise ValidationError({"household": _("The household must live in the plan's commune.")})
