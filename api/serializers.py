"""JSON in and out for the offline client: plain functions, no framework.

Validation has two layers. The JSON layer here checks what JSON alone can get wrong (unknown
fields, a list where text belongs, text a database cannot store). The rules themselves (date
not in the future and in the plan's year, quantity needs a unit, how "1,5 triệu" reads, …) are
the page's: assignments.forms.SupportActionForm, fed with the JSON values. The value and the
quantity may come as typed text (what the page's script sends) or as JSON numbers.
"""

import json
import re
import uuid
from decimal import Decimal

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assignments.forms import MAX_VALUE_VND, SupportActionForm
from assignments.models import SupportAction
from households.models import Household
from povertyplan.text import nfc

# The largest integer a BIGINT column (SQLite or PostgreSQL) stores: ids and amounts above it
# would fail in the database instead of in validation.
MAX_DB_INTEGER = MAX_VALUE_VND

SUPPORT_ACTION_FIELDS = (
    "client_uuid",
    "household",
    "kind",
    "date",
    "description",
    "quantity",
    "unit",
    "value_vnd",
    "contributor",
    "indicators",
)
SUPPORT_ACTION_REQUIRED = ("client_uuid", "household", "kind", "date", "description", "contributor")
_TEXT_FIELDS = ("client_uuid", "kind", "date", "description", "unit", "contributor")
_TYPED_FIELDS = ("quantity", "value_vnd")  # a JSON number, or the text as the person typed it
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

# More codes than any standard has indicators is not a support's choice (the standards have 12).
MAX_INDICATOR_CODES = 50

# /api/my-households: rows per answer unless ?limit= says fewer.
HOUSEHOLDS_DEFAULT_LIMIT = 500
HOUSEHOLDS_MAX_LIMIT = 500

Errors = dict[str, list[str]]


class PayloadError(Exception):
    """A request the API refuses as a whole (not JSON, not an object)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- Request bodies -------------------------------------------------------------------------------


def _refuse_constant(name: str):
    raise ValueError(name)


def json_object_from_body(body: bytes) -> dict:
    """The request body as a JSON object; PayloadError when it is not one.

    Decimals stay Decimal (no float rounding); NaN and Infinity, which are not JSON, are refused.
    """
    try:
        payload = json.loads(body, parse_float=Decimal, parse_constant=_refuse_constant)
    except (ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise PayloadError(_("The request body is not valid JSON.")) from None
    if not isinstance(payload, dict):
        raise PayloadError(_("The request body must be a JSON object."))
    return payload


def _is_integer(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value) -> bool:
    return _is_integer(value) or isinstance(value, Decimal)


def _storable_text(value: str) -> bool:
    """False for NUL characters and lone surrogates, which no database column stores."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def support_action_shape_errors(payload: dict) -> Errors:
    """What the JSON itself gets wrong: unknown or missing fields and wrong JSON types."""
    errors: Errors = {}
    for name in payload:
        if name not in SUPPORT_ACTION_FIELDS:
            errors[name] = [_("This field is not accepted.")]
    for name in SUPPORT_ACTION_REQUIRED:
        if payload.get(name) is None:
            errors[name] = [str(forms.Field.default_error_messages["required"])]
    for name in _TEXT_FIELDS:
        value = payload.get(name)
        if value is None or name in errors:
            continue
        if not isinstance(value, str):
            errors[name] = [_("Give this field as text (a JSON string).")]
        elif not _storable_text(value):
            errors[name] = [_("The text contains characters that cannot be stored.")]
    date = payload.get("date")
    if isinstance(date, str) and "date" not in errors and not _ISO_DATE.fullmatch(date):
        errors["date"] = [_("Give the date as YYYY-MM-DD, e.g. 2023-03-01.")]
    household = payload.get("household")
    if household is not None and "household" not in errors:
        if not _is_integer(household) or not 1 <= household <= MAX_DB_INTEGER:
            errors["household"] = [_("Give the household's id as a positive whole number.")]
    for name in _TYPED_FIELDS:
        value = payload.get(name)
        if isinstance(value, str) and not _storable_text(value):
            errors[name] = [_("The text contains characters that cannot be stored.")]
    quantity = payload.get("quantity")
    if quantity is not None and not (_is_number(quantity) or isinstance(quantity, str)):
        errors["quantity"] = [_("Give the quantity as a number, or null.")]
    value_vnd = payload.get("value_vnd")
    # Text is read by the form (parse_vnd), like the page's; a number must be whole đồng.
    if value_vnd is not None and not isinstance(value_vnd, str) and not _is_integer(value_vnd):
        errors["value_vnd"] = [_("Give the value as a whole number of đồng, e.g. 1.500.000 or 1,5 triệu.")]
    elif _is_integer(value_vnd) and value_vnd < 0:
        errors["value_vnd"] = [_("The value cannot be negative.")]
    elif _is_integer(value_vnd) and value_vnd > MAX_DB_INTEGER:
        errors["value_vnd"] = [_("The value is too large.")]
    codes = payload.get("indicators")
    # Which codes may be chosen is the form's rule (the standard of the support's date).
    if codes is not None and "indicators" not in errors:
        if not isinstance(codes, list) or not all(isinstance(code, str) for code in codes):
            errors["indicators"] = [_('Give the indicators as a list of codes, e.g. ["water_source"].')]
        elif len(codes) > MAX_INDICATOR_CODES:
            errors["indicators"] = [_("Too many indicators.")]
        elif not all(_storable_text(code) for code in codes):
            errors["indicators"] = [_("The text contains characters that cannot be stored.")]
    return errors


