"""django-import-export in the admin: scoped Vietnamese exports, the import button, and
HouseholdResource as a row-by-row import by the library itself."""

import csv
import datetime
import io

import openpyxl
import pytest
import tablib
from django.urls import reverse
from django.utils import translation

from assignments.models import Assignment, SupportAction
from households.models import Assessment, ExportRecord, Household, Member, PovertyCause, SupportNeed
from households.resources import HouseholdResource
from plans.models import ExitRegistration
from povertyplan.admin_exports import IMPORT_PAGE
from tests import factories

pytestmark = pytest.mark.django_db

FORMATS = {"xlsx": "0", "csv": "1"}  # the export form's choices, in IMPORT_EXPORT_FORMATS order
PRIVATE_ID = "079123456789"
LISTS = [Household, Member, Assessment, ExitRegistration, Assignment, SupportAction]


def login(client, user):
    """Sign in with the row as stored (the factories set the password after saving)."""
    client.force_login(type(user).objects.get(pk=user.pk))


def admin_url(model, view: str) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}")


def admin_export(client, model, fmt: str):
    return client.post(admin_url(model, "export"), {"resource": "0", "format": FORMATS[fmt]})


def read(response, fmt: str) -> list[list[str]]:
    """Header and rows of an exported file, every cell as text."""
    if fmt == "csv":
        assert response.content.startswith(b"\xef\xbb\xbf")  # a BOM: Excel reads the Vietnamese right
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    return [
        ["" if value is None else str(value) for value in row] for row in sheet.iter_rows(values_only=True)
    ]


def as_dicts(rows: list[list[str]]) -> list[dict]:
    header, *body = rows
    return [dict(zip(header, row, strict=True)) for row in body]


def staff(user):
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


@pytest.fixture
def every_list(household, case_worker):
    """A row of every list for the commune's household."""
    plan = household.assignments.get().plan
    factories.MemberFactory(household=household, number=1, full_name="Đinh Văn Hmar", national_id=PRIVATE_ID)
    factories.AssessmentFactory(household=household, review_year=2023)
    factories.ExitRegistrationFactory(household=household, plan=plan)
    factories.SupportActionFactory(household=household, official=case_worker.official, plan=plan)
    return household


@pytest.fixture
def elsewhere(outsider):
    """The same lists in the outsider's commune (another province)."""
    household = factories.HouseholdFactory(
        village__commune=outsider.official.commune, code="KHAC-0001", head_name="Người Xã Khác"
    )
    factories.MemberFactory(household=household, number=1)
    factories.AssessmentFactory(household=household, review_year=2023)
    assignment = factories.AssignmentFactory(household=household)
    factories.ExitRegistrationFactory(household=household, plan=assignment.plan)
    factories.SupportActionFactory(household=household, plan=assignment.plan)
    return household


# Exports -------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_commune_officer_exports_only_their_communes_households_with_vietnamese_headers(
    client, commune_admin, household, elsewhere, fmt
):
    Household.objects.filter(pk=household.pk).update(is_ethnic_minority=True, is_female_head=False)
    login(client, commune_admin)
    response = admin_export(client, Household, fmt)
    assert response.status_code == 200
    rows = read(response, fmt)
    assert rows[0][:4] == ["Xã", "Thôn, làng", "Mã hộ", "Chủ hộ"]
    exported = as_dicts(rows)
    assert [(row["Mã hộ"], row["Chủ hộ"]) for row in exported] == [("KLK-0001", "Đinh Văn Hmar")]
    assert exported[0]["Xã"] == "Kông Lơng Khơng"
    assert exported[0]["Thôn, làng"] == "Mơhven-Ôr"
    assert (exported[0]["Hộ dân tộc thiểu số"], exported[0]["Chủ hộ là nữ"]) == ("Có", "Không")
    assert exported[0]["Khu vực"] == "Nông thôn"


@pytest.mark.parametrize("model", LISTS, ids=lambda model: model.__name__)
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_admin_export_holds_the_commune_rows_and_no_other(
    client, commune_admin, every_list, elsewhere, model, fmt
):
    login(client, commune_admin)
    response = admin_export(client, model, fmt)
    assert response.status_code == 200
    exported = as_dicts(read(response, fmt))
    ours = model.objects.filter(
        **({"commune": every_list.commune} if model is Household else {"household": every_list})
    )
    assert len(exported) == ours.count() >= 1
    assert {row["Mã hộ"] for row in exported} == {"KLK-0001"}


