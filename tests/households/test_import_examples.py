"""The templates' example rows: left in a file, as people leave them, they are skipped with a note
and change nothing, in every one of the five lists.

The registry here holds what each list's example row used to match or add to: household KLK-0001 (the
code the examples once carried), its head member, this year's plan and the commune's officials.
Messages are asserted in Vietnamese, as the officer reads them.
"""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from assignments.models import Assignment
from households import services
from households.imports import engine, workbooks
from households.models import Assessment, Household, ImportJob, Member, PovertyCause
from plans.models import ExitRegistration
from tests import factories
from tests.households.test_import_jobs import households_xlsx, new_row

KINDS = list(engine.IMPORTERS)
SKIPPED = "Dòng 2 là dòng ví dụ của mẫu: đã bỏ qua."


@pytest.fixture
def registry(village, commune_admin):
    household = factories.HouseholdFactory(
        village=village, code="KLK-0001", head_name="Đinh Văn Hliêu", address="Làng Mơhven"
    )
    household.causes.add(PovertyCause.objects.filter(active=True).order_by("-order").first())
    factories.MemberFactory(household=household, number=1, full_name="Đinh Văn Hliêu", relation="head")
    factories.PlanFactory(commune=village.commune, year=timezone.localdate().year)
    return household


def database() -> dict:
    """Every row the five lists write, with its every field."""
    lists = (Household, Member, Assessment, ExitRegistration, Assignment)
    state = {model.__name__: list(model.objects.order_by("pk").values()) for model in lists}
    state["causes"] = list(Household.causes.through.objects.order_by("pk").values())
    state["needs"] = list(Household.needs.through.objects.order_by("pk").values())
    return state


def template(kind, commune, user) -> bytes:
    return workbooks.template_workbook(engine.importer_for(kind, commune=commune, user=user))


@pytest.mark.parametrize("kind", KINDS)
def test_a_template_imported_as_it_is_changes_nothing_and_says_the_example_was_skipped(
    kind, registry, commune_admin
):
    commune = registry.commune
    before = database()

    result = engine.apply(
        kind=kind,
        commune=commune,
        user=commune_admin,
        file_bytes=template(kind, commune, commune_admin),
        filename="mau.xlsx",
    )

    assert database() == before
    assert (result.total, result.new, result.updated, result.invalid) == (1, 0, 0, 0)
    assert result.examples == [2]
    assert result.summary()["notes"] == [SKIPPED]


@pytest.mark.parametrize("kind", KINDS)
def test_no_templates_example_carries_a_real_households_code(kind, registry, commune_admin):
    importer = engine.importer_for(kind, commune=registry.commune, user=commune_admin)
    sheet = load_workbook(io.BytesIO(workbooks.template_workbook(importer))).worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    code = sheet.cell(row=2, column=headers.index("Mã hộ") + 1)

    assert code.value == "VÍ DỤ"
    assert not Household.objects.filter(code__iexact=code.value).exists()
    assert code.comment is not None and "bỏ qua" in code.comment.text
    assert all(cell.font.i for cell in sheet[2] if cell.value is not None)  # the row looks different


def test_the_template_through_the_page_previews_the_skipped_example_and_imports_nothing(
    client, registry, commune_admin
):
    client.force_login(commune_admin)
    content = client.get(reverse("households:import_template", kwargs={"kind": "households"})).content
    before = database()
    upload = io.BytesIO(content)
    upload.name = "mau-nhap-ho.xlsx"

    html = client.post(
        reverse("households:imports"), {"kind": "households", "file": upload}, follow=True
    ).content.decode()

    assert SKIPPED in html
    assert "Không có gì để nhập: tệp chỉ có dòng ví dụ của mẫu." in html
    assert 'id="import-confirm"' not in html and 'id="import-confirm-valid"' not in html
    job = ImportJob.objects.get()
    client.post(reverse("households:import_confirm", args=[job.pk]))
    assert database() == before


def test_an_example_row_anywhere_in_a_file_is_skipped_and_the_real_rows_imported(
    registry, commune_admin, village
):
    commune = registry.commune
    with translation.override("en"):
        content = households_xlsx(
            commune,
            commune_admin,
            [
                new_row("KLK-0101", village),
                new_row("ví dụ 2", village, head_name="Đinh Văn Hyưk"),  # a copy of the example, renumbered
                new_row("EXAMPLE", village),  # a template made in English
                new_row("KLK-0102", village),
            ],
        )

    result = engine.apply(
        kind="households", commune=commune, user=commune_admin, file_bytes=content, filename="ho.xlsx"
    )

    assert result.examples == [3, 4]
    assert result.summary()["notes"] == [
        "Dòng 3 là dòng ví dụ của mẫu: đã bỏ qua.",
        "Dòng 4 là dòng ví dụ của mẫu: đã bỏ qua.",
    ]
    assert (result.new, result.invalid) == (2, 0)
    assert set(Household.objects.values_list("code", flat=True)) == {"KLK-0001", "KLK-0101", "KLK-0102"}


def test_no_household_may_take_the_example_code(village):
    with pytest.raises(ValidationError) as raised:
        services.household_create(village=village, commune=village.commune, code="Ví dụ 1", head_name="A")
    assert "mã của dòng ví dụ" in str(raised.value)
    assert not Household.objects.exists()
