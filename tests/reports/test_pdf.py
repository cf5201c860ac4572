"""PDF reports (reports.builders.pdf): official format, exact Vietnamese text, fonts, pages.

Most tests build `Report` objects by hand (fixtures of realistic size) so they need no selector;
the tests at the end build every report of the demo commune through reports.selectors.build_report.
The PDFs are read back with pypdf and poppler (pdftotext, pdffonts), as an official's viewer would.
"""

import datetime
import io
import re
import shutil
import subprocess
import tempfile
import unicodedata
from decimal import Decimal
from types import SimpleNamespace

import pypdf
import pytest
from django.utils.translation import gettext
from weasyprint import HTML

from demo import data as demo_data
from households.models import Commune
from reports.builders import pdf
from reports.builders.pdf import (
    STATIC_DIR,
    StaticOnlyFetcher,
    build_pdf,
    format_cell,
    generation_date,
    issuer_lines,
    official_date,
)
from reports.data import Bar, Chart, Column, Report, Row, Table
from reports.selectors import REPORT_SLUGS, build_report

HEADER_LINES = [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "ỦY BAN NHÂN DÂN",
    "XÃ KÔNG LƠNG KHƠNG",
]
GENERATED_AT = datetime.datetime(2026, 11, 28, 3, 30, tzinfo=datetime.UTC)  # 10:30 in Viet Nam
MM = 72 / 25.4  # PDF points per millimetre
A4_SHORT, A4_LONG = 210 * MM, 297 * MM

# --- reading PDFs back -----------------------------------------------------------------------


def run(tool: str, data: bytes, *args: str) -> str:
    """Runs a poppler tool on the PDF (written to a temporary file) and returns its output."""
    executable = shutil.which(tool)
    assert executable, f"{tool} (poppler-utils) is needed to check the PDFs"
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(data)
        file.flush()
        command = [executable, *args, file.name] + (["-"] if tool == "pdftotext" else [])
        return subprocess.run(command, capture_output=True, check=True).stdout.decode("utf-8")


