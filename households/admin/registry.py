"""Admin of the registry: households, their members and review results."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Subquery
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.selectors import scope_for_user
from households import permissions, selectors, services
from households.classification import Level
from households.models import (
    Assessment,
    Household,
    ImportJob,
    Member,
    PovertyStandard,
)
from households.resources import AssessmentResource, HouseholdResource, MemberResource
from povertyplan.admin_exports import AuditedExportMixin, ImportPageLinkMixin
from povertyplan.admin_scope import (
    TRACKED_FIELDS,
    CleanTextMixin,
    HouseholdVillageListFilter,
    IsSetListFilter,
    OfferedValuesListFilter,
    ScopedAdmin,
    ScopedChoicesMixin,
    VillageListFilter,
    tracked_fieldset,
)
from povertyplan.text import clean_text


def prepare_member(member: Member) -> None:
    """Store the name cleaned and refresh the member's search key (what services.member_create does)."""
    member.full_name = clean_text(member.full_name)
    member.search_key = services.member_search_key(full_name=member.full_name)


class ArchivedListFilter(IsSetListFilter):
    title = _("archived")
    parameter_name = "archived"
    field_path = "archived_at"


class LatestClassificationListFilter(OfferedValuesListFilter):
    title = _("latest classification")
    parameter_name = "latest"

    def lookups(self, request, model_admin):
        return Level.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(latest_classification=self.value())
        return queryset


class MemberInline(CleanTextMixin, ScopedChoicesMixin, admin.TabularInline):
    model = Member
    extra = 0
    fields = (
        "number",
        "full_name",
        "sex",
        "birth_year",
        "relation",
        "ethnicity",
        "national_id",
        "health_insurance",
        "schooling",
        "work",
    )


@admin.register(Household)
class HouseholdAdmin(ImportPageLinkMixin, AuditedExportMixin, ScopedAdmin):
    household_path = "pk"
    resource_classes = (HouseholdResource,)
    import_kind = ImportJob.Kind.HOUSEHOLDS
    list_display = (
        "code",
        "head_name",
        "village",
        "is_ethnic_minority",
        "latest_classification",
        "archived",
    )
    list_display_links = ("code", "head_name")
    list_select_related = ("village",)
    list_filter = (
        VillageListFilter,
        LatestClassificationListFilter,
        "area",
        "is_ethnic_minority",
        "is_female_head",
        "has_no_labour_capacity",
        ArchivedListFilter,
    )
    search_fields = ("search_key", "village__search_key")
    filter_horizontal = ("causes", "needs")
    readonly_fields = TRACKED_FIELDS
    inlines = (MemberInline,)
    fieldsets = (
        (None, {"fields": ("commune", "village", "code", "head_name", "address", "phone")}),
        (
            _("Characteristics"),
            {
                "fields": (
                    "head_ethnicity",
                    "is_ethnic_minority",
                    "is_indigenous",
                    "area",
                    "is_merit_family",
                    "has_no_labour_capacity",
                    "is_female_head",
                )
            },
        ),
        (_("Causes and needs"), {"fields": ("causes", "needs", "notes")}),
        (_("Archiving"), {"fields": ("archived_at", "archive_reason")}),
        tracked_fieldset(),
    )

    def has_delete_permission(self, request, obj=None):
        return False  # households are archived (archived_at, archive_reason), never deleted

    def get_queryset(self, request):
        latest = (
            Assessment.objects.filter(household=OuterRef("pk"), kind=Assessment.Kind.PERIODIC)
            .order_by("-review_year")
            .values("classification")[:1]
        )
        return super().get_queryset(request).annotate(latest_classification=Subquery(latest))

    def get_list_filter(self, request):
        if request.user.is_superuser:
            return (("commune", admin.RelatedOnlyFieldListFilter), *self.list_filter)
        return self.list_filter

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        commune_id = scope_for_user(request.user).commune_id
        if commune_id and "commune" not in initial:
            initial["commune"] = commune_id
        return initial

    def search_by_keys(self, queryset, words):
        # The application's own household search: code, head, address, village and members' names.
        for word in words:
            queryset = selectors.household_search(queryset, word)
        return queryset

    @admin.display(description=_("latest classification"), ordering="latest_classification")
    def latest_classification(self, obj):
        return Level(obj.latest_classification).label if obj.latest_classification else None

    @admin.display(description=_("archived"), boolean=True, ordering="archived_at")
    def archived(self, obj):
        return obj.is_archived

    def save_model(self, request, obj, form, change):
        # household_update normalises the names, writes the search key and updated_by; on add the
        # form has built the unsaved row, which the service's save() inserts.
        if not change:
            obj.created_by = request.user
        names = {
            key: form.cleaned_data[key]
            for key in ("code", "head_name", "address")
            if key in form.cleaned_data
        }
        services.household_update(household=obj, by=request.user, **names)

    def prepare(self, request, obj):
        if isinstance(obj, Member):
            prepare_member(obj)


