"""Vietnamese number and date formatting: pure functions, no request, no settings.

Vietnamese administrative writing groups thousands with dots and uses a decimal comma
(1.350.000 đ; 20,86%) and writes dates dd/mm/yyyy, whatever the interface language. Pages, PDFs
and spreadsheets share these helpers so the figures read the same everywhere.
"""

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

TWO_PLACES = Decimal("0.01")


def format_number(value: int | float | Decimal | None, places: int = 0) -> str:
    """1350000 → "1.350.000"; Decimal("20.86") with places=2 → "20,86"; None → ""."""
    if value is None:
        return ""
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    quantized = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    sign = "-" if quantized < 0 else ""
    whole, _dot, fraction = f"{abs(quantized):f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = ".".join(groups) or "0"
    return f"{sign}{text},{fraction}" if fraction else f"{sign}{text}"


def format_quantity(value: int | Decimal | None) -> str:
    """A quantity with only the decimals it needs: Decimal("2.00") → "2"; Decimal("1.50") → "1,5"."""
    if value is None:
        return ""
    normalized = Decimal(value).normalize()
    return format_number(normalized, places=max(0, -normalized.as_tuple().exponent))


def format_vnd(value: int | Decimal | None) -> str:
    """An amount in đồng: 1350000 → "1.350.000 đ"; None → ""."""
    if value is None:
        return ""
    return f"{format_number(value)} đ"


def rate(part: int, whole: int) -> Decimal:
    """part as a percentage of whole, rounded half-up to 2 places (0.00 when whole is 0).

    Half-up, not Python's default banker's rounding, because that is how the figures are rounded
    by hand in the commune's reports: 1/32 → 3.13, not 3.12.
    """
    if not whole:
        return Decimal("0.00")
    return (Decimal(part) * 100 / Decimal(whole)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def format_percent(value: Decimal | int | None) -> str:
    """Decimal("20.86") → "20,86%"; None → ""."""
    if value is None:
        return ""
    return f"{format_number(value, places=2)}%"


def format_date(value: date | None) -> str:
    """date(2023, 2, 5) → "05/02/2023"; None → ""."""
    if value is None:
        return ""
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def parse_vnd(text: str | int | None) -> int:
    """An amount typed by a person: "1.500.000", "1500000", "1 500 000 đ" → 1500000.

    Dots and spaces group thousands (Vietnamese usage); a comma or any other character is refused,
    since "1,5" could mean 1.5 or 15 and money here has no fractions. Raises ValueError.
    """
    if isinstance(text, int) and not isinstance(text, bool):
        if text < 0:
            raise ValueError("negative amount")
        return text
    cleaned = (text or "").strip().lower().removesuffix("đồng").removesuffix("đ").removesuffix("vnd").strip()
    if not cleaned:
        raise ValueError("empty amount")
    groups = cleaned.replace(" ", ".").replace("\u00a0", ".").split(".")
    if not all(group.isdigit() and group.isascii() for group in groups):
        raise ValueError(f"not an amount: {text!r}")
    if len(groups) > 1 and (len(groups[0]) > 3 or any(len(group) != 3 for group in groups[1:])):
        raise ValueError(f"misplaced thousands separator: {text!r}")
    return int("".join(groups))


_THOUSANDS = re.compile(r"\d{1,3}(\.\d{3})+")


def parse_quantity(text: str) -> Decimal | None:
    """A quantity typed the Vietnamese way: "1,5" → 1.5, "1.500" → 1500, "1.500,5" → 1500.5.

    A dot followed by other than groups of three digits stays a decimal point ("2.5" → 2.5), as a
    phone's numeric keyboard may type it. Empty → None. Raises ValueError for anything else.
    """
    typed = (text or "").replace(" ", "").replace("\u00a0", "")
    if not typed:
        return None
    if "," in typed:
        typed = typed.replace(".", "").replace(",", ".")
    elif _THOUSANDS.fullmatch(typed):
        typed = typed.replace(".", "")
    try:
        number = Decimal(typed)
    except InvalidOperation:
        raise ValueError(f"not a quantity: {text!r}") from None
    if not number.is_finite():
        raise ValueError(f"not a quantity: {text!r}")
    return number