def pdftotext(data: bytes, *, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return run("pdftotext", data, "-enc", "UTF-8", *pages)


def pypdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def fonts(data: bytes) -> list[str]:
    """The font names pdffonts lists, without their subset prefix (ABCDEF+)."""
    lines = run("pdffonts", data).splitlines()[2:]
    return [line.split()[0].split("+", 1)[-1] for line in lines if line.strip()]


def words_with_boxes(data: bytes, page: int) -> list[tuple[float, float, float, float, str]]:
    """(xMin, yMin, xMax, yMax, word) of each word of a page, from pdftotext -bbox."""
    html = run("pdftotext", data, "-bbox", "-f", str(page), "-l", str(page))
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    return [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in re.findall(pattern, html)]


def first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def flat(text: str) -> str:
    """Text with its line breaks and runs of spaces made single spaces (wrapped lines joined)."""
    return " ".join(text.split())


def appears(phrase: str, text: str, *, window: int = 40) -> bool:
    """The phrase is in the text, or its words are, in order, within a few words of each other.

    A table cell that wraps is extracted line by line, with the next cells' text in between.
    """
    if flat(phrase) in flat(text):
        return True

    # A line may also break after a slash ("đ/" then "người/tháng"): a slash ends a word here too.
    def words_of(value: str) -> list[str]:
        return [word for word in re.split(r"\s+|(?<=/)", value) if word]

    wanted, words = words_of(phrase), words_of(text)
    for start, word in enumerate(words):
        if word != wanted[0]:
            continue
        position, found = start, 1
        for candidate in range(start + 1, min(len(words), start + len(wanted) + window)):
            if found < len(wanted) and words[candidate] == wanted[found]:
                position, found = candidate, found + 1
        if found == len(wanted) and position - start < len(wanted) + window:
            return True
    return False


def assert_only_liberation_serif(data: bytes):
    """Every font is the shipped Liberation Serif, which WeasyPrint embeds under its @font-face name."""
    names = fonts(data)
    assert names, "the PDF embeds no font"
    assert all(name.startswith("Report-Serif") for name in names), names


# --- fixtures: reports built by hand ---------------------------------------------------------


@pytest.fixture
def unit():
    return Commune(name="Kông Lơng Khơng", kind=Commune.Kind.COMMUNE)  # unsaved: the PDF needs its name


VILLAGES = ["Bờ-Chư pâu", "Mơ Tôn", "Dơng", "Mơhra-Đáp", "Mơhven-Ôr", "Kon Brăp", "Tơ Lang"]

HOUSEHOLD_COLUMNS = [
    Column("no", "STT", "int", 5),
    Column("head", "Họ và tên chủ hộ", "text", 22),
    Column("village", "Thôn, làng", "text", 14),
    Column("classification", "Phân loại", "text", 10),
    Column("needs", "Nhu cầu hỗ trợ", "text", 26),
    Column("value", "Giá trị hỗ trợ", "vnd", 13),
    Column("rate", "Tỷ lệ", "percent", 8),
    Column("visited", "Lần thăm cuối", "date", 11),
]


def household_table(count: int, *, needs=None) -> Table:
    rows = []
    for index in range(count):
        if index % 20 == 0:
            rows.append(Row({"no": f"Làng {VILLAGES[index // 20 % len(VILLAGES)]}"}, style="group"))
        rows.append(
            Row(
                {
                    "no": index + 1,
                    "head": f"Đinh Văn Hmar {index + 1}",
                    "village": VILLAGES[index // 20 % len(VILLAGES)],
                    "classification": "Hộ nghèo",
                    "needs": needs(index) if needs else "Bò giống",
                    "value": 1_350_000,
                    "rate": Decimal("20.86"),
                    "visited": datetime.date(2023, 2, 5),
                }
            )
        )
    return Table(
        title="Danh sách hộ đăng ký thoát nghèo",
        columns=HOUSEHOLD_COLUMNS,
        rows=rows,
        totals=Row({"head": "Tổng cộng", "value": 1_350_000 * count, "rate": Decimal("20.86")}),
        note="Giá trị hỗ trợ tính bằng đồng.",
    )


def table_report(commune, table: Table, *, landscape=True, title="Danh sách hộ đăng ký thoát nghèo năm 2023"):
    return Report(
        slug="exit-households",
        title=title,
        commune=commune,
        plan_year=2023,
        review_year=2022,
        generated_at=GENERATED_AT,
        landscape=landscape,
        summary=[("Số hộ dân cư", "1.160"), ("Tỷ lệ hộ nghèo", "20,86%")],
        tables=[table],
        charts=[
            Chart(
                "Tỷ lệ hộ nghèo theo thôn, làng",
                [
                    Bar(name, Decimal("20") + index, highlight=index < 2)
                    for index, name in enumerate(VILLAGES)
                ],
            )
        ],
    )


def plan_report(commune) -> Report:
    """The 2023 plan with the demo's texts, shaped like reports.selectors.plan.PlanDocument."""
    spec = demo_data.PLAN
    plan = SimpleNamespace(
        number=spec["number"],
        place=spec["place"],
        issued_on=spec["issued_on"],
        year=2023,
        title=spec["title"],
    )
    village_rows = [
        Row({"no": 1, "village": "Bờ-Chư pâu", "households": 146, "poor": 42, "poor_rate": Decimal("28.77")}),
        Row({"no": 2, "village": "Mơ Tôn", "households": 92, "poor": 33, "poor_rate": Decimal("35.87")}),
    ]
    village_table = Table(
        title="Hộ nghèo theo thôn, làng",
        columns=[
            Column("no", "STT", "int", 5),
            Column("village", "Thôn, làng", "text", 18),
            Column("households", "Số hộ", "int", 10),
            Column("poor", "Hộ nghèo", "int", 10),
            Column("poor_rate", "Tỷ lệ hộ nghèo", "percent", 9),
        ],
        rows=village_rows,
        totals=Row({"village": "Toàn xã", "households": 1160, "poor": 242, "poor_rate": Decimal("20.86")}),
    )
    document = SimpleNamespace(
        plan=plan,
        review_year=2022,
        document_type="KẾ HOẠCH",
        subject=spec["subject"],
        legal_bases=spec["legal_bases"],
        introduction=spec["introduction"],
        headings={
            "I": "I. MỤC ĐÍCH, YÊU CẦU",
            "I.1": "1. Mục đích",
            "I.2": "2. Yêu cầu",
            "II": "II. ĐỐI TƯỢNG, THỰC TRẠNG",
            "II.1": "1. Đối tượng",
            "II.2": "2. Thực trạng hộ nghèo của xã",
            "III": "III. CÁC HÌNH THỨC PHỤ TRÁCH GIÚP ĐỠ",
            "IV": "IV. THỜI GIAN THỰC HIỆN",
            "V": "V. TỔ CHỨC THỰC HIỆN",
            "recipients": "Nơi nhận:",
        },
        purposes=spec["purposes"],
        requirements=spec["requirements"],
        target_line=(
            "Tổng số hộ đăng ký thoát nghèo năm 2023 là 51 hộ. "
            "(Có danh sách các hộ đăng ký thoát nghèo kèm theo)"
        ),
        situation_lines=[
            "Kết quả rà soát hộ nghèo, hộ cận nghèo năm 2022 (chuẩn nghèo đa chiều giai đoạn "
            "2022-2025), toàn xã có 242 hộ, chiếm 20,86% tổng số hộ dân cư trên địa bàn; "
            "số hộ nghèo DTTS 233 hộ, chiếm tỷ lệ "
            "25,49% tổng số hộ DTTS của xã.",
            "Hộ nghèo tập trung chủ yếu ở các làng đặc biệt khó khăn như: Bờ-Chư pâu: 42 hộ "
            "(28,77%); Mơ Tôn 33 hộ (35,87%).",
        ],
        village_table=village_table,
        support_forms=spec["support_forms"],
        time_frame=spec["time_frame"],
        responsibilities=[
            SimpleNamespace(number=number, heading=block["heading"], tasks=block["tasks"])
            for number, block in enumerate(demo_data.DEPARTMENTS, start=1)
        ],
        assignment_note="(Có danh sách cán bộ, công chức phụ trách các hộ cụ thể kèm theo)",
        closing=spec["closing"],
        recipients=spec["recipients"],
        signer_authority=spec["signer_authority"],
        signer_title=spec["signer_title"],
        signer_name=spec["signer_name"],
    )
    return Report(
        slug="plan",
        title=spec["title"],
        commune=commune,
        plan_year=2023,
        review_year=2022,
        generated_at=GENERATED_AT,
        document=document,
    )


@pytest.fixture
def plan_pdf(unit) -> bytes:
    return build_pdf(plan_report(unit))


@pytest.fixture
def table_pdf(unit) -> bytes:
    return build_pdf(table_report(unit, household_table(51)))


LONG_TABLE_ROWS = 150


@pytest.fixture(scope="module")
def long_table_pdf() -> bytes:
    """150 households; each row's needs wrap over several lines, between the markers ‹n and n›."""
    commune = Commune(name="Kông Lơng Khơng", kind=Commune.Kind.COMMUNE)
    needs = "Bò giống, chuồng trại, phân bón và cây giống " * 4
    table = household_table(LONG_TABLE_ROWS, needs=lambda i: f"‹{i + 1} {needs}{i + 1}›")
    return build_pdf(table_report(commune, table))


# --- small helpers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2023, 2, 20), "Kông Lơng Khơng, ngày 20 tháng 02 năm 2023"),
        (datetime.date(2023, 2, 5), "Kông Lơng Khơng, ngày 05 tháng 02 năm 2023"),
        (datetime.date(2023, 1, 1), "Kông Lơng Khơng, ngày 01 tháng 01 năm 2023"),
        (datetime.date(2023, 3, 9), "Kông Lơng Khơng, ngày 09 tháng 3 năm 2023"),
        (datetime.date(2023, 10, 10), "Kông Lơng Khơng, ngày 10 tháng 10 năm 2023"),
        (datetime.date(2023, 12, 31), "Kông Lơng Khơng, ngày 31 tháng 12 năm 2023"),
    ],
)
def test_official_date_follows_decree_30(day, expected):
    assert official_date("Kông Lơng Khơng", day) == expected