def test_export_follows_the_changelist_filter(client, commune_admin, household, village):
    other_village = factories.VillageFactory(commune=household.commune, name="Dơng")
    factories.HouseholdFactory(village=other_village, code="KLK-0002")
    login(client, commune_admin)
    response = client.post(
        admin_url(Household, "export") + f"?village={other_village.pk}", {"resource": "0", "format": "1"}
    )
    assert [row["Mã hộ"] for row in as_dicts(read(response, "csv"))] == ["KLK-0002"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_member_cells_are_labels_names_and_dd_mm_yyyy_dates(client, commune_admin, household, fmt):
    factories.MemberFactory(
        household=household,
        number=2,
        full_name="Đinh Thị Blơi",
        birth_date=datetime.date(1981, 3, 16),
        birth_year=1981,
        sex=Member.Sex.FEMALE,
        relation=Member.Relation.SPOUSE,
    )
    login(client, commune_admin)
    (row,) = as_dicts(read(admin_export(client, Member, fmt), fmt))
    assert (row["Họ và tên"], row["Ngày sinh"], row["Năm sinh"]) == ("Đinh Thị Blơi", "16/03/1981", "1981")
    assert (row["Giới tính"], row["Quan hệ với chủ hộ"]) == ("nữ", "vợ/chồng")


@pytest.mark.parametrize("fmt", FORMATS)
def test_commune_officer_sees_national_ids_in_full(client, commune_admin, every_list, fmt):
    login(client, commune_admin)
    exported = as_dicts(read(admin_export(client, Member, fmt), fmt))
    assert [row["Số CCCD"] for row in exported] == [PRIVATE_ID]


@pytest.mark.parametrize("fmt", FORMATS)
def test_upper_office_gets_national_ids_masked(client, viewer, every_list, fmt):
    login(client, staff(viewer))
    response = admin_export(client, Member, fmt)
    assert response.status_code == 200
    exported = as_dicts(read(response, fmt))
    assert [row["Số CCCD"] for row in exported] == ["•••••••••789"]
    assert PRIVATE_ID.encode() not in response.content


def test_formula_looking_text_gets_a_quote_in_csv(client, commune_admin, village):
    factories.HouseholdFactory(
        village=village, code="KLK-0009", head_name='=HYPERLINK("http://x")', address="+1"
    )
    login(client, commune_admin)
    (row,) = as_dicts(read(admin_export(client, Household, "csv"), "csv"))
    assert row["Chủ hộ"] == '\'=HYPERLINK("http://x")'
    assert row["Địa chỉ"] == "'+1"


def test_formula_looking_text_is_a_string_in_xlsx(client, commune_admin, village):
    factories.HouseholdFactory(village=village, code="KLK-0009", head_name="=1+2", address="@SUM(A1)")
    login(client, commune_admin)
    response = admin_export(client, Household, "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    head, address = sheet.cell(2, header.index("Chủ hộ") + 1), sheet.cell(2, header.index("Địa chỉ") + 1)
    assert (head.data_type, head.value) == ("s", "'=1+2")
    assert (address.data_type, address.value) == ("s", "'@SUM(A1)")


def test_officials_may_not_export_in_the_admin(client, case_worker, household):
    """Officials follow their own households on their pages; whole lists are for the export roles."""
    login(client, staff(case_worker))
    assert client.get(admin_url(Household, "changelist")).status_code == 200
    assert client.post(admin_url(Household, "export"), {"resource": "0", "format": "1"}).status_code == 403
    assert "export_link" not in client.get(admin_url(Household, "changelist")).content.decode()


def test_export_page_offers_xlsx_and_csv_only(client, commune_admin, household):
    login(client, commune_admin)
    response = client.get(admin_url(Household, "export"))
    assert response.status_code == 200
    choices = [label for value, label in response.context["form"].fields["format"].choices if value]
    assert choices == ["xlsx", "csv"]


def test_export_link_on_the_changelist_for_the_commune_officer(client, commune_admin, household):
    login(client, commune_admin)
    content = client.get(admin_url(Household, "changelist")).content.decode()
    assert f'href="{admin_url(Household, "export")}' in content


# The import button -----------------------------------------------------------------------


def test_household_changelist_links_to_the_import_page(client, commune_admin, household):
    login(client, commune_admin)
    content = client.get(admin_url(Household, "changelist")).content.decode()
    assert f'href="{reverse(IMPORT_PAGE)}?kind=households"' in content


@pytest.mark.parametrize(
    "model, kind",
    [
        (Member, "members"),
        (Assessment, "assessments"),
        (ExitRegistration, "exit-registrations"),
        (Assignment, "assignments"),
    ],
)
def test_other_importable_changelists_link_to_their_kind(client, commune_admin, household, model, kind):
    login(client, commune_admin)
    content = client.get(admin_url(model, "changelist")).content.decode()
    assert f'href="{reverse(IMPORT_PAGE)}?kind={kind}"' in content


def test_no_import_button_without_the_import_permission(client, viewer, household):
    login(client, staff(viewer))
    response = client.get(admin_url(Household, "changelist"))
    assert response.status_code == 200
    assert "import_link" not in response.content.decode()


def test_no_import_button_on_support_actions(client, commune_admin, household):
    login(client, commune_admin)
    assert "import_link" not in client.get(admin_url(SupportAction, "changelist")).content.decode()


# HouseholdResource: the library's own row-by-row import ---------------------------------


def household_dataset(rows: list[dict]) -> tablib.Dataset:
    """A file with the export's headers (as the admin writes them), one row per dict."""
    headers = HouseholdResource().get_export_headers()
    dataset = tablib.Dataset(headers=headers)
    for values in rows:
        dataset.append([values.get(header, "") for header in headers])
    return dataset


def new_rows(village) -> list[dict]:
    return [
        {
            "Xã": village.commune.name,
            "Thôn, làng": "mohven-or",  # matched without case or diacritics
            "Mã hộ": "KLK-0101",
            "Chủ hộ": "Rơ Mah Blơi",
            "Địa chỉ": "Làng Mơhven-Ôr",
            "Hộ dân tộc thiểu số": "Có",
            "Khu vực": "Nông thôn",
            "Chủ hộ là nữ": "Không",
            "Nguyên nhân nghèo": "; ".join(PovertyCause.objects.values_list("name", flat=True)[:2]),
            "Nhu cầu hỗ trợ": SupportNeed.objects.values_list("name", flat=True).first(),
        },
        {"Thôn, làng": village.name, "Mã hộ": "KLK-0102", "Chủ hộ": "Đinh Thị Hyên", "Khu vực": "Nông thôn"},
    ]


def test_household_resource_imports_new_households_then_skips_them_unchanged(village):
    commune = village.commune
    dataset = household_dataset(new_rows(village))

    first = HouseholdResource(commune=commune).import_data(dataset, dry_run=False)
    assert not first.has_errors() and not first.has_validation_errors()
    assert (first.totals["new"], first.totals["skip"]) == (2, 0)
    blai = Household.objects.get(commune=commune, code="KLK-0101")
    assert (blai.village, blai.head_name, blai.is_ethnic_minority) == (village, "Rơ Mah Blơi", True)
    assert blai.search_key == "klk 0101 ro mah bloi lang mohven or"  # folded, as services write it
    assert blai.causes.count() == 2 and blai.needs.count() == 1
    assert Household.objects.get(code="KLK-0102").commune == commune  # empty commune cell: this commune

    second = HouseholdResource(commune=commune).import_data(dataset, dry_run=False)
    assert not second.has_errors() and not second.has_validation_errors()
    assert (second.totals["new"], second.totals["update"], second.totals["skip"]) == (0, 0, 2)


def test_household_resource_reimports_its_own_export_unchanged(household):
    household.causes.set(PovertyCause.objects.all()[:2])
    exported = HouseholdResource().export(Household.objects.filter(pk=household.pk))
    result = HouseholdResource(commune=household.commune).import_data(exported, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["skip"] == 1


def test_household_resource_dry_run_writes_nothing(village):
    result = HouseholdResource(commune=village.commune).import_data(
        household_dataset(new_rows(village)), dry_run=True
    )
    assert result.totals["new"] == 2
    assert not Household.objects.filter(code__in=["KLK-0101", "KLK-0102"]).exists()


def test_household_resource_refuses_a_file_of_another_commune(village, outsider):
    """A commune cell naming another commune is an error of the row's key: nothing is written."""
    rows = [
        {
            "Xã": outsider.official.commune.name,
            "Thôn, làng": village.name,
            "Mã hộ": "KLK-0201",
            "Chủ hộ": "A",
        },
        {"Thôn, làng": village.name, "Mã hộ": "KLK-0202", "Chủ hộ": "B", "Khu vực": "Nông thôn"},
    ]
    result = HouseholdResource(commune=village.commune).import_data(household_dataset(rows), dry_run=False)
    assert result.has_errors()
    ((number, errors),) = result.row_errors()
    assert number == 1
    assert outsider.official.commune.name in str(errors[0].error)
    assert not Household.objects.filter(code__in=["KLK-0201", "KLK-0202"]).exists()


def test_household_resource_reports_an_unknown_village_and_skips_the_row(village):
    rows = [{"Thôn, làng": "Làng Không Có", "Mã hộ": "KLK-0203", "Chủ hộ": "C", "Khu vực": "Nông thôn"}]
    result = HouseholdResource(commune=village.commune).import_data(household_dataset(rows), dry_run=False)
    (row,) = result.invalid_rows
    assert row.number == 1
    assert "Làng Không Có" in row.error.message_dict["village"][0]
    assert not Household.objects.filter(code="KLK-0203").exists()


def test_household_resource_imports_only_into_a_given_commune(village):
    """Village names are unique only within a commune: without one, the library imports nothing."""
    dataset = household_dataset(new_rows(village))
    with translation.override("en"):
        result = HouseholdResource().import_data(dataset, dry_run=False)
        assert result.has_errors()
        assert "Choose the commune" in str(result.base_errors[0].error)
    assert not Household.objects.filter(code__in=["KLK-0101", "KLK-0102"]).exists()


def test_lists_larger_than_the_admin_limit_are_sent_to_the_streamed_exports(
    client, settings, commune_admin, household, village
):
    factories.HouseholdFactory(village=village, code="KLK-0002")
    settings.ADMIN_EXPORT_MAX_ROWS = 1
    login(client, commune_admin)
    response = admin_export(client, Household, "xlsx")
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "Danh sách có 2 dòng, nhiều hơn số dòng trang quản trị xuất một lần (1)" in page.content.decode()
    assert not ExportRecord.objects.exists()
    settings.ADMIN_EXPORT_MAX_ROWS = 2
    assert admin_export(client, Household, "xlsx").status_code == 200
