"""Administrative units: province → optional district → commune → village.

Since 1 July 2025 districts are gone and communes sit directly under provinces; a commune has a
province always and a district only when it was under one. Units that were merged or abolished
keep their rows (old data points at them) with `valid_until` set, so a code may be reused by a
successor unit: it is unique only among current units.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from povertyplan.models import Tracked


class UnitBase(Tracked):
    code = models.CharField(_("official code"), max_length=10, blank=True)
    name = models.CharField(_("name"), max_length=120)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.get_kind_display()} {self.name}"


class Province(UnitBase):
    class Kind(models.TextChoices):
        PROVINCE = "province", _("province")
        CITY = "city", _("centrally-run city")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PROVINCE)

    class Meta(UnitBase.Meta):
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(valid_until__isnull=True) & ~Q(code=""),
                name="province_code_current",
            )
        ]


class District(UnitBase):
    class Kind(models.TextChoices):
        DISTRICT = "district", _("rural district")
        URBAN_DISTRICT = "urban_district", _("urban district")
        TOWN = "town", _("town")
        CITY = "city", _("provincial city")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.DISTRICT)
    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="districts"
    )

    class Meta(UnitBase.Meta):
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(valid_until__isnull=True) & ~Q(code=""),
                name="district_code_current",
            )
        ]


class Commune(UnitBase):
    class Kind(models.TextChoices):
        COMMUNE = "commune", _("commune")
        WARD = "ward", _("ward")
        TOWNSHIP = "township", _("township")
        SPECIAL_ZONE = "special_zone", _("special zone")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COMMUNE)
    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="communes"
    )
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="communes",
        null=True,
        blank=True,
        help_text=_("Empty for a commune directly under the province (two-tier structure since 2025)."),
    )

    class Meta(UnitBase.Meta):
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(valid_until__isnull=True) & ~Q(code=""),
                name="commune_code_current",
            )
        ]

    def clean(self):
        if self.district_id and self.province_id and self.district.province_id != self.province_id:
            raise ValidationError({"district": _("The district must belong to the commune's province.")})


class Village(Tracked):
    class Kind(models.TextChoices):
        VILLAGE = "village", _("village (làng)")
        HAMLET = "hamlet", _("hamlet (thôn)")
        RESIDENTIAL_GROUP = "residential_group", _("residential group")

    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="villages"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.VILLAGE)
    name = models.CharField(_("name"), max_length=120)
    code = models.CharField(_("code"), max_length=20, blank=True)
    search_key = models.CharField(max_length=200, editable=False, db_index=True, default="")

    class Meta:
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        ordering = ["commune", "name"]
        constraints = [models.UniqueConstraint(fields=["commune", "name"], name="village_name_per_commune")]

    def __str__(self):
        return self.name
