"""Vietnamese number and date formatting, and reading what people type: pure functions, no request.

Vietnamese administrative writing groups thousands with dots and uses a decimal comma
(1.350.000 đ; 20,86%) and writes dates dd/mm/yyyy, whatever the interface language. Pages, PDFs
and spreadsheets share these helpers so the figures read the same everywhere.
"""

import re
import unicodedata
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext_lazy

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


# What the support form's value field understands: a number of đồng, grouped by dots or spaces,
# then optionally a multiplier ("1,5 triệu", "500k") and the currency ("đ", "đồng", "VND").
# A decimal comma needs a multiplier: "1,5" alone could mean 1,5 đồng, 15 or 1.500.000.
_CURRENCIES = ("đồng", "vnđ", "vnd", "đ")
_MULTIPLIERS = {"triệu": 1_000_000, "tr": 1_000_000, "nghìn": 1_000, "ngàn": 1_000, "k": 1_000}
_AMOUNT = re.compile(r"(?P<whole>[0-9]{1,3}(?:[ .][0-9]{3})+|[0-9]+)(?:,(?P<fraction>[0-9]+))?")
_MINUS_SIGNS = ("-", "\u2212", "\u2013")

AMOUNT_MESSAGES = {
    "ambiguous": gettext_lazy(
        "It is not clear how many đồng '%(typed)s' is. Type the đồng like 1.500.000 or 1,5 triệu."
    ),
    "not_amount": gettext_lazy(
        "'%(typed)s' cannot be read as đồng. Type the đồng like 1.500.000, 500 nghìn or 2 triệu."
    ),
    "fraction": gettext_lazy(
        "'%(typed)s' is not a whole number of đồng. Type the đồng like 1.500.000 or 1,5 triệu."
    ),
    "negative": gettext_lazy("The value cannot be negative. Type the đồng like 1.500.000 or 1,5 triệu."),
}


class AmountError(ValueError):
    """What was typed is not an amount of đồng. `code` is why (a key of AMOUNT_MESSAGES)."""

    def __init__(self, code: str, typed):
        super().__init__(f"{code}: {typed!r}")
        self.code = code
        self.typed = typed

    @property
    def message(self) -> str:
        """How to type it, in the interface language."""
        typed = self.typed.strip() if isinstance(self.typed, str) else self.typed
        return str(AMOUNT_MESSAGES[self.code]) % {"typed": typed}


def _without_suffix(text: str, suffixes) -> tuple[str, str | None]:
    for suffix in suffixes:
        if text.endswith(suffix):
            return text.removesuffix(suffix).rstrip(), suffix
    return text, None


def parse_vnd(text: str | int | None) -> int:
    """An amount typed by a person, in đồng: "1.500.000", "1 500 000 đ", "2tr", "1,5 triệu", "500k".

    Dots and spaces group thousands (Vietnamese usage). "k", "nghìn", "ngàn" multiply by a
    thousand, "tr", "triệu" by a million, and only with one of them may a decimal comma follow
    ("1,5 triệu"). Refused, with AmountError: a comma without a multiplier, dots that do not
    group by three, a result with a fraction of a đồng, a minus sign, anything else. A JSON
    integer (older clients send one) passes if it is not negative. tests/typed_values.py holds
    the cases.
    """
    if isinstance(text, int) and not isinstance(text, bool):
        if text < 0:
            raise AmountError("negative", text)
        return text
    if not isinstance(text, str):
        raise AmountError("not_amount", text)
    cleaned = re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip().lower()
    if cleaned.startswith(_MINUS_SIGNS):
        raise AmountError("negative", text)
    cleaned, _currency = _without_suffix(cleaned, _CURRENCIES)
    cleaned, multiplier = _without_suffix(cleaned, _MULTIPLIERS)
    number = _AMOUNT.fullmatch(cleaned)
    if number is None:
        digits_only = cleaned and set(cleaned) <= set("0123456789., ") and any(c.isdigit() for c in cleaned)
        raise AmountError("ambiguous" if digits_only else "not_amount", text)
    if number["fraction"] is not None and multiplier is None:
        raise AmountError("ambiguous", text)
    whole = number["whole"].replace(" ", "").replace(".", "")
    amount = Decimal(f"{whole}.{number['fraction'] or 0}") * _MULTIPLIERS.get(multiplier, 1)
    if amount != amount.to_integral_value():
        raise AmountError("fraction", text)
    return int(amount)


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
    # Trailing zeros add no precision ("1.5000", "2,50"): they must not count as decimal places.
    return number.quantize(Decimal(1)) if number == number.to_integral_value() else number.normalize()