def test_official_date_without_a_date_leaves_room_to_write_it():
    assert re.fullmatch(
        r"Kông Lơng Khơng, ngày\s+tháng\s+năm 2023", official_date("Kông Lơng Khơng", None, year=2023)
    )


def test_official_date_without_a_place_starts_with_a_capital():
    assert official_date("", datetime.date(2023, 2, 20)) == "Ngày 20 tháng 02 năm 2023"


def test_issuer_lines_upper_case_the_vietnamese_name():
    assert issuer_lines(Commune(name="Kông Lơng Khơng")) == ("ỦY BAN NHÂN DÂN", "XÃ KÔNG LƠNG KHƠNG")
    assert issuer_lines(Commune(name="Đăk Đoa", kind=Commune.Kind.WARD))[1] == "PHƯỜNG ĐĂK ĐOA"
    assert issuer_lines(Commune(name="Kbang", kind=Commune.Kind.TOWNSHIP))[1] == "THỊ TRẤN KBANG"


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        (1_350_000, "vnd", "1.350.000 đ"),
        (1160, "int", "1.160"),
        (Decimal("20.86"), "percent", "20,86%"),
        (Decimal("1.50"), "decimal", "1,5"),
        (datetime.date(2023, 2, 5), "date", "05/02/2023"),
        (None, "int", ""),
        ("Đinh Văn Hmar", "text", "Đinh Văn Hmar"),
        ("—", "vnd", "—"),
    ],
)
def test_cells_are_written_the_vietnamese_way(value, kind, expected):
    assert format_cell(value, kind) == expected