@admin.register(Member)
class MemberAdmin(ImportPageLinkMixin, AuditedExportMixin, ScopedAdmin):
    household_path = "household"
    resource_classes = (MemberResource,)
    import_kind = ImportJob.Kind.MEMBERS
    list_display = ("full_name", "household", "number", "birth_year", "sex", "relation", "masked_id")
    list_select_related = ("household",)
    list_filter = (HouseholdVillageListFilter, "sex", "relation", "health_insurance", "work")
    search_fields = ("search_key", "household__search_key")
    autocomplete_fields = ("household",)
    readonly_fields = TRACKED_FIELDS

    @admin.display(description=Member._meta.get_field("national_id").verbose_name)
    def masked_id(self, obj):
        return obj.masked_national_id

    def get_export_resource_kwargs(self, request, **kwargs):
        show = permissions.national_id_visible_to(user=request.user)
        return {**super().get_export_resource_kwargs(request, **kwargs), "show_national_id": show}

    def prepare(self, request, obj):
        prepare_member(obj)


class AssessmentAdminForm(forms.ModelForm):
    """Computes the rule's classification; the model's clean() then demands a reason for any change."""

    class Meta:
        model = Assessment
        fields = (
            "household",
            "review_year",
            "kind",
            "reviewed_on",
            "standard",
            "income_per_capita_month",
            "b1_score",
            "deprivations",
            "classification",
            "adjustment_reason",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "standard" in self.fields:
            self.fields["standard"].required = False
            self.fields["standard"].help_text = _(
                "Leave empty to use the standard in force for the review year."
            )
        if "classification" in self.fields:
            self.fields["classification"].required = False
            self.fields["classification"].help_text = _(
                "Leave empty to use the rule's classification. A different one needs the meeting's reason."
            )

    def clean(self):
        cleaned = super().clean()
        household = cleaned.get("household")
        year = cleaned.get("review_year")
        income = cleaned.get("income_per_capita_month")
        if household is None or year is None or income is None:
            return cleaned
        standard = cleaned.get("standard")
        if standard is None:
            try:
                standard = services.standard_for_year(year)
            except PovertyStandard.DoesNotExist:
                self.add_error("standard", gettext("No poverty standard covers this review year."))
                return cleaned
            cleaned["standard"] = standard
        if not standard.covers(year):
            return cleaned  # the model's clean() reports it on the standard field
        deprivations = list(cleaned.get("deprivations") or [])
        foreign = [indicator for indicator in deprivations if indicator.standard_id != standard.pk]
        if foreign:
            self.add_error(
                "deprivations",
                gettext("These indicators belong to another standard: %(indicators)s.")
                % {"indicators": ", ".join(str(indicator) for indicator in foreign)},
            )
            return cleaned
        computed = services.classification_compute(
            household=household,
            standard=standard,
            income=income,
            deprived=[indicator.code for indicator in deprivations],
        )
        self.instance.computed_classification = computed
        if not cleaned.get("classification"):
            cleaned["classification"] = computed
        try:  # a closed round's results are frozen: none added to it, none moved into it
            services.refuse_closed_round(
                commune=household.commune, kind=cleaned.get("kind"), year=year, on=cleaned.get("reviewed_on")
            )
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned


@admin.register(Assessment)
class AssessmentAdmin(ImportPageLinkMixin, AuditedExportMixin, ScopedAdmin):
    household_path = "household"
    resource_classes = (AssessmentResource,)
    import_kind = ImportJob.Kind.ASSESSMENTS
    form = AssessmentAdminForm
    list_display = (
        "household",
        "review_year",
        "kind",
        "income_per_capita_month",
        "classification",
        "computed_classification",
        "deprivation_count",
        "adjusted",
    )
    list_select_related = ("household",)
    list_filter = ("review_year", "classification", "kind", HouseholdVillageListFilter, "household__area")
    search_fields = ("household__search_key", "household__village__search_key")
    autocomplete_fields = ("household",)
    readonly_fields = ("computed_classification", *TRACKED_FIELDS)
    fieldsets = (
        (None, {"fields": ("household", "review_year", "kind", "reviewed_on", "standard")}),
        (
            _("Income and classification"),
            {
                "fields": (
                    "income_per_capita_month",
                    "b1_score",
                    "deprivations",
                    "computed_classification",
                    "classification",
                    "adjustment_reason",
                )
            },
        ),
        tracked_fieldset(),
    )

    def has_delete_permission(self, request, obj=None):
        return False  # a correction is a new review entry

    def has_change_permission(self, request, obj=None):
        if obj is not None and self.in_closed_round(obj):
            return False  # frozen with its round: read-only for everyone
        return super().has_change_permission(request, obj)

    @staticmethod
    def in_closed_round(obj) -> bool:
        covering = services.closed_round_covering(
            commune=obj.household.commune, kind=obj.kind, year=obj.review_year, on=obj.reviewed_on
        )
        return covering is not None

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(deprivation_count=Count("deprivations"))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "deprivations":
            kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("deprivations"), ordering="deprivation_count")
    def deprivation_count(self, obj):
        return obj.deprivation_count

    @admin.display(description=_("adjusted by the meeting"), boolean=True)
    def adjusted(self, obj):
        return obj.is_adjusted
