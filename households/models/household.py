"""Households and their members. Households are archived, never deleted."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from households.classification import Area
from households.codes import example_code, is_example_code
from povertyplan.models import Tracked

from .reference import Ethnicity, PovertyCause, SupportNeed
from .units import Commune, Village


class Household(Tracked):
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    village = models.ForeignKey(
        Village, verbose_name=_("village"), on_delete=models.PROTECT, related_name="households"
    )
    code = models.CharField(_("household code"), max_length=30)
    head_name = models.CharField(_("head of household"), max_length=120)
    address = models.CharField(_("address"), max_length=250, blank=True)
    head_ethnicity = models.ForeignKey(
        Ethnicity, verbose_name=_("head's ethnicity"), on_delete=models.PROTECT, null=True, blank=True
    )
    is_ethnic_minority = models.BooleanField(_("ethnic-minority household"), default=False)
    is_indigenous = models.BooleanField(
        _("indigenous Central Highlands group"), default=False, help_text=_("DTTC in reports.")
    )
    area = models.CharField(_("area type"), max_length=10, choices=Area.choices, default=Area.RURAL)
    is_merit_family = models.BooleanField(_("merit family"), default=False)
    has_no_labour_capacity = models.BooleanField(_("no labour capacity"), default=False)
    is_female_head = models.BooleanField(_("female head"), default=False)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    causes = models.ManyToManyField(PovertyCause, verbose_name=_("causes of poverty"), blank=True)
    needs = models.ManyToManyField(SupportNeed, verbose_name=_("support needs"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    archive_reason = models.CharField(_("reason for archiving"), max_length=250, blank=True)
    # Folded code, head's name and address (povertyplan.text.fold), written by the services.
    search_key = models.CharField(max_length=500, editable=False, db_index=True, default="")

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["village__name", "code"]
        constraints = [models.UniqueConstraint(fields=["commune", "code"], name="household_code_per_commune")]

    def __str__(self):
        return f"{self.code} – {self.head_name}"

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def clean(self):
        if self.village_id and self.commune_id and self.village.commune_id != self.commune_id:
            raise ValidationError({"village": _("The village must belong to the household's commune.")})
        if is_example_code(self.code):
            raise ValidationError(
                {
                    "code": _(
                        "A household code cannot start with '%(mark)s': that is the code of the import "
                        "templates' example row."
                    )
                    % {"mark": example_code()}
                }
            )


class Member(Tracked):
    class Sex(models.TextChoices):
        MALE = "male", _("male")
        FEMALE = "female", _("female")

    class Relation(models.TextChoices):
        HEAD = "head", _("head of household")
        SPOUSE = "spouse", _("spouse")
        CHILD = "child", _("child")
        CHILD_IN_LAW = "child_in_law", _("son/daughter-in-law")
        GRANDCHILD = "grandchild", _("grandchild")
        PARENT = "parent", _("parent")
        SIBLING = "sibling", _("sibling")
        OTHER = "other", _("other")

    class HealthInsurance(models.TextChoices):
        HAS_CARD = "has_card", _("has a health-insurance card")
        NO_CARD = "no_card", _("no health insurance")
        UNKNOWN = "unknown", _("unknown")

    class Schooling(models.TextChoices):
        UNDER_AGE = "under_age", _("below school age")
        PRESCHOOL = "preschool", _("in preschool")
        PRIMARY = "primary", _("in primary school")
        LOWER_SECONDARY = "lower_secondary", _("in lower secondary school")
        UPPER_SECONDARY = "upper_secondary", _("in upper secondary school")
        VOCATIONAL_HIGHER = "vocational_higher", _("in vocational training or university")
        LEFT_SCHOOL = "left_school", _("not studying")

    class Work(models.TextChoices):
        EMPLOYED = "employed", _("working")
        SELF_EMPLOYED = "self_employed", _("farming or self-employed")
        UNEMPLOYED = "unemployed", _("looking for work")
        STUDENT = "student", _("studying")
        CHILD = "child", _("child")
        ELDERLY = "elderly", _("elderly")
        NO_CAPACITY = "no_capacity", _("no labour capacity")

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="members"
    )
    number = models.PositiveSmallIntegerField(_("member no."))
    full_name = models.CharField(_("full name"), max_length=120)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"))
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices)
    relation = models.CharField(_("relation to head"), max_length=20, choices=Relation.choices)
    ethnicity = models.ForeignKey(
        Ethnicity, verbose_name=_("ethnicity"), on_delete=models.PROTECT, null=True, blank=True
    )
    national_id = models.CharField(
        _("national ID number"),
        max_length=12,
        blank=True,
        help_text=_("Personal data: shown only to roles that need it."),
    )
    health_insurance = models.CharField(
        _("health insurance"), max_length=10, choices=HealthInsurance.choices, default=HealthInsurance.UNKNOWN
    )
    schooling = models.CharField(_("schooling"), max_length=20, choices=Schooling.choices, blank=True)
    work = models.CharField(_("work status"), max_length=20, choices=Work.choices, blank=True)
    search_key = models.CharField(max_length=200, editable=False, db_index=True, default="")

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        ordering = ["household", "number"]
        constraints = [
            models.UniqueConstraint(fields=["household", "number"], name="member_number_per_household")
        ]

    def __str__(self):
        return self.full_name

    @property
    def masked_national_id(self) -> str:
        if not self.national_id:
            return ""
        return "•" * (len(self.national_id) - 3) + self.national_id[-3:]

    def clean(self):
        if self.birth_date and self.birth_year and self.birth_date.year != self.birth_year:
            raise ValidationError({"birth_year": _("The year of birth must match the date of birth.")})
        if self.national_id and not (self.national_id.isdigit() and len(self.national_id) in (9, 12)):
            raise ValidationError({"national_id": _("A national ID number has 12 digits (old cards: 9).")})
