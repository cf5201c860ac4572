"""The Django admin: every model, Vietnamese, scoped by role, folded search, derived fields on save."""

import unicodedata

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Department, Official
from assignments.models import Assignment, SupportAction
from households.models import (
    Assessment,
    Commune,
    District,
    Ethnicity,
    ExportRecord,
    Household,
    Indicator,
    Member,
    PovertyCause,
    PovertyStandard,
    Province,
    ReviewRound,
    SupportNeed,
    Village,
)
from plans.models import ExitRegistration, Plan, Programme, Project, Responsibility
from povertyplan.text import fold
from tests import factories

MODELS = [
    Province,
    District,
    Commune,
    Village,
    PovertyStandard,
    Indicator,
    Ethnicity,
    PovertyCause,
    SupportNeed,
    Household,
    Member,
    Assessment,
    ReviewRound,
    Department,
    Official,
    Programme,
    Project,
    Plan,
    Responsibility,
    ExitRegistration,
    Assignment,
    SupportAction,
]


def login(client, user):
    """Sign in with the row as stored: UserFactory sets the password after saving and does not save
    it again, so the in-memory user's session hash would not match and the session would be dropped."""
    client.force_login(type(user).objects.get(pk=user.pk))


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def listed(response):
    """The rows the changelist shows (after scope, filters and search)."""
    return set(response.context["cl"].queryset.values_list("pk", flat=True))


def standard_indicators(count):
    return list(Indicator.objects.filter(standard__code="2022-2025").order_by("number")[:count])


@pytest.fixture
def plan(household):
    return household.assignments.get().plan


@pytest.fixture
def one_of_each(household, plan, personas):
    """A row of every model in the household's commune, so every change page has something to show."""
    department = factories.DepartmentFactory(commune=household.commune)
    factories.MemberFactory(household=household, full_name="Đinh Thị Blơi")
    factories.AssessmentFactory(household=household)
    factories.VillageMeetingFactory(round__commune=household.commune, village=household.village)
    factories.ResponsibilityFactory(plan=plan, department=department)
    factories.ExitRegistrationFactory(household=household, plan=plan)
    factories.SupportActionFactory(household=household, official=personas["case_worker"].official, plan=plan)


@pytest.fixture
def foreign(personas):
    """The same kinds of rows in the outsider's commune (another province)."""
    commune = personas["outsider"].official.commune
    household = factories.HouseholdFactory(village__commune=commune, head_name="Rơ Mah Mơhven")
    plan = factories.PlanFactory(commune=commune)
    department = factories.DepartmentFactory(commune=commune)
    return {
        Commune: commune,
        Village: household.village,
        Household: household,
        Member: factories.MemberFactory(household=household),
        Assessment: factories.AssessmentFactory(household=household),
        Department: department,
        Official: personas["outsider"].official,
        Plan: plan,
        Responsibility: factories.ResponsibilityFactory(plan=plan, department=department),
        ExitRegistration: factories.ExitRegistrationFactory(household=household, plan=plan),
        Assignment: factories.AssignmentFactory(household=household, plan=plan),
        SupportAction: factories.SupportActionFactory(household=household),
    }


# Registration, language -------------------------------------------------------------------


def test_every_model_is_registered():
    ours = {
        model
        for model in admin.site._registry
        if model._meta.app_label in {"households", "accounts", "plans", "assignments"}
    }
    assert ours == set(MODELS) | {ExportRecord}  # read-only audit: tests/households/test_export_audit.py


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_superuser_opens_changelist_add_and_change_pages_in_vietnamese(client, personas, one_of_each, model):
    login(client, personas["administrator"])
    obj = model._default_manager.first()
    assert obj is not None
    for page in (url(model, "changelist"), url(model, "add"), url(model, "change", obj.pk)):
        response = client.get(page)
        assert response.status_code == 200, page
        content = response.content.decode()
        assert 'lang="vi"' in content
        assert "Trang chủ" in content  # Django's own Vietnamese breadcrumbs
        assert str(admin.site.site_header) in content


