"""PDF builder: a `Report` → HTML template → WeasyPrint → bytes, in the official document format.

`build_pdf(report)` renders `templates/reports/pdf/<slug>.html` when there is one (the plan), else
the generic table report. The format follows Decree 30/2020/NĐ-CP (docs/domain.md §7): A4, Liberation
Serif (Times New Roman metrics), the issuing body and the national motto at the top, page numbers,
the generation date on every report. Tables repeat their header on each page and never split a row.

No network: resources resolve against the project's `static/` folder and the URL fetcher refuses
anything else (no http, no file outside `static/`). The whole page is normalised to NFC on the
way in, so the text extracted from the PDF equals the text written.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from povertyplan.formatting import format_date, format_number, format_percent, format_quantity, format_vnd
from reports.charts import PRINT_FONT, bar_chart_svg
from reports.data import Column, Report, Row, Table

TEMPLATE_DIR = "reports/pdf"
STATIC_DIR = Path(settings.BASE_DIR) / "static"
TIME_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")

# The state's name, motto and the organ's name are fixed Vietnamese formulae of the official
# format (Decree 30/2020/NĐ-CP), not interface text: they are never translated.
STATE_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
PEOPLES_COMMITTEE = "ỦY BAN NHÂN DÂN"
CHAIRMAN = "CHỦ TỊCH"
UNIT_WORDS = {"commune": "xã", "ward": "phường", "township": "thị trấn", "special_zone": "đặc khu"}


# --- small helpers, tested on their own ------------------------------------------------------


def official_date(place: str, date: datetime.date | None, *, year: int | None = None) -> str:
    """The place-and-date line of an official document (Decree 30/2020/NĐ-CP).

    Days 1–9 and months 1–2 take a leading zero: ("Kông Lơng Khơng", 20/02/2023) →
    "Kông Lơng Khơng, ngày 20 tháng 02 năm 2023"; 05/03/2023 → "ngày 05 tháng 3 năm 2023".
    Without a date (a draft not yet signed) the day and month are left blank to fill in by hand.
    """
    if date is None:
        blank = "\u00a0" * 6
        text = f"ngày{blank}tháng{blank}năm {year or ''}".rstrip()
    else:
        month = f"{date.month:02d}" if date.month <= 2 else str(date.month)
        text = f"ngày {date.day:02d} tháng {month} năm {date.year}"
    place = (place or "").strip()
    return f"{place}, {text}" if place else text[:1].upper() + text[1:]


def _unit_word(commune) -> str:
    return UNIT_WORDS.get(getattr(commune, "kind", "commune"), "xã")


def issuer_lines(commune) -> tuple[str, str]:
    """("ỦY BAN NHÂN DÂN", "XÃ KÔNG LƠNG KHƠNG"): the issuing body, in capitals."""
    return PEOPLES_COMMITTEE, f"{_unit_word(commune)} {commune.name}".upper()


def signing_authority(commune) -> str:
    """ "TM. ỦY BAN NHÂN DÂN XÃ": signing on behalf of the commune's People's Committee."""
    return f"TM. {PEOPLES_COMMITTEE} {_unit_word(commune).upper()}"


def generation_date(moment: datetime.datetime | datetime.date) -> datetime.date:
    """The calendar day in Viet Nam of a report's generation time (naive times are taken as local)."""
    if isinstance(moment, datetime.datetime):
        if moment.tzinfo is not None:
            moment = moment.astimezone(TIME_ZONE)
        return moment.date()
    return moment


def format_cell(value: Any, kind: str) -> str:
    """A table value written the Vietnamese way for its column kind; None → ""."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return value
    if kind == "percent":
        return format_percent(value)
    if kind == "vnd":
        return format_vnd(value)
    if kind == "int":
        return format_number(value)
    if kind == "decimal":
        return format_quantity(value)
    if kind == "date" and isinstance(value, datetime.date):
        return format_date(value.date() if isinstance(value, datetime.datetime) else value)
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return format_quantity(value)
    return str(value)


def subtitle(report: Report) -> str:
    """ "Xã Kông Lơng Khơng – Năm kế hoạch 2023 · Rà soát năm 2022" under a report's title."""
    commune = report.unit_name  # the commune, or an area report's area
    values = {"commune": commune[:1].upper() + commune[1:], "plan_year": report.plan_year}
    if report.review_year:
        return _("%(commune)s – plan year %(plan_year)s, review of %(review_year)s") % {
            **values,
            "review_year": report.review_year,
        }
    return _("%(commune)s – plan year %(plan_year)s") % values


