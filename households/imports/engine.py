"""Third layer: a whole file checked against the database, then written in bulk.

`check()` reads the file (`reading`), parses every cell (`values`), looks every name up in tables
the importer loaded with a fixed number of queries, and sorts each row into new / updated /
unchanged / invalid, with every problem as "Dòng 17, cột 'Làng': …". It writes nothing.

`apply()` checks the same file again and writes it inside one transaction with bulk queries:
nothing when a row is invalid (unless the officer chose to import only the valid rows), nothing
when a row it would change was changed by someone after the officer's check.

An importer (one per list, `Importer` subclasses) knows its columns, how to load what it needs,
how to turn one row into a `Change`, and how to write a batch of changes.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from households.codes import is_example_code
from households.imports import values
from households.imports.reading import ImportFileError, SourceRow, read_table  # noqa: F401 (re-exported)
from povertyplan.formatting import format_number

PROGRESS_EVERY = 500  # rows between two progress reports
BATCH_SIZE = 500  # rows per INSERT/UPDATE: big enough to be fast, small enough for SQLite's limits
# Changed rows the check keeps field by field for its page (the flagged ones first); the others are
# counted. Bounded so that a job's stored summary stays small whatever the file's size.
PREVIEW_UPDATES = 100

# The lists that can be imported, in the order the page offers them; each importer lives with its
# model's app.
IMPORTERS = {
    "households": "households.imports.kinds.HouseholdImporter",
    "members": "households.imports.kinds.MemberImporter",
    "assessments": "households.imports.kinds.AssessmentImporter",
    "exit-registrations": "plans.imports.ExitRegistrationImporter",
    "assignments": "assignments.imports.AssignmentImporter",
}


class ImportRefused(Exception):
    """The import cannot be written as it is; `message` is for the officer (translated)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ImportColumn:
    key: str  # stable English identifier
    header: str  # translated; the same text in the template, the export and the error messages
    required: bool = False
    help: str = ""  # what to write, for the template's instructions sheet
    example: object = None  # the template's example row
    choices: list[str] | None = None  # fixed values: a dropdown in the template
    read: bool = True  # False: a column of the export that the import knows but does not use


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str  # the column's header, "" for the row as a whole
    message: str  # complete sentence: "Dòng 17, cột 'Làng': …"


@dataclass
class Change:
    """What one valid row does. `instance` is the row to write (new or existing, already updated)."""

    row: int
    key: tuple
    action: str  # "new", "updated" or "unchanged"
    instance: object
    extra: dict = field(default_factory=dict)  # what the importer needs to write it (many-to-many…)
    before: datetime | None = None  # the existing row's updated_at, to detect a later edit
    # For the officer's preview of what the row changes in stored records:
    subject: str = ""  # the household as stored: "KLK-0001 – Đinh Văn Hliêu"
    item: str = ""  # which of its records, "" for the household itself: "Thành viên số 2: …"
    diff: list = field(default_factory=list)  # [header, old, new, flagged] per changed field
    alert: str = ""  # a change that usually means a wrong code: "Đổi chủ hộ — kiểm tra lại mã hộ"


class Row:
    """One source row as the importer reads it: each `get` parses a cell or records the problem."""

    def __init__(
        self,
        source: SourceRow,
        columns: dict[str, ImportColumn],
        problems: list[RowProblem],
        broken: set[str] = frozenset(),
    ):
        self.number = source.number
        self.columns = columns
        self._values = source.values
        self._problems = problems
        self._broken = broken  # headers of cells `reading` already reported (formula without value…)
        self.warnings: list[str] = []
        self.valid = not broken

    def has(self, key: str) -> bool:
        """Whether the file has this column at all (a missing optional column leaves data as it is)."""
        return self.columns[key].header in self._values

    def raw(self, key: str):
        return self._values.get(self.columns[key].header)

    def get(self, key: str, parser: Callable, *args, **kwargs):
        """The parsed cell, or None after recording the problem."""
        if self.columns[key].header in self._broken:
            return None
        try:
            return parser(self.raw(key), *args, **kwargs)
        except values.ValueProblem as problem:
            self.problem(key, problem.reason)
            return None

    def required(self, key: str, parser: Callable, *args, **kwargs):
        """Like `get`, and an empty cell is a problem too."""
        if self.columns[key].header in self._broken:
            return None
        try:
            value = parser(self.raw(key), *args, **kwargs)
        except values.ValueProblem as problem:
            self.problem(key, problem.reason)
            return None
        if value is None or value == "":
            self.problem(key, _("this column must not be empty"))
        return value

    def problem(self, key: str | None, reason: str) -> None:
        self.valid = False
        self._problems.append(row_problem(self.number, self.columns[key].header if key else "", reason))

    def warn(self, key: str | None, reason: str) -> None:
        self.warnings.append(row_message(self.number, self.columns[key].header if key else "", reason))


