"""What the importers share: headers, the commune check, households by code, the preview of a
changed row, many-to-many writes."""

from collections.abc import Callable
from datetime import date

from django.db import models
from django.utils import timezone
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _

from households.codes import example_code
from households.imports import values
from households.imports.engine import BATCH_SIZE, Change, ImportColumn, Row
from households.models import Household
from povertyplan.formatting import format_date

EMPTY = "—"  # an empty value in the preview
PREVIEW_CHARS = 80  # a long note is cut in the preview (the summary is stored with the job)


def header(model, name: str) -> str:
    """A column's header: the field's translated name, exactly as the exports write it."""
    return capfirst(str(model._meta.get_field(name).verbose_name))


def yes_no_choices() -> list[str]:
    return [_("Yes"), _("No")]


def household_code_column(help_text: str = "") -> ImportColumn:
    return ImportColumn(
        "household_code",
        header(Household, "code"),
        required=True,
        help=help_text or _("The household's code in the commune's registry."),
        example=example_code(),  # never a real code: the import skips the example row
    )


def context_columns() -> list[ImportColumn]:
    """Columns the exports of the other lists carry (commune, village, head) and the imports skip."""
    return [
        ImportColumn("commune", header(Household, "commune")),
        ImportColumn("village", header(Household, "village"), read=False),
        ImportColumn("head_name", header(Household, "head_name"), read=False),
    ]


class HouseholdLookups:
    """The commune's households by code (one query), for the lists that refer to them."""

    def __init__(self, commune):
        households = Household.objects.filter(commune=commune)
        self.by_code = {household.code.casefold(): household for household in households}

    def find(self, row: Row, key: str = "household_code") -> Household | None:
        code = row.required(key, values.text, max_length=30)
        if not code:
            return None
        household = self.by_code.get(code.casefold())
        if household is None:
            row.problem(
                key, _("there is no household with the code '%(code)s' in the commune") % {"code": code}
            )
        return household


def apply_fields(
    instance,
    fields: dict,
    *,
    names: dict[str, dict] | None = None,
    formats: dict[str, Callable] | None = None,
    flagged: frozenset[str] = frozenset(),
) -> list[list]:
    """Set the fields whose value differs; returns the preview line of each, [header, old, new,
    flagged], old and new as the officer reads them.

    Related rows are compared by primary key, and an old related row is named from `names`
    (field → {pk: name}) unless it is already loaded, so that a changed row costs no query.
    `formats` shows a field's values its own way (money, a hidden number).
    """
    lines = []
    for name, value in fields.items():
        field = instance._meta.get_field(name)
        if field.is_relation:
            current = getattr(instance, field.attname)
            wanted = value.pk if isinstance(value, models.Model) else value
            old = field.get_cached_value(instance) if field.is_cached(instance) else current
        else:
            current = old = getattr(instance, name)
            wanted = value
        if current == wanted:
            continue
        setattr(instance, name, value)
        shown = [
            shown_value(field, item, (names or {}).get(name), (formats or {}).get(name))
            for item in (old, value)
        ]
        lines.append([header(type(instance), name), *shown, name in flagged])
    return lines


def shown_value(field, value, names: dict | None = None, formatted: Callable | None = None) -> str:
    """A value as the preview shows it: "—", "Có", "15/03/2024", a choice's label, a name."""
    if value is None or value == "":
        return EMPTY
    if formatted is not None:
        text = formatted(value)
    elif isinstance(value, models.Model):
        text = getattr(value, "full_name", None) or getattr(value, "name", None) or str(value)
    elif field.is_relation:
        text = (names or {}).get(value, str(value))
    elif isinstance(value, bool):
        text = _("Yes") if value else _("No")
    elif isinstance(value, date):
        text = format_date(value)
    elif field.choices:
        text = str(dict(field.flatchoices).get(value, value))
    else:
        text = str(value)
    return Truncator(text).chars(PREVIEW_CHARS)


def names_line(label: str, lookup: values.Lookup, old: set, new: set) -> list:
    """The preview line of a many-to-many (causes, needs): the names, in the list's order."""
    shown = [
        "; ".join(name for value, name in lookup.names.items() if value in chosen) or EMPTY
        for chosen in (old, new)
    ]
    return [label, *shown, False]


def reference_lookup(model, what: str) -> values.Lookup:
    """Causes or needs by their Vietnamese name, English name or code (the dropdown offers those in use)."""
    items = list(model.objects.all())
    pairs = [(item.name, item.pk) for item in items] + [(item.name_en, item.pk) for item in items]
    pairs += [(item.code, item.pk) for item in items]
    return values.Lookup(pairs, what=what, shown=[item.name for item in items if item.active])


def check_commune(row: Row, commune) -> None:
    """A file exported from another commune must not be loaded into this one."""
    if not row.has("commune"):
        return
    written = row.get("commune", values.text, max_length=200)
    # Worked out once per import: full_name goes through the translations.
    names = commune.__dict__.get("_import_names")
    if names is None:
        names = commune._import_names = {values.folded(commune.name), values.folded(commune.full_name)}
    if written and values.folded(written) not in names:
        row.problem(
            "commune",
            _("the row belongs to '%(written)s', not to %(commune)s")
            % {"written": written, "commune": commune.full_name},
        )


def bulk_save(model, changes: list[Change], fields: list[str], *, user) -> None:
    """Insert the new rows and update the changed ones in batches, stamped with who and when
    (bulk writes skip `auto_now`)."""
    now = timezone.now()
    for change in changes:
        change.instance.updated_by, change.instance.updated_at = user, now
        if change.action == "new":
            change.instance.created_at = now
    model.objects.bulk_create([c.instance for c in changes if c.action == "new"], batch_size=BATCH_SIZE)
    updated = [change.instance for change in changes if change.action == "updated"]
    model.objects.bulk_update(updated, [*fields, "updated_by", "updated_at"], batch_size=BATCH_SIZE)


def replace_links(descriptor, changes: list[Change], name: str, target_column: str) -> None:
    """Set a many-to-many of the changed rows in bulk: their old links deleted, the new ones inserted."""
    through = descriptor.through
    source_column = f"{descriptor.field.model._meta.model_name}_id"
    touched = [change for change in changes if change.extra.get(name) is not None]
    if not touched:
        return
    existing = [change.instance.pk for change in touched if change.action != "new"]
    for start in range(0, len(existing), BATCH_SIZE):
        through.objects.filter(**{f"{source_column}__in": existing[start : start + BATCH_SIZE]}).delete()
    links = [
        through(**{source_column: change.instance.pk, target_column: target})
        for change in touched
        for target in sorted(change.extra[name])
    ]
    through.objects.bulk_create(links, batch_size=BATCH_SIZE)