def test_site_header_is_in_vietnamese(client, personas):
    login(client, personas["administrator"])
    content = client.get(reverse("admin:index")).content.decode()
    assert "Quản lý kế hoạch giảm nghèo" in content
    assert "Quản trị dữ liệu" in content
    assert "Sổ hộ" in content  # the households app's verbose name


# Search -----------------------------------------------------------------------------------


@pytest.fixture
def searchable(household):
    dong = factories.VillageFactory(commune=household.commune, name="Dơng")
    return {
        "village_match": household,  # village Mơhven-Ôr, head Đinh Văn Hmar
        "head_match": factories.HouseholdFactory(village=dong, head_name="Rơ Mah Mơhven"),
        "no_match": factories.HouseholdFactory(village=dong, head_name="Nguyễn Văn Bình"),
    }


@pytest.mark.parametrize(
    "term", ["mohven", "MOHVEN", "Mơhven", unicodedata.normalize("NFD", "Mơhven"), "mơhven-ôr"]
)
def test_household_search_ignores_diacritics_case_and_normalisation(client, personas, searchable, term):
    login(client, personas["administrator"])
    response = client.get(url(Household, "changelist"), {"q": term})
    found = listed(response)
    assert searchable["village_match"].pk in found
    assert searchable["no_match"].pk not in found
    if fold(term) == "mohven":
        assert searchable["head_match"].pk in found


@pytest.mark.parametrize("term", ["dinh van hmar", unicodedata.normalize("NFD", "ĐINH VĂN"), "hmar đinh"])
def test_household_search_finds_a_head_name_with_diacritics(client, personas, searchable, term):
    login(client, personas["administrator"])
    found = listed(client.get(url(Household, "changelist"), {"q": term}))
    assert found == {searchable["village_match"].pk}


def test_household_search_that_should_not_match_finds_nothing(client, personas, searchable):
    login(client, personas["administrator"])
    assert listed(client.get(url(Household, "changelist"), {"q": "mohra"})) == set()


def test_household_search_finds_a_member_name(client, personas, searchable):
    factories.MemberFactory(household=searchable["no_match"], full_name="Nguyễn Thị Hờ Lan")
    login(client, personas["administrator"])
    found = listed(client.get(url(Household, "changelist"), {"q": "ho lan"}))
    assert found == {searchable["no_match"].pk}


def household_row(model, household, plan):
    """A row of a household-linked model for the household (its open assignment when it has one)."""
    if model is Assignment:
        current = household.assignments.first()
        return current or factories.AssignmentFactory(household=household, plan=plan)
    if model is Member:
        return factories.MemberFactory(household=household)
    if model is Assessment:
        return factories.AssessmentFactory(household=household)
    factory = {
        ExitRegistration: factories.ExitRegistrationFactory,
        SupportAction: factories.SupportActionFactory,
    }
    return factory[model](household=household, plan=plan)


@pytest.mark.parametrize(
    "model", [Member, Assessment, ExitRegistration, Assignment, SupportAction], ids=lambda m: m.__name__
)
def test_search_through_the_household_ignores_diacritics(client, personas, searchable, plan, model):
    match = household_row(model, searchable["village_match"], plan)
    other = household_row(model, searchable["no_match"], plan)
    login(client, personas["administrator"])
    for term in ("mohven", unicodedata.normalize("NFD", "MƠHVEN")):
        found = listed(client.get(url(model, "changelist"), {"q": term}))
        assert match.pk in found and other.pk not in found


def test_member_search_finds_the_member_by_their_own_name(client, personas, household):
    member = factories.MemberFactory(household=household, full_name="Đinh Thị Blơi")
    factories.MemberFactory(household=household, full_name="Đinh Văn Plơng")
    login(client, personas["administrator"])
    assert listed(client.get(url(Member, "changelist"), {"q": "BLOI"})) == {member.pk}


