"""Admin of the administrative units: provinces, districts, communes, villages."""

from django.contrib import admin

from households.models import (
    Commune,
    CommuneMerger,
    District,
    Province,
    Village,
)
from povertyplan.admin_scope import (
    ScopedAdmin,
)
from povertyplan.text import fold

from .merge import merge_communes


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


class CommuneMergerInline(admin.StackedInline):
    """Where a merged commune went (households.merger): a record of the merger, never edited."""

    model = CommuneMerger
    fk_name = "commune"
    fields = readonly_fields = ("into", "on", "households", "officials", "created_by", "created_at")
    can_delete = False
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Commune)
class CommuneAdmin(ScopedAdmin):
    commune_path = "pk"
    list_display = ("name", "kind", "code", "district", "province", "valid_until")
    list_select_related = ("district", "province")
    list_filter = ("kind", ("province", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "code")
    actions = [merge_communes]
    inlines = [CommuneMergerInline]

    def has_merge_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser


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