def test_the_generation_date_is_the_day_in_viet_nam():
    assert generation_date(datetime.datetime(2026, 11, 28, 18, 30, tzinfo=datetime.UTC)) == datetime.date(
        2026, 11, 29
    )
    assert generation_date(datetime.datetime(2026, 11, 28, 9, 0)) == datetime.date(2026, 11, 28)


def test_the_fetcher_refuses_the_network_and_files_outside_static():
    fetcher = StaticOnlyFetcher()
    with pytest.raises(ValueError):
        fetcher.fetch("http://example.com/logo.png")
    with pytest.raises(ValueError):
        fetcher.fetch("https://example.com/style.css")
    with pytest.raises(ValueError):
        fetcher.fetch("file:///etc/passwd")
    with pytest.raises(ValueError):
        fetcher.fetch((STATIC_DIR / ".." / "povertyplan" / "settings.py").as_uri())
    response = fetcher.fetch((STATIC_DIR / "reports" / "pdf.css").as_uri())
    try:
        assert b"Liberation Serif" in response.read()
    finally:
        response.close()


# --- table reports ---------------------------------------------------------------------------


def test_a_table_report_opens_and_has_the_official_header(table_pdf):
    text = pdftotext(table_pdf, page=1)
    for line in HEADER_LINES:
        assert line in text
    assert "DANH SÁCH HỘ ĐĂNG KÝ THOÁT NGHÈO NĂM 2023" in text  # the title, in capitals
    assert "TM. ỦY BAN NHÂN DÂN XÃ" in pdftotext(table_pdf)