def css_string(text: str) -> str:
    """A CSS string literal: "Trang " → '"Trang "' (quotes and backslashes escaped, one line)."""
    cleaned = re.sub(r"\s+", " ", str(text)).replace("\\", "\\\\").replace('"', '\\"')
    return '"' + cleaned.replace("<", "\\3c ").replace(">", "\\3e ") + '"'


def page_counter_content() -> str:
    """CSS `content` for the translated "Page X of Y", with the page counters in place of X and Y."""
    marker = "\x00"
    template = _("Page %(number)s of %(total)s") % {
        "number": f"{marker}N{marker}",
        "total": f"{marker}T{marker}",
    }
    parts = []
    for piece in re.split(f"({marker}[NT]{marker})", template):
        if piece == f"{marker}N{marker}":
            parts.append("counter(page)")
        elif piece == f"{marker}T{marker}":
            parts.append("counter(pages)")
        elif piece:
            parts.append(css_string(piece))
    return " ".join(parts)


# --- the view of a table the templates draw ----------------------------------------------------

NUMERIC_KINDS = {"int", "decimal", "vnd", "percent"}


@dataclass
class TableView:
    title: str
    headers: list[tuple[str, str, str]]  # (header, css class, width %)
    rows: list[tuple[str, list[tuple[str, str]] | str]]  # (style, cells | group heading)
    totals: list[tuple[str, str]] | None
    note: str
    font_size: float = 10.0  # pt


def _cell_class(column: Column) -> str:
    if column.kind in NUMERIC_KINDS:
        return "num"
    if column.kind == "date":
        return "date"
    return "text"


# The fewest characters a column of a kind needs to write its values on one line ("05/02/2023",
# "12.500.000 đ", "100,00%"), and the room its cell padding takes, in characters.
MIN_WIDTH = {"date": 10, "vnd": 12, "percent": 7, "int": 3, "decimal": 4, "text": 4}
CELL_PADDING = 1.5
# A word is not broken when its column can hold it (a household code, a long name): up to this many
# characters, a column is widened to its longest word (capitals are wider than digits: × 1.15).
LONGEST_WORD_CAP = 18
WORD_FACTOR = 1.15
HEADER_FACTOR = 1.3  # headers are bold
_HEADER_BREAKS = re.compile(r"\s+|(?<=-)(?=\D)")
# The width of the text block (A4 less the margins), and the room one character of width takes
# at 10 pt in Liberation Serif: a table wider than the page gets a smaller type, down to MIN_FONT.
TEXT_WIDTH_MM = {"landscape": 297 - 20 - 15, "portrait": 210 - 30 - 15}
CHAR_MM_AT_10PT = 1.9
MIN_FONT_PT = 8.5


def column_share(column: Column, longest_word: int = 0, longest_text: int | None = None) -> float:
    """A column's share of the table width, in characters, plus the padding of its cell.

    Its width hint, but no wider than its longest text; at least its kind's minimum and its
    longest word (up to LONGEST_WORD_CAP), so that words are not broken.
    """
    hint = column.width if longest_text is None else min(column.width, longest_text)
    word = min(longest_word * WORD_FACTOR, LONGEST_WORD_CAP)
    return max(hint, MIN_WIDTH.get(column.kind, 1), word) + CELL_PADDING


def table_font_size(total_share: float, *, landscape: bool, base_pt: float = 10.0) -> float:
    """The type size at which a table of that many characters fits the page, between MIN_FONT_PT
    and base_pt."""
    width = TEXT_WIDTH_MM["landscape" if landscape else "portrait"]
    fitting = 10 * width / (total_share * CHAR_MM_AT_10PT)
    return round(max(MIN_FONT_PT, min(base_pt, fitting)), 1)


