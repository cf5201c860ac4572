"""Admin of the poverty standards, their indicators and the reference lists."""

from django.contrib import admin

from households.models import (
    Ethnicity,
    Indicator,
    PovertyCause,
    PovertyStandard,
    SupportNeed,
)
from povertyplan.admin_scope import (
    CleanTextMixin,
    ScopedAdmin,
)


class IndicatorInline(CleanTextMixin, admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ("number", "code", "dimension", "name", "deprived_when", "dimension_en", "name_en")


@admin.register(PovertyStandard)
class PovertyStandardAdmin(ScopedAdmin):
    list_display = (
        "code",
        "name",
        "start_year",
        "end_year",
        "rule",
        "poverty_line_rural",
        "poverty_line_urban",
        "min_deprivations",
    )
    search_fields = ("code", "name", "legal_basis")
    inlines = (IndicatorInline,)


@admin.register(Indicator)
class IndicatorAdmin(ScopedAdmin):
    list_display = ("number", "name", "dimension", "code", "standard")
    list_select_related = ("standard",)
    list_filter = ("standard", "dimension")
    search_fields = ("name", "dimension", "code", "name_en")


@admin.register(Ethnicity)
class EthnicityAdmin(ScopedAdmin):
    list_display = ("code", "name", "is_minority")
    list_filter = ("is_minority",)
    search_fields = ("name", "code")


class ReferenceItemAdmin(ScopedAdmin):
    list_display = ("order", "name", "code", "active")
    list_filter = ("active",)
    search_fields = ("name", "name_en", "code")


@admin.register(PovertyCause)
class PovertyCauseAdmin(ReferenceItemAdmin):
    pass


@admin.register(SupportNeed)
class SupportNeedAdmin(ReferenceItemAdmin):
    pass
