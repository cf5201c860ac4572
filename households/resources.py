"""Households, members and review results for django-import-export.

The admin exports them with the headers and cells of the page exports (households.exports; cells in
povertyplan.admin_exports). HouseholdResource can also import through the library itself, row by
row: the baseline the application's importer (households.imports) is measured against. Officers
import through the application's page, never through these resources.
"""

from django.utils.translation import gettext
from import_export import fields, resources

from households import services
from households.models import (
    Assessment,
    Commune,
    Ethnicity,
    Household,
    Indicator,
    Member,
    PovertyCause,
    PovertyStandard,
    SupportNeed,
    Village,
)
from povertyplan.admin_exports import Day, Label, Named, Names, Number, Text, YesNo, column


def choices_of(model, name: str):
    return model._meta.get_field(name).choices


class HouseholdContextResource(resources.ModelResource):
    """The columns that say where a row of a related list belongs: commune, village, code, head."""

    commune = fields.Field(
        "household__commune", column(Household, "commune"), Named(Commune.objects.all()), readonly=True
    )
    village = fields.Field(
        "household__village", column(Household, "village"), Named(Village.objects.all()), readonly=True
    )
    household_code = fields.Field("household__code", column(Household, "code"), Text(), readonly=True)
    head_name = fields.Field("household__head_name", column(Household, "head_name"), Text(), readonly=True)

    export_select_related: tuple[str, ...] = ("household__commune", "household__village")
    export_prefetch_related: tuple[str, ...] = ()

    def filter_export(self, queryset, **kwargs):
        # One query per chunk of rows, not one per row and related name.
        return queryset.select_related(*self.export_select_related).prefetch_related(
            *self.export_prefetch_related
        )


class HouseholdResource(resources.ModelResource):
    """Households; imports into one commune (`commune`), villages matched by name within it."""

    # Exports read the names from the rows; an import narrows both lists to its commune (__init__).
    commune = fields.Field("commune", column(Household, "commune"), Named(Commune.objects.all()))
    village = fields.Field("village", column(Household, "village"), Named(Village.objects.all()))
    code = fields.Field("code", column(Household, "code"), Text(30))
    head_name = fields.Field("head_name", column(Household, "head_name"), Text(120))
    address = fields.Field("address", column(Household, "address"), Text(250))
    head_ethnicity = fields.Field(
        "head_ethnicity", column(Household, "head_ethnicity"), Named(Ethnicity.objects.all())
    )
    is_ethnic_minority = fields.Field("is_ethnic_minority", column(Household, "is_ethnic_minority"), YesNo())
    is_indigenous = fields.Field("is_indigenous", column(Household, "is_indigenous"), YesNo())
    area = fields.Field("area", column(Household, "area"), Label(choices_of(Household, "area")))
    is_merit_family = fields.Field("is_merit_family", column(Household, "is_merit_family"), YesNo())
    has_no_labour_capacity = fields.Field(
        "has_no_labour_capacity", column(Household, "has_no_labour_capacity"), YesNo()
    )
    is_female_head = fields.Field("is_female_head", column(Household, "is_female_head"), YesNo())
    phone = fields.Field("phone", column(Household, "phone"), Text(20))
    causes = fields.Field("causes", column(Household, "causes"), Names(PovertyCause))
    needs = fields.Field("needs", column(Household, "needs"), Names(SupportNeed))
    notes = fields.Field("notes", column(Household, "notes"), Text())
    # Archiving is a decision recorded on the household's page, never a spreadsheet cell.
    archived_at = fields.Field("archived_at", column(Household, "archived_at"), Day(), readonly=True)
    archive_reason = fields.Field(
        "archive_reason", column(Household, "archive_reason"), Text(), readonly=True
    )

    class Meta:
        model = Household
        fields = (
            "commune",
            "village",
            "code",
            "head_name",
            "address",
            "head_ethnicity",
            "is_ethnic_minority",
            "is_indigenous",
            "area",
            "is_merit_family",
            "has_no_labour_capacity",
            "is_female_head",
            "phone",
            "causes",
            "needs",
            "notes",
            "archived_at",
            "archive_reason",
        )
        import_id_fields = ("commune", "code")
        clean_model_instances = True
        skip_unchanged = True

    def __init__(self, commune: Commune | None = None, user=None, **kwargs):
        super().__init__(**kwargs)
        self.commune = commune
        self.user = user  # recorded as created_by/updated_by of the rows written
        if commune is not None:
            self.fields["commune"].widget = Named(Commune.objects.filter(pk=commune.pk))
            self.fields["village"].widget = Named(Village.objects.filter(commune=commune))

    @property
    def commune_header(self) -> str:
        return str(self.fields["commune"].column_name)

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("commune", "village", "head_ethnicity").prefetch_related(
            "causes", "needs"
        )

    def before_import(self, dataset, **kwargs):
        # Village names are only unique within a commune: an import always targets one.
        if self.commune is None:
            raise ValueError(gettext("Choose the commune to import the households into."))
        if self.commune_header not in dataset.headers:
            dataset.append_col([""] * dataset.height, header=self.commune_header)

    def before_import_row(self, row, **kwargs):
        # An empty commune cell is the commune's own; another commune's name is refused by the widget.
        if not row.get(self.commune_header):
            row[self.commune_header] = self.commune.name

    def before_save_instance(self, instance, row, **kwargs):
        instance.search_key = services.household_search_key(
            code=instance.code, head_name=instance.head_name, address=instance.address
        )
        if self.user is not None:
            if instance._state.adding:
                instance.created_by = self.user
            instance.updated_by = self.user