def client_uuid_from(payload: dict) -> uuid.UUID | None:
    """The payload's client UUID, or None when it is missing or malformed (the form says why)."""
    value = payload.get("client_uuid")
    if not isinstance(value, str):
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def support_action_clean(payload: dict, *, plan, skip: set[str]) -> tuple[dict, Errors]:
    """Run the page's form on the JSON values. Returns (cleaned data, errors).

    `skip` names fields already refused by the JSON layer: they are left out of the form data.
    `plan` is the household's (its year bounds the date); None for a household nobody is in
    charge of, whose date then has no lower bound.
    """
    data = {}
    for name in SUPPORT_ACTION_FIELDS:
        value = payload.get(name)
        if name == "household" or name in skip or value is None:
            continue
        if name in ("description", "unit"):
            value = nfc(value)
        # A JSON number is exact already (read as Decimal): the form must not re-read "1.234" as 1234.
        data[name] = value if name in ("quantity", "indicators") else str(value)
    form = SupportActionForm(data=data, plan=plan)
    if form.is_valid():
        cleaned = {name: form.cleaned_data[name] for name in SUPPORT_ACTION_FIELDS if name != "household"}
        return cleaned, {}
    return {}, form_errors(form)


def form_errors(form: forms.Form) -> Errors:
    return {name: [str(message) for message in messages] for name, messages in form.errors.items()}


# --- Answers --------------------------------------------------------------------------------------


def _quantity_number(quantity: Decimal | None) -> int | float | None:
    """2.00 → 2, 1.50 → 1.5: a JSON number. Exact, since the column keeps at most 10 digits."""
    if quantity is None:
        return None
    quantity = Decimal(quantity)
    return int(quantity) if quantity == quantity.to_integral_value() else float(quantity)


def support_action_to_dict(action: SupportAction) -> dict:
    return {
        "id": action.pk,
        "client_uuid": str(action.client_uuid),
        "household": action.household_id,
        "official": action.official_id,
        "kind": action.kind,
        "date": action.date.isoformat(),
        "description": action.description,
        "quantity": _quantity_number(action.quantity),
        "unit": action.unit,
        "value_vnd": int(action.value_vnd),
        "contributor": action.contributor,
        "indicators": [indicator.code for indicator in action.indicators.order_by("number")],
        "needs_review": action.needs_review,
        "review_reason": action.review_reason,
        "created_at": timezone.localtime(action.created_at).isoformat(),
    }


def household_to_dict(household: Household, deprived_indicators: list[str]) -> dict:
    last_support = household.last_support_date
    return {
        "id": household.pk,
        "code": household.code,
        "head_name": household.head_name,
        "village": household.village.name,
        "village_id": household.village_id,
        "address": household.address,
        "is_ethnic_minority": household.is_ethnic_minority,
        "latest_classification": household.latest_classification,
        "deprived_indicators": deprived_indicators,
        "exit_status": household.latest_exit_status,
        "last_support_date": last_support.isoformat() if last_support else None,
        "url": reverse("households:detail", args=[household.pk]),
    }


def paging_from(query: dict) -> tuple[int, int, Errors]:
    """(offset, limit, errors) from ?offset=&limit=."""
    errors: Errors = {}
    values = {}
    for name, default, low, high in (
        ("offset", 0, 0, MAX_DB_INTEGER),
        ("limit", HOUSEHOLDS_DEFAULT_LIMIT, 1, HOUSEHOLDS_MAX_LIMIT),
    ):
        raw = query.get(name, "")
        if raw == "":
            values[name] = default
            continue
        if raw.isascii() and raw.isdigit() and len(raw) <= 19 and low <= int(raw) <= high:
            values[name] = int(raw)
        else:
            values[name] = default
            errors[name] = [_("Give a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}]
    return values["offset"], values["limit"], errors