def row_message(row: int, column: str, reason: str) -> str:
    if column:
        return _("Row %(row)s, column '%(column)s': %(reason)s") % {
            "row": row,
            "column": column,
            "reason": reason,
        }
    return _("Row %(row)s: %(reason)s") % {"row": row, "reason": reason}


def row_problem(row: int, column: str, reason: str) -> RowProblem:
    return RowProblem(row=row, column=column, message=row_message(row, column, reason))


class Importer:
    """One importable list. Subclasses set `name`, `model_path` and implement the four steps."""

    name = ""
    model_path = ""
    # The column whose example is the templates' mark (households.codes): a row whose cell there is
    # the mark is the template's example, skipped wherever it is in the file.
    example_key = "household_code"

    def __init__(self, *, commune, user, today: date):
        self.commune = commune
        self.user = user
        self.today = today

    @property
    def title(self) -> str:
        from django.utils.text import capfirst

        from households.models import ImportJob

        return capfirst(str(ImportJob.Kind(self.name).label))

    def columns(self) -> list[ImportColumn]:
        raise NotImplementedError

    def load(self, rows: list[SourceRow]) -> None:
        """Read everything the rows refer to, with a number of queries that does not grow per row."""
        raise NotImplementedError

    def change(self, row: Row) -> Change | None:
        """The row as a change, or None when `row` recorded a problem."""
        raise NotImplementedError

    def write(self, changes: list[Change]) -> None:
        """Write the new and updated rows (the caller holds the transaction)."""
        raise NotImplementedError

    def duplicate_reason(self, key: tuple, first_row: int) -> str:
        return _("the same record is already in row %(row)s of this file") % {"row": first_row}

    def check_together(self, changes: list[Change], problems: list[RowProblem]) -> set[int]:
        """Rules across rows (beyond duplicates); returns the rows found invalid."""
        return set()


@dataclass
class CheckResult:
    kind: str
    title: str
    total: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    invalid: int = 0
    examples: list[int] = field(default_factory=list)  # the template's example rows, skipped
    notes: list[str] = field(default_factory=list)  # what was skipped and why, for the officer
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    invalid_rows: list[int] = field(default_factory=list)
    importer: Importer | None = None
    columns: list[ImportColumn] = field(default_factory=list)
    rows: list[SourceRow] = field(default_factory=list)

    def summary(self) -> dict:
        """The counts and messages to keep (JSON-serialisable)."""
        changing = sorted((c for c in self.changes if c.diff), key=lambda c: (not c.alert, c.row))
        listed = changing[:PREVIEW_UPDATES]
        return {
            "total": self.total,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "invalid": self.invalid,
            "examples": self.examples,
            "notes": self.notes,
            "problems": [[p.row, p.column, p.message] for p in self.problems],
            "warnings": self.warnings,
            "updates": [
                {"row": c.row, "household": c.subject, "item": c.item, "alert": c.alert, "fields": c.diff}
                for c in listed
            ],
            "updates_more": len(changing) - len(listed),
            "alerts": sum(1 for change in changing if change.alert),
        }


def importer_for(kind: str, *, commune, user, today: date | None = None) -> Importer:
    path = IMPORTERS.get(kind)
    if path is None:
        raise KeyError(kind)
    return import_string(path)(commune=commune, user=user, today=today or timezone.localdate())


def _other_language_headers(importer: Importer, columns: list[ImportColumn]) -> dict[str, str]:
    """A file made with the application in the other language (English headers) is read as well."""
    current = translation.get_language() or settings.LANGUAGE_CODE
    other = "en" if current.startswith("vi") else "vi"
    with translation.override(other):
        others = importer.columns()
    by_key = {column.key: column.header for column in columns}
    return {column.header: by_key[column.key] for column in others if column.key in by_key}


