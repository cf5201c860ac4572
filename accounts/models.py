"""Officials (a profile on each user account) and the commune's departments."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from povertyplan.models import Tracked


class Department(Tracked):
    commune = models.ForeignKey(
        "households.Commune", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="departments"
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["commune", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "code"], name="department_code_per_commune")
        ]

    def __str__(self):
        return self.name


class Official(Tracked):
    """A person who signs in. Their role is their group; their scope is the unit set here.

    Commune officers and officials work in one commune; an upper office reads the communes
    under its district, or under its province where districts no longer exist.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.CASCADE,
        related_name="official",
    )
    full_name = models.CharField(_("full name"), max_length=120)
    position = models.CharField(_("position"), max_length=150, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officials",
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    commune = models.ForeignKey(
        "households.Commune",
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officials",
    )
    district = models.ForeignKey(
        "households.District",
        verbose_name=_("district (upper office)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officials",
    )
    province = models.ForeignKey(
        "households.Province",
        verbose_name=_("province (upper office)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officials",
    )

    class Meta:
        verbose_name = _("official")
        verbose_name_plural = _("officials")
        ordering = ["full_name"]

    def __str__(self):
        return self.full_name

    def clean(self):
        units = [unit for unit in (self.commune_id, self.district_id, self.province_id) if unit]
        if len(units) > 1:
            raise ValidationError(_("An official works in one unit: a commune, a district or a province."))
        if self.department_id and self.department.commune_id != self.commune_id:
            raise ValidationError({"department": _("The department must belong to the official's commune.")})