def _cells(row: Row, columns: list[Column], classes: list[str]) -> list[tuple[str, str]]:
    return [
        (format_cell(row.values.get(column.key), column.kind), css)
        for column, css in zip(columns, classes, strict=True)
    ]


def _group_heading(row: Row, columns: list[Column]) -> str:
    """A group row spans the table: its text is its first column's value, else its other values."""
    first = row.values.get(columns[0].key) if columns else None
    if first not in (None, ""):
        return str(first)
    return " – ".join(str(value) for value in row.values.values() if value not in (None, ""))


def _longest(lines: list[list[tuple[str, str]]], headers: list[str]) -> tuple[list[int], list[int]]:
    """The length of the longest word (over header and cells) and of the longest cell text, per column."""
    # A header may wrap at spaces and after hyphens ("Mơhra-|Đáp"): its longest piece counts.
    words = [
        round(max((len(piece) for piece in _HEADER_BREAKS.split(header)), default=0) * HEADER_FACTOR)
        for header in headers
    ]
    texts = [0] * len(headers)
    for cells in lines:
        for index, (text, _css) in enumerate(cells):
            length = len(text)
            texts[index] = max(texts[index], length)
            if length > words[index]:  # else no word of it can be longer
                words[index] = max(words[index], max((len(word) for word in text.split()), default=0))
    return words, texts


def table_view(table: Table, *, landscape: bool = True, base_pt: float = 10.0) -> TableView:
    """A table with its cells written out, its column widths (in %) and the type size it needs."""
    columns = list(table.columns)
    classes = [_cell_class(column) for column in columns]
    rows: list[tuple[str, Any]] = []
    for row in table.rows:
        if row.style == "group":
            rows.append(("group", _group_heading(row, columns)))
        else:
            rows.append((row.style or "", _cells(row, columns, classes)))
    totals = _cells(table.totals, columns, classes) if table.totals is not None else None
    lines = [cells for style, cells in rows if style != "group"] + ([totals] if totals else [])
    words, texts = _longest(lines, [str(column.header) for column in columns])
    widths = [
        column_share(column, word, text) for column, word, text in zip(columns, words, texts, strict=True)
    ]
    # Numeric columns of one kind and hint (the villages of a cross-table) share one width.
    alike: dict[tuple[str, int], float] = {}
    for column, width in zip(columns, widths, strict=True):
        if column.kind in NUMERIC_KINDS:
            key = (column.kind, column.width)
            alike[key] = max(alike.get(key, 0), width)
    widths = [
        alike.get((column.kind, column.width), width) if column.kind in NUMERIC_KINDS else width
        for column, width in zip(columns, widths, strict=True)
    ]
    total_width = sum(widths) or 1
    headers = [
        (str(column.header), css, f"{width * 100 / total_width:.2f}")
        for column, css, width in zip(columns, classes, widths, strict=True)
    ]
    return TableView(
        title=str(table.title),
        headers=headers,
        rows=rows,
        totals=totals,
        note=str(table.note),
        font_size=table_font_size(total_width, landscape=landscape, base_pt=base_pt),
    )


# --- rendering --------------------------------------------------------------------------------


class StaticOnlyFetcher(URLFetcher):
    """Fetches data: URLs and files under static/ only; anything else (http, other files) is refused."""

    def __init__(self, **kwargs):
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False, **kwargs)

    def fetch(self, url, headers=None):
        if url.lower().startswith("file:"):
            path = Path(unquote(urlsplit(url).path)).resolve()
            if not path.is_relative_to(STATIC_DIR.resolve()):
                raise ValueError(f"Only files under static/ may be used in a PDF: {url}")
        return super().fetch(url, headers)


# The plan's village table shows the poor (the plan's subject): the near-poor columns are left out.
PLAN_TABLE_KEYS = (
    "no",
    "village",
    "households",
    "poor",
    "poor_rate",
    "minority",
    "minority_poor",
    "minority_poor_rate",
)
_NUMBERED = re.compile(r"^\d+\.\s")