def check(
    *,
    kind: str,
    commune,
    user,
    file_bytes: bytes,
    filename: str,
    today: date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> CheckResult:
    """Dry run: every row checked against the database, nothing written. Raises `ImportFileError`."""
    importer = importer_for(kind, commune=commune, user=user, today=today)
    columns = importer.columns()
    by_key = {column.key: column for column in columns}
    read = read_table(
        file_bytes,
        filename,
        required_columns=[column.header for column in columns if column.required],
        known_columns=[column.header for column in columns],
        max_rows=settings.IMPORT_MAX_ROWS,
        max_bytes=settings.IMPORT_MAX_BYTES,
        aliases=_other_language_headers(importer, columns),
    )
    result = CheckResult(kind=kind, title=importer.title, total=len(read.rows), importer=importer)
    result.columns, result.rows = columns, read.rows
    result.warnings = list(read.warnings)
    marked = by_key.get(importer.example_key)
    if marked is not None:
        result.examples = [s.number for s in read.rows if is_example_code(s.values.get(marked.header))]
        result.notes = [
            _("Row %(row)s is the template's example row: skipped.") % {"row": number}
            for number in result.examples
        ]
    examples = set(result.examples)
    problems = result.problems
    for error in read.cell_errors:
        if error.row not in examples:
            problems.append(RowProblem(row=error.row, column=error.column, message=error.message))
    importer.load([source for source in read.rows if source.number not in examples])
    broken: dict[int, set[str]] = {}
    for error in read.cell_errors:
        broken.setdefault(error.row, set()).add(error.column)
    seen: dict[tuple, int] = {}
    for index, source in enumerate(read.rows, start=1):
        if source.number not in examples:
            row = Row(source, by_key, problems, broken.get(source.number, frozenset()))
            change = importer.change(row)
            result.warnings += row.warnings
            if change is not None and change.key in seen:
                row.problem(None, importer.duplicate_reason(change.key, seen[change.key]))
            elif change is not None:
                seen[change.key] = source.number
            if row.valid and change is not None:
                result.changes.append(change)
        if progress and index % PROGRESS_EVERY == 0:
            progress(index, result.total)
    invalid_rows = {problem.row for problem in problems}
    invalid_rows |= importer.check_together(result.changes, problems)
    result.changes = [change for change in result.changes if change.row not in invalid_rows]
    problems.sort(key=lambda problem: problem.row)
    result.invalid_rows = sorted(invalid_rows)
    result.invalid = len(invalid_rows)
    for change in result.changes:
        setattr(result, change.action, getattr(result, change.action) + 1)
    if progress:
        progress(result.total, result.total)
    return result


def apply(
    *,
    kind: str,
    commune,
    user,
    file_bytes: bytes,
    filename: str,
    valid_only: bool = False,
    checked_at: datetime | None = None,
    today: date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> CheckResult:
    """Check the file again and write it in one transaction. Raises `ImportFileError` or
    `ImportRefused` (and then nothing is written)."""
    result = check(
        kind=kind,
        commune=commune,
        user=user,
        file_bytes=file_bytes,
        filename=filename,
        today=today,
        progress=progress,
    )
    if result.invalid and not valid_only:
        raise ImportRefused(
            ngettext(
                "%(count)s row has errors: nothing was imported. Correct the file, or choose to "
                "import only the valid rows.",
                "%(count)s rows have errors: nothing was imported. Correct the file, or choose to "
                "import only the valid rows.",
                result.invalid,
            )
            % {"count": format_number(result.invalid)}
        )
    if checked_at is not None:
        changed = [c.row for c in result.changes if c.before is not None and c.before > checked_at]
        if changed:
            raise ImportRefused(
                _(
                    "Rows %(rows)s of the file concern records that were changed after your check. "
                    "Nothing was imported: check the file again to see the current data."
                )
                % {"rows": ", ".join(str(row) for row in changed[:10])}
            )
    writes = [change for change in result.changes if change.action != "unchanged"]
    with transaction.atomic():
        result.importer.write(writes)
    return result
