"""Household codes: the one code no household may take, the code of the import templates' example row.

An example row left in a filled template (people leave it) must never be imported: with a real code it
once overwrote that household. So the example carries this mark instead, in the language the template
was made in, the import skips every row whose household code is the mark (in either language, typed in
any case, with or without diacritics, followed by anything: "ví dụ 2" is a copied example too), and
`Household.clean` refuses it as a code, so that no real household can ever be skipped.
"""

from functools import cache

from django.utils.translation import override, pgettext

from povertyplan.text import fold


def example_code() -> str:
    """The household code the templates' example rows carry: "VÍ DỤ"."""
    return pgettext("household code of the import template's example row", "EXAMPLE")


@cache
def _marks() -> tuple[str, ...]:
    marks = []
    for language in ("vi", "en"):
        with override(language):
            marks.append(fold(example_code()))
    return tuple(dict.fromkeys(marks))


def is_example_code(value) -> bool:
    """Whether a household code cell marks an example row ("VÍ DỤ", "ví dụ 2", "EXAMPLE")."""
    if value is None:
        return False
    folded = fold(str(value))
    return any(folded == mark or folded.startswith(f"{mark} ") for mark in _marks())
