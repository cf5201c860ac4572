"""Template filters for Vietnamese figures: {% load vn_format %} then {{ amount|vnd }}.

Thin wrappers over povertyplan.formatting, so pages, PDFs and spreadsheets format alike.
"""

from django import template

from povertyplan import formatting

register = template.Library()


@register.filter
def vnd(value):
    """1350000 → "1.350.000 đ"."""
    return formatting.format_vnd(value)


@register.filter
def vn_number(value, places=0):
    """1350000 → "1.350.000"; with an argument, that many decimals after a comma."""
    return formatting.format_number(value, places=int(places))


@register.filter
def vn_quantity(value):
    """Decimal("1.50") → "1,5": only the decimals the quantity needs."""
    return formatting.format_quantity(value)


@register.filter
def percent(value):
    """Decimal("20.86") → "20,86%"."""
    return formatting.format_percent(value)


@register.filter
def vn_date(value):
    """date(2023, 2, 5) → "05/02/2023"."""
    return formatting.format_date(value)