def test_numbers_are_written_the_vietnamese_way(table_pdf):
    text = pdftotext(table_pdf)
    assert "20,86%" in text
    assert "1.160" in text
    assert "1.350.000 đ" in text
    assert "05/02/2023" in text
    assert format_cell(1_350_000 * 51, "vnd") in text  # the totals row


def test_a_landscape_report_has_landscape_pages(table_pdf):
    for page in pypdf.PdfReader(io.BytesIO(table_pdf)).pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert width > height
        assert (width, height) == pytest.approx((A4_LONG, A4_SHORT), abs=1)


def test_a_portrait_report_has_portrait_pages(unit):
    data = build_pdf(table_report(unit, household_table(5), landscape=False))
    page = pypdf.PdfReader(io.BytesIO(data)).pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
        (A4_SHORT, A4_LONG), abs=1
    )


def test_every_page_has_its_number_and_the_generation_date(table_pdf):
    pages = pypdf_pages(table_pdf)
    assert len(pages) > 1
    generated = gettext("Generated on: %(date)s") % {"date": "28/11/2026"}
    for number, text in enumerate(pages, start=1):
        label = gettext("Page %(number)s of %(total)s") % {"number": number, "total": len(pages)}
        assert flat(label) in flat(text)
        assert flat(generated) in flat(text)


def test_a_long_table_runs_over_pages_and_repeats_its_header(long_table_pdf):
    pages = pypdf_pages(long_table_pdf)
    assert len(pages) > 5
    for text in pages[1:4]:
        assert "Họ và tên chủ hộ" in text
        assert "Lần thăm cuối" in text
    # The header comes before the rows on the page.
    page_two = pdftotext(long_table_pdf, page=2)
    first_row = re.search(r"Đinh Văn Hmar (\d+)", page_two)
    assert page_two.index("Họ và tên chủ hộ") < first_row.start()
    assert int(first_row.group(1)) > 1


def test_rows_are_not_split_across_pages(long_table_pdf):
    pages = [flat(text) for text in pypdf_pages(long_table_pdf)]
    for number in range(1, LONG_TABLE_ROWS + 1):
        starts = [index for index, text in enumerate(pages) if f"‹{number} " in text]
        ends = [index for index, text in enumerate(pages) if f" {number}›" in text]
        assert starts == ends and len(starts) == 1, number


def test_group_subtotal_and_totals_rows_are_written(long_table_pdf):
    text = flat(pdftotext(long_table_pdf))
    assert "Làng Bờ-Chư pâu" in text and "Làng Mơ Tôn" in text
    assert text.rindex("Tổng cộng") > text.rindex(f"Đinh Văn Hmar {LONG_TABLE_ROWS}")
    assert "Giá trị hỗ trợ tính bằng đồng." in text


def test_the_chart_is_drawn_with_its_vietnamese_figures(table_pdf):
    text = pdftotext(table_pdf)
    assert "Tỷ lệ hộ nghèo theo thôn, làng" in text
    assert "26,00%" in text  # Tơ Lang, the seventh bar: 20 + 6


def test_only_liberation_serif_is_embedded(table_pdf, plan_pdf):
    assert_only_liberation_serif(table_pdf)
    assert_only_liberation_serif(plan_pdf)


def test_the_machine_fonts_are_out_of_reach_so_the_shipped_face_is_what_these_tests_check():
    """tests/fontconfig.py hides the system's fonts but DejaVu: a page asking for Liberation Serif
    without the shipped face falls back, so the tests above pass only thanks to static/reports/fonts."""
    html = "<p style=\"font-family: 'Liberation Serif'\">Hộ nghèo thoát nghèo</p>"
    data = HTML(string=html).write_pdf()
    assert not any(name.startswith("LiberationSerif") for name in fonts(data)), fonts(data)


def test_vietnamese_text_comes_back_exactly_even_when_written_decomposed(unit):
    decomposed = unicodedata.normalize("NFD", "Hộ Rơ Mah Hyơk ở Mơhven-Ôr")
    table = household_table(2)
    table.rows[1].values["head"] = decomposed
    data = build_pdf(table_report(unit, table))
    expected = unicodedata.normalize("NFC", decomposed)
    assert expected in pdftotext(data)
    assert expected in flat("\n".join(pypdf_pages(data)))


