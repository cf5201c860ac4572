"""Bar charts drawn on the server as SVG: one component for the web pages and the PDFs.

`bar_chart_svg(chart)` returns a self-contained SVG: horizontal bars, each with its label on the
line above it (so long Vietnamese village or official names never crowd the bars) and its value
written the Vietnamese way (20,86%) after the bar. It scales with its container through its
viewBox, so the same drawing reads at 360 px on a phone and at 16 cm on A4. Everything a page
or a PDF shows comes from presentation attributes (no CSS, no script), so WeasyPrint draws it as
a browser does. Labels are XML-escaped; the result is a well-formed XML document.
"""

import hashlib
import html
import re
import unicodedata
from decimal import Decimal

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from povertyplan.formatting import format_percent, format_quantity
from reports.data import Bar, Chart

# The font stack of the PDFs. On the web pages the chart leaves the font to the page.
PRINT_FONT = "'Report Serif', 'Liberation Serif', 'Times New Roman', 'DejaVu Serif', serif"  # pdf.css's face

WIDTH = 400  # viewBox units: at 360 px wide a 14-unit label is 12.6 px; at 12 cm on A4 it is 12 pt
PAD = 4
TITLE_SIZE = 16
LABEL_SIZE = 14
VALUE_SIZE = 13
ROW = 36  # label line + bar + gap
BAR_HEIGHT = 13
VALUE_GUTTER = 72  # room after the longest bar for its value ("100,00%")
MAX_LABEL = 54  # characters; a longer label is cut with "…" (the full one stays in the bar's <title>)

BAR_COLOUR = "#5b7083"
HIGHLIGHT_COLOUR = "#9b1c1c"
TEXT_COLOUR = "#1d2430"

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _text(value) -> str:
    """Text safe for XML: NFC, no control characters, escaped (attribute-safe too)."""
    cleaned = _CONTROL.sub("", unicodedata.normalize("NFC", str(value)))
    return html.escape(cleaned, quote=True)


def format_value(value: Decimal | int | None, unit: str) -> str:
    """A bar's value as written beside it: 20.86 → "20,86%" (percent), 1160 → "1.160" (count)."""
    if value is None:
        return ""
    return format_percent(value) if unit == "percent" else format_quantity(value)


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1].rstrip() + "…"


def _number(value: float) -> str:
    """A coordinate with at most one decimal, without a trailing ".0"."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def bar_chart_svg(chart: Chart, *, font_family: str | None = None) -> SafeString:
    """The chart as an inline SVG element (safe to place in a template as is).

    font_family: None leaves the font to the surrounding page (web); the PDF passes PRINT_FONT,
    since WeasyPrint's SVG text does not inherit the HTML font.
    """
    title = str(chart.title)
    bars: list[Bar] = list(chart.bars)
    top = PAD + (TITLE_SIZE + 10 if title else 0)
    height = top + max(len(bars), 1) * ROW + PAD
    values = [max(Decimal(bar.value or 0), Decimal(0)) for bar in bars]
    largest = max(values, default=Decimal(0)) or Decimal(1)
    span = WIDTH - 2 * PAD - VALUE_GUTTER
    digest = hashlib.sha1(
        "|".join([title, *(f"{bar.label}={bar.value}" for bar in bars)]).encode(), usedforsecurity=False
    ).hexdigest()[:10]
    desc_id = f"chart-{digest}-desc"
    summary = "; ".join(f"{bar.label}: {format_value(bar.value, chart.unit)}" for bar in bars)

    font = f' font-family="{_text(font_family)}"' if font_family else ""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bar-chart" viewBox="0 0 {WIDTH} {height}"'
        f' width="100%" preserveAspectRatio="xMinYMin meet" role="img" aria-label="{_text(title)}"'
        f' aria-describedby="{desc_id}"{font} fill="{TEXT_COLOUR}">',
        f"<title>{_text(title)}</title>",
        f'<desc id="{desc_id}">{_text(summary)}</desc>',
    ]
    if title:
        parts.append(
            f'<text x="{PAD}" y="{PAD + TITLE_SIZE}" font-size="{TITLE_SIZE}" font-weight="bold">'
            f"{_text(title)}</text>"
        )
    if not bars:
        parts.append(
            f'<text x="{PAD}" y="{top + LABEL_SIZE + 4}" font-size="{LABEL_SIZE}">'
            f"{_text(_('No data'))}</text>"
        )
    for index, (bar, value) in enumerate(zip(bars, values, strict=True)):
        y = top + index * ROW
        bar_y = y + LABEL_SIZE + 4
        length = float(value / largest) * span
        written = format_value(bar.value, chart.unit)
        weight = ' font-weight="bold"' if bar.highlight else ""
        colour = HIGHLIGHT_COLOUR if bar.highlight else BAR_COLOUR
        parts.append(
            f'<g class="bar{" bar-highlight" if bar.highlight else ""}">'
            f"<title>{_text(bar.label)}: {_text(written)}</title>"
            f'<text x="{PAD}" y="{y + LABEL_SIZE}" font-size="{LABEL_SIZE}"{weight}>'
            f"{_text(_short(str(bar.label)))}</text>"
            f'<rect x="{PAD}" y="{bar_y}" width="{_number(length)}" height="{BAR_HEIGHT}" fill="{colour}"/>'
            f'<text x="{_number(PAD + length + 6)}" y="{bar_y + BAR_HEIGHT - 2}"'
            f' font-size="{VALUE_SIZE}"{weight}>'
            f"{_text(written)}</text>"
            "</g>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every piece of text above went through _text