@pytest.mark.parametrize(
    "model, term", [(Commune, "KONG LONG"), (Ethnicity, "ba na"), (PovertyCause, "thieu dat")]
)
def test_reference_search_ignores_diacritics(client, personas, commune, model, term):
    expected = {obj.pk for obj in model.objects.all() if fold(term) in fold(obj.name)}
    assert expected
    login(client, personas["administrator"])
    assert listed(client.get(url(model, "changelist"), {"q": term})) == expected


def test_official_search_ignores_diacritics(client, personas):
    official = personas["case_worker"].official
    login(client, personas["commune_admin"])
    found = listed(client.get(url(Official, "changelist"), {"q": fold(official.full_name).upper()}))
    assert official.pk in found
    assert personas["outsider"].official.pk not in found


# Scope ------------------------------------------------------------------------------------


def test_commune_officer_sees_own_households_only(client, personas, household, foreign):
    login(client, personas["commune_admin"])
    response = client.get(url(Household, "changelist"))
    assert response.status_code == 200
    assert listed(response) == {household.pk}
    content = response.content.decode()
    assert household.head_name in content
    assert foreign[Household].head_name not in content


def test_commune_officer_cannot_reach_another_communes_household(client, personas, household, foreign):
    login(client, personas["commune_admin"])
    assert client.get(url(Household, "change", household.pk)).status_code == 200
    response = client.get(url(Household, "change", foreign[Household].pk))
    assert response.status_code in (302, 404)
    if response.status_code == 302:
        assert response.url == reverse("admin:index")
    followed = client.get(url(Household, "change", foreign[Household].pk), follow=True)
    assert foreign[Household].head_name not in followed.content.decode()
    assert client.get(url(Household, "history", foreign[Household].pk)).status_code in (302, 404)


@pytest.mark.parametrize(
    "model",
    [
        Commune,
        Village,
        Household,
        Member,
        Assessment,
        Department,
        Official,
        Plan,
        Responsibility,
        ExitRegistration,
        Assignment,
        SupportAction,
    ],
    ids=lambda model: model.__name__,
)
def test_commune_officer_lists_no_row_of_another_commune(client, personas, one_of_each, foreign, model):
    login(client, personas["commune_admin"])
    response = client.get(url(model, "changelist"))
    assert response.status_code == 200
    found = listed(response)
    assert found, "the officer's own commune has rows of every kind"
    assert foreign[model].pk not in found
    assert client.get(url(model, "change", foreign[model].pk)).status_code in (302, 404)


def test_commune_officer_household_form_offers_only_their_villages(client, personas, household, foreign):
    own_village = factories.VillageFactory(commune=household.commune, name="Bờ-Chư pâu")
    login(client, personas["commune_admin"])
    form = client.get(url(Household, "add")).context["adminform"].form
    assert set(form.fields["village"].queryset) == {household.village, own_village}
    assert set(form.fields["commune"].queryset) == {household.commune}
    assert form.initial["commune"] == household.commune.pk


def test_commune_officer_cannot_save_a_household_in_another_communes_village(
    client, personas, household, foreign
):
    login(client, personas["commune_admin"])
    data = household_post_data(commune=household.commune, village=foreign[Village], code="KLK-0099")
    response = client.post(url(Household, "add"), data)
    assert response.status_code == 200
    assert "village" in response.context["adminform"].form.errors
    assert not Household.objects.filter(code="KLK-0099").exists()


def test_commune_officer_choices_of_officials_and_plans_are_their_communes(
    client, personas, household, foreign
):
    login(client, personas["commune_admin"])
    form = client.get(url(Assignment, "add")).context["adminform"].form
    officials = set(form.fields["official"].queryset)
    assert personas["case_worker"].official in officials
    assert foreign[Official] not in officials
    assert set(form.fields["plan"].queryset) == {household.assignments.get().plan}
    assert set(form.fields["household"].queryset) == {household}