def test_markup_in_the_data_is_printed_as_text(unit):
    table = household_table(2)
    table.rows[1].values["head"] = '<b>Đinh</b> & <img src="x.png">'
    text = pdftotext(build_pdf(table_report(unit, table)))
    assert appears('<b>Đinh</b> & <img src="x.png">', text)


# --- the plan --------------------------------------------------------------------------------


def test_the_plan_is_a_portrait_a4_document(plan_pdf):
    reader = pypdf.PdfReader(io.BytesIO(plan_pdf))
    assert len(reader.pages) > 1
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
            (A4_SHORT, A4_LONG), abs=1
        )


def test_the_plan_has_the_official_header_and_title(plan_pdf):
    text = pdftotext(plan_pdf, page=1)
    for line in HEADER_LINES:
        assert line in text
    assert "Số: 18/KH-UBND" in text
    assert "Kông Lơng Khơng, ngày 20 tháng 02 năm 2023" in text
    assert "KẾ HOẠCH" in text
    assert "Phụ trách, giúp đỡ các hộ thoát nghèo trên địa bàn xã năm 2023" in text


def test_the_plan_has_its_sections_figures_signature_and_recipients(plan_pdf):
    text = flat(pdftotext(plan_pdf))
    for heading in ("I. MỤC ĐÍCH, YÊU CẦU", "II. ĐỐI TƯỢNG, THỰC TRẠNG", "V. TỔ CHỨC THỰC HIỆN"):
        assert heading in text
    assert "là 51 hộ" in text
    assert "242 hộ, chiếm 20,86% tổng số hộ" in text
    assert "25,49%" in text
    assert "Mơ Tôn 33 hộ (35,87%)" in text
    assert "11. Các thôn, làng" in text
    # A list of several items takes dashes; a single task stands alone, as in the plan.
    assert "- Tập trung huy động nguồn lực" in text
    assert "- Tham mưu UBND xã và các ngành" not in text
    for line in ("TM. ỦY BAN NHÂN DÂN XÃ", "CHỦ TỊCH", "Trần Văn Nhơn", "Nơi nhận:"):
        assert line in text
    assert "- Phòng Lao động -TBXH (b/c);" in text
    assert text.rindex("- Lưu: VT, VX.") > text.rindex("Nơi nhận:")


def test_the_plan_numbers_its_pages_at_the_top_from_page_two(plan_pdf):
    pages = len(pypdf.PdfReader(io.BytesIO(plan_pdf)).pages)
    assert pages >= 3
    assert first_line(pdftotext(plan_pdf, page=1)) == "ỦY BAN NHÂN DÂN"
    for number in range(2, pages + 1):
        assert first_line(pdftotext(plan_pdf, page=number)) == str(number)
        top = min(words_with_boxes(plan_pdf, number), key=lambda word: word[1])
        assert top[4] == str(number)
        assert top[1] < 20 * MM  # in the top margin
        assert (top[0] + top[2]) / 2 == pytest.approx((30 * MM + A4_SHORT - 15 * MM) / 2, abs=6)  # centred


def test_the_plan_keeps_the_official_margins(plan_pdf):
    """Left 30 mm, right 15 mm (Decree 30: 30–35 and 15–20), top 20 mm."""
    for number in (1, 2):
        words = words_with_boxes(plan_pdf, number)
        body = [word for word in words if 20 * MM <= word[1] <= A4_LONG - 20 * MM]
        assert min(word[0] for word in body) >= 30 * MM - 1
        assert max(word[2] for word in body) <= A4_SHORT - 15 * MM + 1
        assert max(word[2] for word in body) >= A4_SHORT - 16 * MM  # justified to the right margin
    assert min(word[1] for word in words_with_boxes(plan_pdf, 1)) >= 20 * MM - 1