def dashed(lines: list[str]) -> list[str]:
    """Items of a list of several take a leading "- ", as in the plan; a single one stands alone."""
    lines = [str(line).strip() for line in lines if str(line).strip()]
    if len(lines) < 2:
        return lines
    return [line if line.startswith(("-", "–", "+")) else f"- {line}" for line in lines]


def paragraph_kinds(lines: list[str]) -> list[tuple[str, str]]:
    """Free text as entered (section III): "1. Hỗ trợ …" is a sub-heading, the rest paragraphs."""
    return [("sub-heading" if _NUMBERED.match(line) else "paragraph", line) for line in lines]


def plan_context(report: Report) -> dict[str, Any]:
    """The plan document's parts, arranged for templates/reports/pdf/plan.html."""
    document = report.document
    plan = document.plan
    table = document.village_table
    if table is not None:
        keys = [column.key for column in table.columns]
        if all(key in keys for key in PLAN_TABLE_KEYS):
            picked = [column for column in table.columns if column.key in PLAN_TABLE_KEYS]
            table = Table(
                title=_("Poor households by village, %(year)s review") % {"year": document.review_year},
                columns=picked,
                rows=table.rows,
                totals=table.totals,
                note="",
            )
    number = (plan.number or "").strip() or "\u00a0" * 6 + "/KH-UBND"
    return {
        "number_line": f"Số: {number}",
        "place_date": official_date(plan.place or report.commune.name, plan.issued_on, year=plan.year),
        "headings": {key.replace(".", "_"): value for key, value in document.headings.items()},
        "purposes": dashed(document.purposes),
        "requirements": dashed(document.requirements),
        "situation_lines": dashed(document.situation_lines),
        "village_table": (
            table_view(table, landscape=False, base_pt=11) if table is not None and table.rows else None
        ),
        "support_forms": paragraph_kinds(document.support_forms),
        "responsibilities": [(block, dashed(block.tasks)) for block in document.responsibilities],
        "recipients": [line.lstrip("-– ").strip() for line in document.recipients],
    }


def context_for(report: Report) -> dict[str, Any]:
    """What the PDF templates draw: the report, its header lines and its tables ready to write."""
    generated = generation_date(report.generated_at)
    if report.commune is None:  # an area report: the issuing body and signer are the report's
        lines = [line for line in report.issuer if line] or [report.area_name.upper()]
        organ, unit = ("", lines[0]) if len(lines) == 1 else (lines[0], lines[1])
        place_date = official_date(report.place, generated)
        authority, chairman = report.signer, CHAIRMAN if report.signer else ""
    else:
        organ, unit = issuer_lines(report.commune)
        place_date = official_date(report.commune.name, generated)
        authority, chairman = signing_authority(report.commune), CHAIRMAN
    context = {
        "report": report,
        "organ": organ,
        "unit": unit,
        "state_name": STATE_NAME,
        "motto": MOTTO,
        "generated_on": format_date(generated),
        "subtitle": subtitle(report),
        "place_date": place_date,
        "signing_authority": authority,
        "chairman": chairman,
        "generated_css": mark_safe(
            css_string(_("Generated on: %(date)s") % {"date": format_date(generated)})
        ),
        "page_css": mark_safe(page_counter_content()),
        "orientation": "landscape" if report.landscape else "portrait",
        "tables": [table_view(table, landscape=report.landscape) for table in report.tables],
        "charts": [bar_chart_svg(chart, font_family=PRINT_FONT) for chart in report.charts],
        "document": report.document,
    }
    if report.slug == "plan" and report.document is not None:
        context.update(plan_context(report))
    return context


def render_html(report: Report) -> str:
    """The report's HTML, NFC-normalised (the PDF's text then extracts exactly as written)."""
    names = [f"{TEMPLATE_DIR}/{report.slug}.html", f"{TEMPLATE_DIR}/table.html"]
    html = render_to_string(names, context_for(report))
    return unicodedata.normalize("NFC", html)


def build_pdf(report: Report) -> bytes:
    """The report as a PDF (A4; landscape when report.landscape)."""
    html = render_html(report)
    document = HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=StaticOnlyFetcher())
    return document.write_pdf()
