"""Shared pieces of the Django admin: row scope by role, folded search, list filters, record stamps.

Every app's admin.py builds on `ScopedAdmin`, so the admin shows a commune officer the same rows
as the application does: the scope comes from the selectors (households.selectors,
accounts.selectors), never from a rule written again here. Superusers see everything.
"""

from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Official
from households.models import Household, Village
from households.selectors import commune_list_for_user, household_scope_filter
from povertyplan.forms import CleanTextField
from povertyplan.models import Tracked
from povertyplan.text import fold

admin.site.site_header = _("Poverty-reduction plan management")
admin.site.site_title = _("Poverty-reduction plan")
admin.site.index_title = _("Data administration")

# Read-only "who and when" of Tracked models, shown at the bottom of their forms.
TRACKED_FIELDS = ("created_at", "created_by", "updated_at", "updated_by")


def stamp(obj, user) -> None:
    """Record who created (on add only) and who last changed a Tracked row."""
    if isinstance(obj, Tracked):
        if obj._state.adding:
            obj.created_by = user
        obj.updated_by = user


def tracked_fieldset():
    return (_("Record history"), {"fields": TRACKED_FIELDS, "classes": ("collapse",)})


class CleanTextMixin:
    """Every text field of the admin's forms is a CleanTextField: the names, codes and notes typed
    here are stored as every other entry point stores them (povertyplan.text.clean_text), and
    uniqueness is validated on that stored value (a decomposed "Ơ" clashes with the composed one)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # Plain text only: slugs, e-mail addresses and URLs keep the form fields that check them.
        if type(db_field) in (models.CharField, models.TextField) and not db_field.choices:
            kwargs.setdefault("form_class", CleanTextField)
            kwargs["multiline"] = isinstance(db_field, models.TextField)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class ScopedChoicesMixin:
    """Foreign-key and many-to-many choices limited to the rows the user may see.

    The related model's own admin decides what is visible (its `scope_queryset`), so a commune
    officer is offered only their commune's villages, households, officials, departments and plans,
    in forms and inlines alike. Reference data keeps Django's default choices.
    """

    def _restrict_choices(self, db_field, request, kwargs) -> None:
        if "queryset" in kwargs or request.user.is_superuser:
            return
        model = db_field.remote_field.model
        try:
            related_admin = self.admin_site.get_model_admin(model)
        except NotRegistered:
            return
        if isinstance(related_admin, ScopedAdmin) and related_admin.is_scoped:
            queryset = related_admin.scope_queryset(request, model._default_manager.all())
            ordering = related_admin.get_ordering(request)
            kwargs["queryset"] = queryset.order_by(*ordering) if ordering else queryset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        self._restrict_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        self._restrict_choices(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ScopedAdmin(CleanTextMixin, ScopedChoicesMixin, admin.ModelAdmin):
    """A ModelAdmin whose rows, choices and search follow the user's scope.

    Set one of:
    - `household_path`: lookup from the model to its Household ("household"; "pk" on Household
      itself). Rows follow households.selectors.household_scope_filter.
    - `commune_path`: lookup from the model to its Commune ("commune", "plan__commune"; "pk" on
      Commune itself). Rows follow households.selectors.commune_list_for_user.
    Neither: reference data, the same for everyone (group permissions make it read-only).

    Search ignores case, diacritics and Unicode normalisation (povertyplan.text.fold):
    - when every entry of `search_fields` is a stored folded key (`…search_key`), each word of the
      folded term must be contained in one of those keys: an indexed database filter;
    - otherwise the listed fields are folded in Python. That reads the scoped rows' few columns,
      so it is kept for short lists (reference data, officials, departments, plans).
    """

    household_path: str | None = None
    commune_path: str | None = None

    @property
    def is_scoped(self) -> bool:
        return bool(self.household_path or self.commune_path)

    def scope_queryset(self, request, queryset: QuerySet) -> QuerySet:
        user = request.user
        if user.is_superuser:  # the administrator role: no filter (saves the scope queries)
            return queryset
        if self.household_path == "pk":
            return queryset.filter(household_scope_filter(user=user))
        if self.household_path:
            visible = Household.objects.filter(household_scope_filter(user=user))
            return queryset.filter(**{f"{self.household_path}__in": visible})
        if self.commune_path:
            return queryset.filter(**{f"{self.commune_path}__in": commune_list_for_user(user=user)})
        return queryset

    def get_queryset(self, request):
        return self.scope_queryset(request, super().get_queryset(request))

    # Search ---------------------------------------------------------------------------------

    def get_search_results(self, request, queryset, search_term):
        words = fold(search_term).split()
        if not words or not self.search_fields:
            return queryset, False
        if all(path.endswith("search_key") for path in self.search_fields):
            return self.search_by_keys(queryset, words), False
        return self.search_in_python(queryset, words), False

    def search_by_keys(self, queryset: QuerySet, words: list[str]) -> QuerySet:
        for word in words:
            any_key = Q()
            for path in self.search_fields:
                any_key |= Q(**{f"{path}__contains": word})
            queryset = queryset.filter(any_key)
        return queryset

    def search_in_python(self, queryset: QuerySet, words: list[str]) -> QuerySet:
        matches = set()
        for pk, *values in queryset.order_by().values_list("pk", *self.search_fields):
            haystack = fold(" ".join(str(value) for value in values if value is not None))
            if all(word in haystack for word in words):
                matches.add(pk)
        return queryset.filter(pk__in=matches)

    # Writes ---------------------------------------------------------------------------------

    def prepare(self, request, obj) -> None:
        """Hook: set derived fields (search keys, normalised names) on a row before it is saved.

        Called for the edited object and for every saved inline row.
        """

    def save_model(self, request, obj, form, change):
        stamp(obj, request.user)
        self.prepare(request, obj)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        for obj in instances:
            stamp(obj, request.user)
            self.prepare(request, obj)
            obj.save()
        formset.save_m2m()


# List filters ------------------------------------------------------------------------------


class OfferedValuesListFilter(admin.SimpleListFilter):
    """A list filter that takes only the values it offers: anything else typed into the address
    ("?village=abc") is ignored and the whole list shows, instead of reaching the database."""

    def value(self):
        value = super().value()
        return value if value in {str(key) for key, _label in self.lookup_choices} else None


class VillageListFilter(OfferedValuesListFilter):
    """Villages of the user's communes only (all villages for a superuser)."""

    title = Village._meta.verbose_name
    parameter_name = "village"
    village_path = "village"

    def lookups(self, request, model_admin):
        villages = Village.objects.select_related("commune")
        if not request.user.is_superuser:
            villages = villages.filter(commune__in=commune_list_for_user(user=request.user))
        villages = list(villages)
        if len({village.commune_id for village in villages}) <= 1:
            return [(str(village.pk), village.name) for village in villages]
        return [
            (
                str(village.pk),
                gettext("%(village)s (%(commune)s)") % {"village": village.name, "commune": village.commune},
            )
            for village in villages
        ]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{f"{self.village_path}__pk": self.value()})
        return queryset


class HouseholdVillageListFilter(VillageListFilter):
    village_path = "household__village"


class OfficialListFilter(OfferedValuesListFilter):
    """Officials of the user's communes; override `official_q` for an indirect link."""

    title = Official._meta.verbose_name
    parameter_name = "official"

    def lookups(self, request, model_admin):
        officials = Official.objects.filter(commune__isnull=False)
        if not request.user.is_superuser:
            officials = officials.filter(commune__in=commune_list_for_user(user=request.user))
        return [(str(pk), name) for pk, name in officials.values_list("pk", "full_name")]

    def official_q(self, official_id: str) -> Q:
        return Q(official_id=official_id)

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(self.official_q(self.value()))
        return queryset


class IsSetListFilter(OfferedValuesListFilter):
    """Yes/no on whether a nullable field is filled in (archived_at, ended_on…)."""

    field_path = ""

    def lookups(self, request, model_admin):
        return (("yes", _("Yes")), ("no", _("No")))

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{f"{self.field_path}__isnull": self.value() == "no"})
        return queryset