def test_the_plan_shows_the_generation_date(plan_pdf):
    generated = gettext("Generated on: %(date)s") % {"date": "28/11/2026"}
    assert flat(generated) in flat(pdftotext(plan_pdf, page=1))


def test_the_plan_template_is_chosen_by_slug(unit):
    plan_html = pdf.render_html(plan_report(unit))
    table_html = pdf.render_html(table_report(unit, household_table(1)))
    assert 'class="document"' in plan_html and 'class="document"' not in table_html
    assert unicodedata.is_normalized("NFC", plan_html)


# --- the demo commune's real reports ---------------------------------------------------------


def needs_selectors(test):
    """Marked django_db so that pytest-django runs it with the database tests, before the
    transactional ones that empty the database (role groups included)."""
    return pytest.mark.django_db(test)


@pytest.fixture(scope="module")
def demo_commune(django_db_setup, django_db_blocker):
    from django.core.management import call_command
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", "--quiet")
        yield Commune.objects.get(code=demo_data.COMMUNE["code"], valid_until__isnull=True)
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def demo_pdfs(demo_commune, django_db_blocker):
    with django_db_blocker.unblock():
        return {
            slug: (report, build_pdf(report))
            for slug in REPORT_SLUGS
            for report in [build_report(slug, commune=demo_commune, plan_year=2023)]
        }


@needs_selectors
def test_every_demo_report_opens_with_only_liberation_serif(demo_pdfs):
    assert set(demo_pdfs) == set(REPORT_SLUGS)
    for slug, (report, data) in demo_pdfs.items():
        reader = pypdf.PdfReader(io.BytesIO(data))
        assert len(reader.pages) >= 1, slug
        page = reader.pages[0]
        assert (float(page.mediabox.width) > float(page.mediabox.height)) == report.landscape, slug
        assert_only_liberation_serif(data)
        text = pdftotext(data, page=1)
        for line in HEADER_LINES:
            assert line in text, (slug, line)


@needs_selectors
def test_the_demo_tables_print_every_row(demo_pdfs):
    for slug, (report, data) in demo_pdfs.items():
        text = flat(pdftotext(data))
        for table in report.tables:
            for row in table.rows:
                for column in table.columns:
                    written = format_cell(row.values.get(column.key), column.kind)
                    if row.style != "group" and written:
                        assert appears(written, text), (slug, column.key, written)


@needs_selectors
def test_the_demo_plan_prints_the_published_figures(demo_pdfs):
    report, data = demo_pdfs["plan"]
    text = flat(pdftotext(data))
    for figure in ("242", "20,86%", "233", "25,49%", "51"):
        assert figure in text
    for village, figures in {
        "Bờ-Chư pâu": "42",
        "Mơ Tôn": "33",
        "Dơng": "12",
        "Mơhra-Đáp": "58",
        "Mơhven-Ôr": "39",
    }.items():
        assert village in text and figures in text
    for rate in ("28,77%", "35,87%", "27,27%", "27,75%", "28,68%"):
        assert rate in text
    document = report.document
    assert flat(document.headings["recipients"]) in text
    assert "Số: 18/KH-UBND" in text
    assert "Kông Lơng Khơng, ngày 20 tháng 02 năm 2023" in text
    assert "TM. ỦY BAN NHÂN DÂN XÃ" in text and "Trần Văn Nhơn" in text
    assert "- Lưu: VT, VX." in text
    assert first_line(pdftotext(data, page=2)) == "2"


@needs_selectors
def test_the_demo_plan_reads_in_vietnamese(demo_pdfs):
    text = flat(pdftotext(demo_pdfs["plan"][1]))
    for line in ("KẾ HOẠCH", "Nơi nhận:", "CHỦ TỊCH", "I. MỤC ĐÍCH, YÊU CẦU", "V. TỔ CHỨC THỰC HIỆN"):
        assert line in text
