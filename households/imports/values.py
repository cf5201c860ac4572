"""Second layer of an import: one cell's value read the way a Vietnamese officer writes it.

Each parser takes what `reading` found in a cell (text, number, date or None) and returns the value
to store, or raises `ValueProblem` with the reason as a clause ("không phải là số"), which the
importer puts after "Dòng 17, cột 'Thu nhập': ". No database here: names are looked up in the
`Lookup` tables the importer loaded once.
"""

import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from povertyplan.formatting import format_date, parse_vnd
from povertyplan.text import clean_text, fold

YES_WORDS = frozenset({"co", "c", "x", "yes", "y", "true", "dung", "1", "phai", "v"})
NO_WORDS = frozenset({"khong", "k", "ko", "no", "n", "false", "sai", "0", "-"})
EARLIEST_BIRTH_YEAR = 1900


class ValueProblem(ValueError):
    """`reason` is a translated clause for the officer."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _quoted(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # spreadsheets store every number as a float: 12.0 was typed 12
    return str(value) if not isinstance(value, date) else format_date(value)


def text(value, *, max_length: int, required: bool = False, multiline: bool = False) -> str:
    """Text as written, cleaned as every entry point cleans it (clean_text; line breaks kept for
    the multi-line fields); numbers become their digits ("0905…" stays)."""
    if value is None:
        result = ""
    elif isinstance(value, float) and value.is_integer():
        result = str(int(value))
    elif isinstance(value, date):
        result = format_date(value)
    else:
        result = clean_text(str(value), multiline=multiline)
    if required and not result:
        raise ValueProblem(_("this column must not be empty"))
    if len(result) > max_length:
        raise ValueProblem(
            _("the text is %(length)s characters long, more than %(limit)s")
            % {"length": len(result), "limit": max_length}
        )
    return result


def whole_number(value, *, minimum: int = 0, maximum: int | None = None) -> int | None:
    """A whole number ("12", 12, 12.0); empty → None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool) or isinstance(value, date):
        raise ValueProblem(_("'%(value)s' is not a number") % {"value": _quoted(value)})
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueProblem(_("'%(value)s' is not a whole number") % {"value": value})
        number = int(value)
    elif isinstance(value, int):
        number = value
    else:
        cleaned = str(value).strip()
        if not re.fullmatch(r"-?\d+", cleaned):
            raise ValueProblem(_("'%(value)s' is not a whole number") % {"value": cleaned})
        number = int(cleaned)
    if number < minimum:
        raise ValueProblem(_("%(value)s is less than %(minimum)s") % {"value": number, "minimum": minimum})
    if maximum is not None and number > maximum:
        raise ValueProblem(_("%(value)s is more than %(maximum)s") % {"value": number, "maximum": maximum})
    return number


def money(value) -> int | None:
    """VND, never negative: 1500000, "1.500.000", "1 500 000 đ"; empty → None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        if value < 0:
            raise ValueProblem(_("an amount cannot be negative (%(value)s)") % {"value": _quoted(value)})
        if isinstance(value, float) and not value.is_integer():
            return round(value)
        return int(value)
    if isinstance(value, date):
        raise ValueProblem(_("'%(value)s' is not an amount of money") % {"value": _quoted(value)})
    typed = str(value).strip()
    if typed.startswith("-"):
        raise ValueProblem(_("an amount cannot be negative (%(value)s)") % {"value": typed})
    try:
        return parse_vnd(typed)
    except ValueError:
        raise ValueProblem(
            _("'%(value)s' is not an amount of money (write it like 1.500.000)") % {"value": typed}
        ) from None


def year_of_birth(value, *, today: date) -> int | None:
    number = whole_number(value, minimum=0)
    if number is None:
        return None
    if number > today.year:
        raise ValueProblem(_("the year of birth %(year)s is in the future") % {"year": number})
    if number < EARLIEST_BIRTH_YEAR:
        raise ValueProblem(
            _("the year of birth %(year)s is before %(earliest)s")
            % {"year": number, "earliest": EARLIEST_BIRTH_YEAR}
        )
    return number


_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")


def day(value, *, today: date | None = None) -> date | None:
    """A date cell, or text written dd/mm/yyyy (or yyyy-mm-dd, as our CSV exports write it)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        result = value.date()
    elif isinstance(value, date):
        result = value
    elif isinstance(value, str):
        typed = value.strip()
        for pattern in _DATE_FORMATS:
            try:
                result = datetime.strptime(typed, pattern).date()
                break
            except ValueError:
                continue
        else:
            raise ValueProblem(_("'%(value)s' is not a date (write it as dd/mm/yyyy)") % {"value": typed})
    else:
        raise ValueProblem(_("'%(value)s' is not a date (write it as dd/mm/yyyy)") % {"value": value})
    if today is not None and result > today:
        raise ValueProblem(_("the date %(date)s is in the future") % {"date": format_date(result)})
    return result


