"""Server-side SVG bar charts (reports.charts): well-formed, accessible, escaped, Vietnamese numbers."""

import unicodedata
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.urls import reverse

from households.classification import Level
from households.models import Assessment
from reports.charts import BAR_COLOUR, HIGHLIGHT_COLOUR, MAX_LABEL, PRINT_FONT, bar_chart_svg
from reports.data import Bar, Chart
from tests import factories

SVG = "{http://www.w3.org/2000/svg}"

VILLAGES = Chart(
    title="Tỷ lệ hộ nghèo theo thôn, làng, rà soát 2022",
    bars=[
        Bar("Bờ-Chư pâu", Decimal("28.77"), highlight=True),
        Bar("Mơ Tôn", Decimal("35.87"), highlight=True),
        Bar("Quyết Thắng", Decimal("7.00")),
        Bar("Toàn xã", Decimal("20.86")),
    ],
)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def bars(root: ET.Element) -> list[ET.Element]:
    return root.findall(f"{SVG}g")


def texts(group: ET.Element) -> list[str]:
    return [element.text for element in group.findall(f"{SVG}text")]


def test_the_svg_is_well_formed_and_accessible():
    root = parse(bar_chart_svg(VILLAGES))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label") == VILLAGES.title
    assert root.find(f"{SVG}title").text == VILLAGES.title
    # The description the chart points to lists every value, for screen readers.
    description = root.find(f"{SVG}desc")
    assert root.get("aria-describedby") == description.get("id")
    assert "Mơ Tôn: 35,87%" in description.text


def test_it_scales_with_its_container():
    root = parse(bar_chart_svg(VILLAGES))
    _x, _y, width, height = (float(number) for number in root.get("viewBox").split())
    assert width > 0 and height > 0
    assert root.get("width") == "100%"
    assert root.get("height") is None  # the height follows the width through the viewBox


def test_one_bar_per_item_with_its_label_and_vietnamese_value():
    groups = bars(parse(bar_chart_svg(VILLAGES)))
    assert len(groups) == 4
    assert [len(group.findall(f"{SVG}rect")) for group in groups] == [1, 1, 1, 1]
    assert [texts(group) for group in groups] == [
        ["Bờ-Chư pâu", "28,77%"],
        ["Mơ Tôn", "35,87%"],
        ["Quyết Thắng", "7,00%"],
        ["Toàn xã", "20,86%"],
    ]


def test_bar_lengths_are_proportional_to_the_values():
    groups = bars(parse(bar_chart_svg(VILLAGES)))
    lengths = [float(group.find(f"{SVG}rect").get("width")) for group in groups]
    assert lengths[1] == max(lengths)  # 35.87 is the largest value
    assert lengths[0] / lengths[1] == pytest.approx(28.77 / 35.87, rel=0.01)
    assert lengths[2] / lengths[1] == pytest.approx(7.00 / 35.87, rel=0.02)


def test_highlighted_bars_have_another_colour_and_bold_text():
    groups = bars(parse(bar_chart_svg(VILLAGES)))
    colours = [group.find(f"{SVG}rect").get("fill") for group in groups]
    assert colours == [HIGHLIGHT_COLOUR, HIGHLIGHT_COLOUR, BAR_COLOUR, BAR_COLOUR]
    assert HIGHLIGHT_COLOUR != BAR_COLOUR
    weights = [group.find(f"{SVG}text").get("font-weight") for group in groups]
    assert weights == ["bold", "bold", None, None]


def test_counts_are_written_with_a_thousands_dot():
    chart = Chart(title="Số hộ", bars=[Bar("Toàn xã", Decimal(1160)), Bar("Dơng", Decimal(44))], unit="count")
    groups = bars(parse(bar_chart_svg(chart)))
    assert [texts(group)[1] for group in groups] == ["1.160", "44"]


def test_labels_and_title_are_escaped():
    nasty = 'Làng <b>"Mới"</b> & Co\'s <script>alert(1)</script>'
    chart = Chart(title="A < B & C", bars=[Bar(nasty, Decimal("12.5"))])
    svg = bar_chart_svg(chart)
    assert "<script>" not in svg and "<b>" not in svg
    root = parse(svg)  # still well-formed XML
    assert root.get("aria-label") == "A < B & C"
    group = bars(root)[0]
    assert texts(group)[0] == nasty
    assert group.find(f"{SVG}title").text == f"{nasty}: 12,50%"


def test_control_characters_are_dropped_and_text_is_nfc():
    decomposed = unicodedata.normalize("NFD", "Mơhven-Ôr")
    chart = Chart(title="t", bars=[Bar(decomposed + "\x00\x08", Decimal(1))])
    label = texts(bars(parse(bar_chart_svg(chart)))[0])[0]
    assert label == "Mơhven-Ôr"
    assert unicodedata.is_normalized("NFC", label)


def test_a_long_label_is_shortened_but_kept_whole_in_the_bar_title():
    long_label = "Cán bộ " + "Nguyễn Thị Thanh Hương " * 5
    group = bars(parse(bar_chart_svg(Chart(title="t", bars=[Bar(long_label, Decimal(3))], unit="count"))))[0]
    shown = texts(group)[0]
    assert len(shown) <= MAX_LABEL and shown.endswith("…")
    assert group.find(f"{SVG}title").text == f"{long_label}: 3"


def test_an_empty_chart_says_so():
    root = parse(bar_chart_svg(Chart(title="Không có gì", bars=[])))
    assert root.findall(f".//{SVG}rect") == []
    assert len(root.findall(f"{SVG}text")) == 2  # the title and the "no data" line


def test_the_font_is_left_to_the_page_unless_the_pdf_asks():
    assert parse(bar_chart_svg(VILLAGES)).get("font-family") is None
    assert parse(bar_chart_svg(VILLAGES, font_family=PRINT_FONT)).get("font-family") == PRINT_FONT


@pytest.mark.django_db
def test_the_statistics_page_shows_the_village_poor_rate_chart(client, commune, commune_admin):
    hard, easy = (factories.VillageFactory(commune=commune, name=name) for name in ("Mơ Tôn", "Quyết Thắng"))
    for village, poor, others in ((hard, 3, 1), (easy, 1, 3)):
        for index in range(poor + others):
            home = factories.HouseholdFactory(village=village)
            factories.AssessmentFactory(
                household=home,
                review_year=2022,
                kind=Assessment.Kind.PERIODIC,
                computed_classification=Level.POOR if index < poor else Level.OTHER,
            )
    client.force_login(commune_admin)
    page = client.get(reverse("reports:statistics"), {"year": 2022}).content.decode()
    start = page.index("<svg")
    root = parse(page[start : page.index("</svg>", start) + len("</svg>")])
    assert root.get("role") == "img"
    values = {texts(group)[0]: texts(group)[1] for group in bars(root)}
    assert values["Mơ Tôn"] == "75,00%"
    assert values["Quyết Thắng"] == "25,00%"
