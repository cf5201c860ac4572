"""Editable reference lists: ethnic groups, causes of poverty, support needs."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from povertyplan.models import Tracked


class Ethnicity(Tracked):
    code = models.CharField(_("GSO code"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=60, unique=True)
    is_minority = models.BooleanField(_("ethnic minority"), default=True)

    class Meta:
        verbose_name = _("ethnic group")
        verbose_name_plural = _("ethnic groups")
        ordering = ["code"]

    def __str__(self):
        return self.name


class ReferenceItem(Tracked):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        abstract = True
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class PovertyCause(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        verbose_name = _("cause of poverty")
        verbose_name_plural = _("causes of poverty")


class SupportNeed(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        verbose_name = _("support need")
        verbose_name_plural = _("support needs")