def yes_no(value, *, default: bool | None = False) -> bool | None:
    """ "Có"/"không" and their usual variants (c/k, x, yes/no, 1/0, đúng/sai); empty → `default`."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return default
    if isinstance(value, bool):
        return value
    word = fold(str(int(value)) if isinstance(value, float) and value.is_integer() else str(value))
    if word in YES_WORDS:
        return True
    if word in NO_WORDS:
        return False
    raise ValueProblem(_("'%(value)s' is not yes or no (write 'Có' or 'Không')") % {"value": _quoted(value)})


class Lookup:
    """Names of a fixed list (villages, choices, ethnic groups…) → the value to store.

    Names match without regard to case, diacritics or spacing, so "lang kon mo" finds "Làng Kon Mơ";
    `shown` is the list offered in the template's dropdown and named in the error message.
    """

    def __init__(self, pairs: Iterable[tuple[str, object]], *, what: str, shown: list[str] | None = None):
        self.what = what  # "the commune's villages", translated
        self.by_key: dict[str, object] = {}
        self.names: dict[object, str] = {}  # each value's first name, to show it back
        names = []
        for name, value in pairs:
            if not name:
                continue
            self.names.setdefault(value, str(name))
            key = fold(str(name))
            if key not in self.by_key:
                self.by_key[key] = value
                names.append(str(name))
        self.shown = shown if shown is not None else names

    def find(self, value):
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        typed = text(value, max_length=1000)
        key = fold(typed)
        if key in self.by_key:
            return self.by_key[key]
        raise ValueProblem(self.unknown(typed))

    def unknown(self, typed: str) -> str:
        if len(self.shown) <= 12:
            return _("'%(value)s' is not in %(what)s (%(choices)s)") % {
                "value": typed,
                "what": self.what,
                "choices": ", ".join(self.shown),
            }
        return _("'%(value)s' is not in %(what)s") % {"value": typed, "what": self.what}

    def find_many(self, value, *, separators: str = ";\n") -> list:
        """Several names in one cell, separated by ";" or new lines; each must be known."""
        if value is None:
            return []
        typed = text(value, max_length=5000)
        parts = [part.strip() for part in re.split(f"[{re.escape(separators)}]", typed)]
        found, unknown = [], []
        for part in parts:
            if not part:
                continue
            key = fold(part)
            if key in self.by_key:
                if self.by_key[key] not in found:
                    found.append(self.by_key[key])
            else:
                unknown.append(part)
        if unknown:
            raise ValueProblem(
                _("%(values)s: not in %(what)s")
                % {"values": ", ".join(f"'{part}'" for part in unknown), "what": self.what}
            )
        return found


def choice_lookup(choices, *, what: str, extra: dict[str, str] | None = None) -> Lookup:
    """A model's choices by their Vietnamese label, their English label and their stored code."""
    from django.utils.translation import override

    pairs = []
    with override("vi"):
        shown = [str(label) for _value, label in choices]
        pairs += [(str(label), value) for value, label in choices]
    with override("en"):
        pairs += [(str(label), value) for value, label in choices]
    pairs += [(value, value) for value, _label in choices]
    pairs += list((extra or {}).items())
    return Lookup(pairs, what=what, shown=shown)


def folded(value) -> str:
    return fold(str(value)) if value is not None else ""
