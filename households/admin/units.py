"""Admin of the administrative units: provinces, districts, communes, villages."""

from django.contrib import admin

from households.models import (
    Commune,
    District,
    Province,
    Village,
)
from povertyplan.admin_scope import (
    ScopedAdmin,
)
from povertyplan.text import fold


@admin.register(Province)
class ProvinceAdmin(ScopedAdmin):
    list_display = ("name", "kind", "code", "valid_until")
    list_filter = ("kind",)
    search_fields = ("name", "code")


@admin.register(District)
class DistrictAdmin(ScopedAdmin):
    list_display = ("name", "kind", "code", "province", "valid_until")
    list_select_related = ("province",)
    list_filter = ("kind", ("province", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "code")


@admin.register(Commune)
class CommuneAdmin(ScopedAdmin):
    commune_path = "pk"
    list_display = ("name", "kind", "code", "district", "province", "valid_until")
    list_select_related = ("district", "province")
    list_filter = ("kind", ("province", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "code")


@admin.register(Village)
class VillageAdmin(ScopedAdmin):
    commune_path = "commune"
    list_display = ("name", "kind", "code", "commune")
    list_select_related = ("commune",)
    list_filter = ("kind", ("commune", admin.RelatedOnlyFieldListFilter))
    search_fields = ("search_key",)

    def prepare(self, request, obj):
        # No village service exists; the key is the folded name, as the factories write it.
        obj.search_key = fold(obj.name)