def test_commune_officer_cannot_add_a_poverty_standard(client, personas):
    login(client, personas["commune_admin"])
    assert client.get(url(PovertyStandard, "changelist")).status_code == 200
    assert client.get(url(PovertyStandard, "add")).status_code == 403
    standard = PovertyStandard.objects.get(code="2022-2025")
    response = client.post(url(PovertyStandard, "change", standard.pk), {"name": "Đổi tên"})
    assert response.status_code == 403
    assert client.get(url(Ethnicity, "add")).status_code == 403


@pytest.mark.parametrize("role", ["administrator", "commune_admin"])
@pytest.mark.parametrize("model", [Household, Assessment, SupportAction], ids=lambda model: model.__name__)
def test_nobody_deletes_households_assessments_or_support_actions(client, personas, one_of_each, role, model):
    login(client, personas[role])
    obj = model.objects.first()
    assert client.get(url(model, "delete", obj.pk)).status_code == 403
    assert client.post(url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    changelist = client.get(url(model, "changelist"))
    assert "delete_selected" not in changelist.context["cl"].model_admin.get_actions(changelist.wsgi_request)
    assert model.objects.filter(pk=obj.pk).exists()


# Writes -----------------------------------------------------------------------------------


def household_post_data(*, commune, village, code, head_name="Đinh Văn Hmar", members=()):
    data = {
        "commune": commune.pk,
        "village": village.pk,
        "code": code,
        "head_name": head_name,
        "address": "",
        "phone": "",
        "area": "rural",
        "notes": "",
        "archived_at_0": "",
        "archived_at_1": "",
        "archive_reason": "",
        "members-TOTAL_FORMS": str(len(members)),
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000",
    }
    for index, member in enumerate(members):
        data.update({f"members-{index}-{key}": value for key, value in member.items()})
    return data


def test_household_saved_in_the_admin_gets_search_key_names_in_nfc_and_authors(client, personas, household):
    officer, administrator = personas["commune_admin"], personas["administrator"]
    login(client, officer)
    member = {
        "number": "1",
        "full_name": unicodedata.normalize("NFD", "Siu Hờ Lan"),
        "sex": "female",
        "birth_year": "1990",
        "relation": "head",
        "health_insurance": "unknown",
    }
    data = household_post_data(
        commune=household.commune,
        village=household.village,
        code="KLK-0002",
        head_name=unicodedata.normalize("NFD", "Siu Hờ Lan"),
        members=[member],
    )
    response = client.post(url(Household, "add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    created = Household.objects.get(code="KLK-0002")
    assert created.head_name == "Siu Hờ Lan"  # stored in NFC
    assert created.search_key == "klk 0002 siu ho lan"
    assert (created.created_by, created.updated_by) == (officer, officer)
    saved_member = created.members.get()
    assert saved_member.full_name == "Siu Hờ Lan"
    assert saved_member.search_key == "siu ho lan"
    assert (saved_member.created_by, saved_member.updated_by) == (officer, officer)

    login(client, administrator)
    data = household_post_data(
        commune=household.commune, village=household.village, code="KLK-0002", head_name="Siu Blơi"
    )
    data.update({"members-INITIAL_FORMS": "0", "members-TOTAL_FORMS": "0"})
    response = client.post(url(Household, "change", created.pk), data)
    assert response.status_code == 302
    created.refresh_from_db()
    assert created.search_key == "klk 0002 siu bloi"
    assert (created.created_by, created.updated_by) == (officer, administrator)


def test_a_decomposed_household_code_clashes_with_the_stored_one(client, personas, household):
    factories.HouseholdFactory(village=household.village, code="KLK-Ơ01")
    login(client, personas["commune_admin"])
    data = household_post_data(
        commune=household.commune, village=household.village, code=unicodedata.normalize("NFD", "KLK-Ơ01")
    )
    response = client.post(url(Household, "add"), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert Household.objects.filter(code__startswith="KLK-").count() == 2


def test_village_saved_in_the_admin_gets_its_search_key(client, personas, commune):
    login(client, personas["administrator"])
    name = unicodedata.normalize("NFD", "Mơhra-Đáp")
    response = client.post(
        url(Village, "add"), {"commune": commune.pk, "kind": "village", "name": name, "code": ""}
    )
    assert response.status_code == 302
    village = Village.objects.get(commune=commune, name="Mơhra-Đáp")
    assert village.search_key == "mohra dap"


def assessment_post_data(household, *, year, income, deprivations, classification="", reason=""):
    return {
        "household": household.pk,
        "review_year": year,
        "kind": "periodic",
        "reviewed_on": "",
        "standard": "",
        "income_per_capita_month": income,
        "b1_score": "",
        "deprivations": [indicator.pk for indicator in deprivations],
        "classification": classification,
        "adjustment_reason": reason,
    }


def test_assessment_saved_in_the_admin_gets_the_rules_classification(client, personas, household):
    officer = personas["commune_admin"]
    login(client, officer)
    data = assessment_post_data(household, year=2023, income=1_200_000, deprivations=standard_indicators(3))
    response = client.post(url(Assessment, "add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assessment = Assessment.objects.get(household=household, review_year=2023)
    assert assessment.standard.code == "2022-2025"
    assert assessment.computed_classification == "poor"
    assert assessment.classification == "poor"
    assert assessment.deprivations.count() == 3
    assert (assessment.created_by, assessment.updated_by) == (officer, officer)

    # Editing the income recomputes it: above the rural line and under the ceiling.
    data = assessment_post_data(household, year=2023, income=2_000_000, deprivations=standard_indicators(3))
    assert client.post(url(Assessment, "change", assessment.pk), data).status_code == 302
    assessment.refresh_from_db()
    assert assessment.computed_classification == assessment.classification == "average_living"


def test_assessment_adjusted_without_a_reason_is_rejected(client, personas, household):
    login(client, personas["commune_admin"])
    data = assessment_post_data(
        household, year=2024, income=1_200_000, deprivations=standard_indicators(1), classification="poor"
    )
    response = client.post(url(Assessment, "add"), data)
    assert response.status_code == 200
    assert "adjustment_reason" in response.context["adminform"].form.errors
    assert not Assessment.objects.filter(household=household, review_year=2024).exists()

    data["adjustment_reason"] = "Họp thôn ngày 12/11: hộ mất mùa, thống nhất giữ hộ nghèo."
    response = client.post(url(Assessment, "add"), data)
    assert response.status_code == 302
    assessment = Assessment.objects.get(household=household, review_year=2024)
    assert (assessment.computed_classification, assessment.classification) == ("near_poor", "poor")
    assert assessment.is_adjusted


def test_assessment_rejects_a_year_no_standard_covers(client, personas, household):
    login(client, personas["administrator"])
    data = assessment_post_data(household, year=2019, income=1_200_000, deprivations=[])
    response = client.post(url(Assessment, "add"), data)
    assert response.status_code == 200
    assert "standard" in response.context["adminform"].form.errors


def test_changelists_show_computed_columns(client, personas, one_of_each, household):
    login(client, personas["administrator"])
    # The latest periodic review counts, not a later in-year one.
    factories.AssessmentFactory(household=household, review_year=2023, computed_classification="near_poor")
    factories.AssessmentFactory(
        household=household, review_year=2024, kind="regular", computed_classification="other"
    )
    rows = client.get(url(Household, "changelist")).context["cl"].result_list
    assert {row.pk: row.latest_classification for row in rows} == {household.pk: "near_poor"}
    assert listed(client.get(url(Household, "changelist"), {"latest": "near_poor"})) == {household.pk}
    assert listed(client.get(url(Household, "changelist"), {"latest": "poor"})) == set()
    registration = client.get(url(ExitRegistration, "changelist")).context["cl"].result_list[0]
    assert registration.current_official == personas["case_worker"].official.full_name


def test_assessment_changelist_counts_deprivations(client, personas, household):
    assessment = factories.AssessmentFactory(household=household)
    assessment.deprivations.set(standard_indicators(4))
    login(client, personas["administrator"])
    rows = client.get(url(Assessment, "changelist")).context["cl"].result_list
    assert [(row.pk, row.deprivation_count) for row in rows] == [(assessment.pk, 4)]


def test_household_autocomplete_is_scoped_and_folded(client, personas, searchable, foreign):
    login(client, personas["commune_admin"])
    params = {"app_label": "households", "model_name": "assessment", "field_name": "household"}
    response = client.get(reverse("admin:autocomplete"), {**params, "term": "MOHVEN"})
    assert response.status_code == 200
    found = {int(result["id"]) for result in response.json()["results"]}
    # The foreign household's head is also called Mơhven, but it lives in another commune.
    assert found == {searchable["village_match"].pk, searchable["head_match"].pk}


def test_exit_registrations_filter_by_official_through_assignments(client, personas, household, plan):
    other = factories.HouseholdFactory(village=household.village)
    factories.AssignmentFactory(household=other, plan=plan, official=personas["other_case_worker"].official)
    mine = factories.ExitRegistrationFactory(household=household, plan=plan)
    theirs = factories.ExitRegistrationFactory(household=other, plan=plan)
    login(client, personas["commune_admin"])
    changelist = url(ExitRegistration, "changelist")
    assert listed(client.get(changelist, {"official": personas["case_worker"].official.pk})) == {mine.pk}
    assert listed(client.get(changelist, {"official": personas["other_case_worker"].official.pk})) == {
        theirs.pk
    }


def test_archived_filter(client, personas, household):
    archived = factories.HouseholdFactory(
        village=household.village, archived_at=timezone.now(), archive_reason="Chuyển đi nơi khác"
    )
    login(client, personas["commune_admin"])
    changelist = url(Household, "changelist")
    assert listed(client.get(changelist, {"archived": "yes"})) == {archived.pk}
    assert listed(client.get(changelist, {"archived": "no"})) == {household.pk}
    assert listed(client.get(changelist)) == {household.pk, archived.pk}


def test_village_filter_offers_only_the_officers_villages(client, personas, household, foreign):
    login(client, personas["commune_admin"])
    response = client.get(url(Household, "changelist"))
    village_filter = next(
        spec for spec in response.context["cl"].filter_specs if spec.parameter_name == "village"
    )
    assert [label for _value, label in village_filter.lookup_choices] == ["Mơhven-Ôr"]


# Query budget -----------------------------------------------------------------------------


def populate(household, plan, official):
    factories.MemberFactory(household=household)
    factories.AssessmentFactory(household=household)
    factories.ExitRegistrationFactory(household=household, plan=plan)
    factories.SupportActionFactory(household=household, plan=plan, official=official)
    if not household.assignments.exists():
        factories.AssignmentFactory(household=household, plan=plan, official=official)


@pytest.mark.parametrize(
    "model",
    [Household, Member, Assessment, ExitRegistration, Assignment, SupportAction],
    ids=lambda m: m.__name__,
)
def test_changelist_query_count_does_not_grow_with_rows(client, personas, household, plan, model):
    official = personas["case_worker"].official
    populate(household, plan, official)
    login(client, personas["commune_admin"])
    page = url(model, "changelist")
    client.get(page)  # warm caches (content types, permissions)

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page).status_code == 200
        return len(queries)

    with_one = count_queries()
    for _ in range(29):
        populate(factories.HouseholdFactory(village=household.village), plan, official)
    assert model.objects.count() >= 30
    assert count_queries() == with_one