class MemberResource(HouseholdContextResource):
    """Household members; national ID numbers masked unless `show_national_id`."""

    number = fields.Field("number", column(Member, "number"), Number())
    full_name = fields.Field("full_name", column(Member, "full_name"), Text(120))
    birth_date = fields.Field("birth_date", column(Member, "birth_date"), Day())
    birth_year = fields.Field("birth_year", column(Member, "birth_year"), Number())
    sex = fields.Field("sex", column(Member, "sex"), Label(choices_of(Member, "sex")))
    relation = fields.Field("relation", column(Member, "relation"), Label(choices_of(Member, "relation")))
    ethnicity = fields.Field("ethnicity", column(Member, "ethnicity"), Named(Ethnicity.objects.all()))
    national_id = fields.Field("national_id", column(Member, "national_id"), Text(12))
    health_insurance = fields.Field(
        "health_insurance", column(Member, "health_insurance"), Label(choices_of(Member, "health_insurance"))
    )
    schooling = fields.Field("schooling", column(Member, "schooling"), Label(choices_of(Member, "schooling")))
    work = fields.Field("work", column(Member, "work"), Label(choices_of(Member, "work")))

    export_select_related = (*HouseholdContextResource.export_select_related, "ethnicity")

    class Meta:
        model = Member
        fields = (
            "commune",
            "village",
            "household_code",
            "head_name",
            "number",
            "full_name",
            "birth_date",
            "birth_year",
            "sex",
            "relation",
            "ethnicity",
            "national_id",
            "health_insurance",
            "schooling",
            "work",
        )

    def __init__(self, show_national_id: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.show_national_id = show_national_id  # households.permissions.national_id_visible_to

    def dehydrate_national_id(self, member: Member) -> str:
        return member.national_id if self.show_national_id else member.masked_national_id


class AssessmentResource(HouseholdContextResource):
    """Review results, with the deprived indicators by name."""

    review_year = fields.Field("review_year", column(Assessment, "review_year"), Number())
    kind = fields.Field("kind", column(Assessment, "kind"), Label(choices_of(Assessment, "kind")))
    reviewed_on = fields.Field("reviewed_on", column(Assessment, "reviewed_on"), Day())
    standard = fields.Field(
        "standard", column(Assessment, "standard"), Named(PovertyStandard.objects.all(), "code")
    )
    income_per_capita_month = fields.Field(
        "income_per_capita_month", column(Assessment, "income_per_capita_month"), Number()
    )
    b1_score = fields.Field("b1_score", column(Assessment, "b1_score"), Number())
    computed_classification = fields.Field(
        "computed_classification",
        column(Assessment, "computed_classification"),
        Label(choices_of(Assessment, "computed_classification")),
        readonly=True,
    )
    classification = fields.Field(
        "classification",
        column(Assessment, "classification"),
        Label(choices_of(Assessment, "classification")),
    )
    adjustment_reason = fields.Field("adjustment_reason", column(Assessment, "adjustment_reason"), Text())
    deprivations = fields.Field("deprivations", column(Assessment, "deprivations"), Names(Indicator))

    export_select_related = (*HouseholdContextResource.export_select_related, "standard")
    export_prefetch_related = ("deprivations",)

    class Meta:
        model = Assessment
        fields = (
            "commune",
            "village",
            "household_code",
            "head_name",
            "review_year",
            "kind",
            "reviewed_on",
            "standard",
            "income_per_capita_month",
            "b1_score",
            "computed_classification",
            "classification",
            "adjustment_reason",
            "deprivations",
        )
