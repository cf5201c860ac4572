"""Every list as CSV or XLSX: households, members, review results, exit registrations, assignments
and support actions, for the roles that read whole communes.

- Rows come only from the user's households (`selectors.household_list_for_user`, archived ones
  included); the other lists are filtered by `household__in` that queryset.
- Rows are read with `.iterator(chunk_size=CHUNK_SIZE)` and `select_related` (prefetches run once
  per chunk), and written one by one, so memory stays flat and the query count does not grow with
  the rows. django-import-export's exports build the whole file in memory (tablib), hence this.
- Headers are the models' translated `verbose_name`s; every translated string (headers, choice
  labels, yes/no) is computed when the export is prepared, inside the request, so the rows written
  later by a streaming response need no active language.
- National ID numbers are masked unless `permissions.national_id_visible_to(user)`.
- Formula-looking text never becomes a formula (`povertyplan.spreadsheet`): a quote in CSV, the
  string type (and Excel's quote prefix) in XLSX.
"""

import csv
import datetime
import logging
import operator
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from accounts.selectors import scope_for_user
from households import permissions, selectors
from households.models import Assessment, Commune, Household, Indicator, Member, PovertyStandard
from povertyplan.roles import Role
from povertyplan.spreadsheet import csv_text, looks_like_formula, xlsx_text
from povertyplan.text import fold, nfc

logger = logging.getLogger(__name__)

CHUNK_SIZE = 2000
CSV_LINES_PER_CHUNK = 100  # lines joined into one write: fewer, larger writes to the socket
FORMATS = ("csv", "xlsx")
# Roles that read whole communes. Officials follow their own households on their own pages.
EXPORT_ROLES = (Role.ADMINISTRATOR, Role.COMMUNE_OFFICER, Role.UPPER_OFFICE)
DATE_FORMAT = "dd/mm/yyyy"
SHEET_NAME_LIMIT = 31


def exports_allowed_to(*, user) -> bool:
    """Whether the user may export the lists (rows are still limited to their households)."""
    return scope_for_user(user).role in EXPORT_ROLES


# --- columns ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str  # stable English identifier (tests, a later importer), never shown
    header: str  # already translated
    value: Callable[[Any], Any]  # row object → str, int, Decimal, date or None
    width: float = 14


@dataclass(frozen=True)
class Context:
    """What the column definitions may depend on, computed once per export."""

    households: QuerySet[Household]
    show_national_id: bool
    english: bool


def _field(model: type[Model], name: str):
    return model._meta.get_field(name)


def _header(model: type[Model], name: str) -> str:
    return capfirst(str(_field(model, name).verbose_name))


def _getter(path: str) -> Callable[[Any], Any]:
    return operator.attrgetter(path)


def plain(model, name, *, path: str = "", key: str = "", width: float = 14) -> Column:
    """A field as it is stored (text, number, date)."""
    return Column(key or name, _header(model, name), _getter(f"{path}{name}"), width)


def choice(model, name, *, path: str = "", width: float = 16) -> Column:
    """A choice field by its translated label (labels translated once, not per row)."""
    labels = {value: str(label) for value, label in _field(model, name).choices}
    get = _getter(f"{path}{name}")
    return Column(name, _header(model, name), lambda row: labels.get(get(row), get(row)) or None, width)


def flag(model, name, *, path: str = "", width: float = 10) -> Column:
    yes, no = _("Yes"), _("No")
    get = _getter(f"{path}{name}")
    return Column(name, _header(model, name), lambda row: yes if get(row) else no, width)


def related_name(
    model, name, *, path: str = "", attr: str = "name", key: str = "", width: float = 18
) -> Column:
    """A foreign key by the related row's name (empty when there is none)."""
    get = _getter(f"{path}{name}")

    def value(row):
        related = get(row)
        return getattr(related, attr) if related is not None else None

    return Column(key or name, _header(model, name), value, width)


def local_date(model, name, *, path: str = "", width: float = 12) -> Column:
    """A date-time as the local date (Excel cannot hold time zones)."""
    get = _getter(f"{path}{name}")

    def value(row):
        moment = get(row)
        return timezone.localdate(moment) if moment is not None else None

    return Column(name, _header(model, name), value, width)


def reference_names(model, name, *, english: bool, width: float = 30) -> Column:
    """A many-to-many to a reference list (prefetched per chunk), names joined by "; "."""

    def value(row):
        items = getattr(row, name).all()
        return "; ".join((item.name_en if english and item.name_en else item.name) for item in items) or None

    return Column(name, _header(model, name), value, width)


def household_columns(path: str = "household.") -> list[Column]:
    """Where a row of a related list belongs: commune, village, household code and head."""
    return [
        related_name(Household, "commune", path=path, key="commune"),
        related_name(Household, "village", path=path, key="village"),
        plain(Household, "code", path=path, key="household_code", width=12),
        plain(Household, "head_name", path=path, key="head_name", width=24),
    ]


# --- the lists -------------------------------------------------------------------------------------


def _household_rows(households: QuerySet[Household]) -> QuerySet:
    return households.prefetch_related("causes", "needs").order_by(
        "commune__name", "village__name", "code", "pk"
    )


def _household_columns(context: Context) -> list[Column]:
    return [
        *household_columns(path=""),
        plain(Household, "address", width=24),
        related_name(Household, "head_ethnicity"),
        flag(Household, "is_ethnic_minority"),
        flag(Household, "is_indigenous"),
        choice(Household, "area", width=10),
        flag(Household, "is_merit_family"),
        flag(Household, "has_no_labour_capacity"),
        flag(Household, "is_female_head"),
        plain(Household, "phone", width=14),
        reference_names(Household, "causes", english=context.english),
        reference_names(Household, "needs", english=context.english),
        plain(Household, "notes", width=30),
        local_date(Household, "archived_at"),
        plain(Household, "archive_reason", width=24),
    ]


def _member_rows(households: QuerySet[Household]) -> QuerySet:
    return (
        Member.objects.filter(household__in=households)
        .select_related("household__commune", "household__village", "ethnicity")
        .order_by("household__commune__name", "household__village__name", "household__code", "number", "pk")
    )


def _member_columns(context: Context) -> list[Column]:
    national_id = _header(Member, "national_id")
    if context.show_national_id:
        id_column = Column("national_id", national_id, operator.attrgetter("national_id"), 14)
    else:
        id_column = Column("national_id", national_id, operator.attrgetter("masked_national_id"), 14)
    return [
        *household_columns(),
        plain(Member, "number", width=8),
        plain(Member, "full_name", width=24),
        plain(Member, "birth_date", width=12),
        plain(Member, "birth_year", width=8),
        choice(Member, "sex", width=8),
        choice(Member, "relation"),
        related_name(Member, "ethnicity"),
        id_column,
        choice(Member, "health_insurance"),
        choice(Member, "schooling"),
        choice(Member, "work"),
    ]


def _assessment_rows(households: QuerySet[Household]) -> QuerySet:
    return (
        Assessment.objects.filter(household__in=households)
        .select_related("household__commune", "household__village", "standard")
        .prefetch_related(Prefetch("deprivations", queryset=Indicator.objects.only("pk")))
        .order_by(
            "household__commune__name", "household__village__name", "household__code", "review_year", "pk"
        )
    )


def _deprived_ids(assessment: Assessment) -> set[int]:
    """The assessment's deprived indicators (prefetched), as a set computed once per row."""
    ids = assessment.__dict__.get("_export_deprived")
    if ids is None:
        ids = assessment._export_deprived = {indicator.pk for indicator in assessment.deprivations.all()}
    return ids


def indicator_columns(context: Context) -> list[Column]:
    """One column per indicator of the standards the exported reviews used ("deprived" or "met").

    With no review yet, the indicators of the latest standard, so that the sheet keeps its shape.
    """
    used = Assessment.objects.filter(household__in=context.households).values("standard_id")
    indicators = list(
        Indicator.objects.filter(standard__in=used)
        .select_related("standard")
        .order_by("-standard__start_year", "number")
    )
    if not indicators:
        latest = PovertyStandard.objects.order_by("-start_year").first()
        indicators = list(latest.indicators.select_related("standard").order_by("number")) if latest else []
    several = len({indicator.standard_id for indicator in indicators}) > 1
    deprived = pgettext("indicator value in a spreadsheet", "deprived")
    met = pgettext("indicator value in a spreadsheet", "met")
    columns = []
    for indicator in indicators:
        name = indicator.name_en if context.english and indicator.name_en else indicator.name
        placeholders = {"number": indicator.number, "name": name, "standard": indicator.standard.code}
        if several:
            header = _("%(standard)s, indicator %(number)s: %(name)s") % placeholders
        else:
            header = _("Indicator %(number)s: %(name)s") % placeholders

        def value(assessment, indicator=indicator):
            if assessment.standard_id != indicator.standard_id:
                return None
            return deprived if indicator.pk in _deprived_ids(assessment) else met

        columns.append(Column(f"indicator_{indicator.standard.code}_{indicator.code}", header, value, 12))
    return columns


def _assessment_columns(context: Context) -> list[Column]:
    return [
        *household_columns(),
        plain(Assessment, "review_year", width=8),
        choice(Assessment, "kind"),
        plain(Assessment, "reviewed_on", width=12),
        related_name(Assessment, "standard", attr="code", width=12),
        plain(Assessment, "income_per_capita_month"),
        plain(Assessment, "b1_score", width=8),
        choice(Assessment, "computed_classification"),
        choice(Assessment, "classification"),
        plain(Assessment, "adjustment_reason", width=30),
        *indicator_columns(context),
    ]


def _exit_registration_rows(households: QuerySet[Household]) -> QuerySet:
    from plans.models import ExitRegistration  # plans depends on this app, not the reverse

    return (
        ExitRegistration.objects.filter(household__in=households)
        .select_related("plan", "household__commune", "household__village")
        .order_by(
            "household__commune__name", "plan__year", "household__village__name", "household__code", "pk"
        )
    )


def _exit_registration_columns(context: Context) -> list[Column]:
    from plans.models import ExitRegistration, Plan

    return [
        *household_columns(),
        Column("plan_year", _header(Plan, "year"), operator.attrgetter("plan.year"), 8),
        plain(ExitRegistration, "registered_on", width=12),
        choice(ExitRegistration, "status"),
        plain(ExitRegistration, "needs", width=30),
        plain(ExitRegistration, "commitment", width=30),
        plain(ExitRegistration, "status_note", width=24),
    ]


def _assignment_rows(households: QuerySet[Household]) -> QuerySet:
    from assignments.models import Assignment  # assignments depends on this app, not the reverse

    return (
        Assignment.objects.filter(household__in=households)
        .select_related("plan", "official", "household__commune", "household__village")
        .order_by(
            "household__commune__name",
            "plan__year",
            "household__village__name",
            "household__code",
            "started_on",
            "pk",
        )
    )


def _assignment_columns(context: Context) -> list[Column]:
    from assignments.models import Assignment
    from plans.models import Plan

    return [
        *household_columns(),
        Column("plan_year", _header(Plan, "year"), operator.attrgetter("plan.year"), 8),
        related_name(Assignment, "official", attr="full_name", width=24),
        plain(Assignment, "started_on", width=12),
        plain(Assignment, "ended_on", width=12),
        plain(Assignment, "end_reason", width=24),
    ]


def _support_action_rows(households: QuerySet[Household]) -> QuerySet:
    from assignments.models import SupportAction

    return (
        SupportAction.objects.filter(household__in=households)
        .select_related("plan", "official", "household__commune", "household__village")
        .order_by("household__commune__name", "household__village__name", "household__code", "date", "pk")
    )


def _support_action_columns(context: Context) -> list[Column]:
    from assignments.models import SupportAction
    from plans.models import Plan

    return [
        Column("entry", _("Entry no."), operator.attrgetter("pk"), 8),
        *household_columns(),
        plain(SupportAction, "date", width=12),
        choice(SupportAction, "kind"),
        plain(SupportAction, "description", width=40),
        plain(SupportAction, "quantity", width=10),
        plain(SupportAction, "unit", width=10),
        plain(SupportAction, "value_vnd"),
        choice(SupportAction, "contributor"),
        related_name(SupportAction, "official", attr="full_name", width=24),
        Column(
            "plan_year", _header(Plan, "year"), lambda action: action.plan.year if action.plan else None, 8
        ),
        Column("corrects", _header(SupportAction, "corrects"), operator.attrgetter("corrects_id"), 10),
        flag(SupportAction, "needs_review"),
        plain(SupportAction, "review_reason", width=24),
    ]


@dataclass(frozen=True)
class ListSpec:
    name: str  # the URL slug, ASCII
    model_path: str  # "app_label.Model": its verbose_name_plural is the list's title
    rows: Callable[[QuerySet[Household]], QuerySet]
    columns: Callable[[Context], list[Column]]

    @property
    def title(self) -> str:
        from django.apps import apps

        return capfirst(str(apps.get_model(self.model_path)._meta.verbose_name_plural))


LISTS: dict[str, ListSpec] = {
    spec.name: spec
    for spec in (
        ListSpec("households", "households.Household", _household_rows, _household_columns),
        ListSpec("members", "households.Member", _member_rows, _member_columns),
        ListSpec("assessments", "households.Assessment", _assessment_rows, _assessment_columns),
        ListSpec(
            "exit-registrations",
            "plans.ExitRegistration",
            _exit_registration_rows,
            _exit_registration_columns,
        ),
        ListSpec("assignments", "assignments.Assignment", _assignment_rows, _assignment_columns),
        ListSpec(
            "support-actions", "assignments.SupportAction", _support_action_rows, _support_action_columns
        ),
    )
}


# --- one export ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Export:
    spec: ListSpec
    fmt: str
    title: str
    columns: list[Column]
    rows: QuerySet
    username: str
    commune: Commune | None  # the commune officer's commune (for the file name), else None

    @property
    def headers(self) -> list[str]:
        return [column.header for column in self.columns]

    def values(self) -> Iterator[list]:
        """Each row's values, in column order, read chunk by chunk."""
        columns = self.columns
        for row in self.rows.iterator(chunk_size=CHUNK_SIZE):
            yield [column.value(row) for column in columns]

    def log(self, rows: int) -> None:
        """Log the export and keep its audit record (ExportRecord), once the rows are written."""
        from django.contrib.auth import get_user_model

        from households.models import ExportRecord

        logger.info("export %s by %s rows=%s", f"{self.spec.name}.{self.fmt}", self.username, rows)
        # The export carries the username only; the account is looked up for the record's link.
        user_model = get_user_model()
        user = user_model._default_manager.filter(**{user_model.USERNAME_FIELD: self.username}).first()
        ExportRecord.objects.create(
            user=user,
            username=self.username,
            list_name=self.spec.name,
            fmt=self.fmt,
            rows=rows,
            commune=self.commune,
            source=ExportRecord.Source.PAGE,
        )


def export_for_user(*, user, list_name: str, fmt: str) -> Export:
    """The export of one list for the user: 404 for an unknown list or format, 403 for other roles."""
    spec = LISTS.get(list_name)
    if spec is None or fmt not in FORMATS:
        raise Http404
    if not exports_allowed_to(user=user):
        raise PermissionDenied
    scope = scope_for_user(user)
    households = selectors.household_list_for_user(user=user, include_archived=True)
    context = Context(
        households=households,
        show_national_id=permissions.national_id_visible_to(user=user),
        english=(get_language() or "").startswith("en"),
    )
    return Export(
        spec=spec,
        fmt=fmt,
        title=spec.title,
        columns=spec.columns(context),
        rows=spec.rows(households),
        username=user.get_username(),
        commune=scope.official.commune if scope.role == Role.COMMUNE_OFFICER else None,
    )


def filenames(export: Export, today: datetime.date) -> tuple[str, str]:
    """An ASCII-safe file name and the readable (Vietnamese) one, both dated."""
    day = today.strftime("%Y%m%d")
    ascii_parts, readable_parts = [export.spec.name], [export.title]
    if export.commune is not None:
        ascii_parts.append(fold(export.commune.code or export.commune.name).replace(" ", "-") or "xa")
        readable_parts.append(export.commune.full_name)
    ascii_parts.append(day)
    readable_parts.append(day)
    readable = nfc("".join("-" if char in '/\\:*?"<>|' else char for char in " - ".join(readable_parts)))
    return f"{'-'.join(ascii_parts)}.{export.fmt}", f"{readable}.{export.fmt}"


# --- CSV -------------------------------------------------------------------------------------------


class _Echo:
    """A file for csv.writer that hands each line back instead of storing it."""

    def write(self, line: str) -> str:
        return line


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return csv_text(value)
    if isinstance(value, datetime.date):
        return value.isoformat()  # read the same by every spreadsheet, whatever its locale
    return str(value)


def csv_chunks(export: Export) -> Iterator[str]:
    """The CSV file as text chunks: a UTF-8 BOM (Excel then reads Vietnamese right), the header
    line, then the rows, a few lines per chunk. Logged when done (or when the download stops).
    """
    writer = csv.writer(_Echo())
    rows = 0
    try:
        yield "\ufeff" + writer.writerow([csv_text(header) for header in export.headers])
        lines = []
        for values in export.values():
            lines.append(writer.writerow([_csv_cell(value) for value in values]))
            rows += 1
            if len(lines) >= CSV_LINES_PER_CHUNK:
                yield "".join(lines)
                lines = []
        if lines:
            yield "".join(lines)
    finally:
        export.log(rows)


# --- XLSX ------------------------------------------------------------------------------------------


class _XlsxCells:
    """Cells for a write-only sheet; the few styles are built once and shared by the cells."""

    def __init__(self, sheet):
        self.sheet = sheet
        self.date_style = self._style(number_format=DATE_FORMAT)
        self.quoted_style = self._style(quotePrefix=True)
        self.header_style = self._style(font=Font(bold=True))

    def _style(self, **attributes):
        scratch = WriteOnlyCell(self.sheet)
        for name, value in attributes.items():
            setattr(scratch, name, value)
        return scratch._style

    def _cell(self, value, style):
        cell = WriteOnlyCell(self.sheet)
        # Shared, not copied: a write-only cell is written as soon as its row is appended.
        # Set before the value, so that a date keeps its format.
        cell._style = style
        cell.value = value
        return cell

    def text(self, text: str, style=None):
        cell = self._cell(text, style or self.quoted_style)
        cell.data_type = "s"  # "=…" would otherwise be a formula and "#N/A" an error value
        return cell

    def header(self, text: str):
        return self.text(xlsx_text(text), self.header_style)

    def value(self, value):
        if value is None or isinstance(value, int | Decimal | float):
            return value
        if isinstance(value, datetime.date):
            return self._cell(value, self.date_style)
        text = xlsx_text(value)
        if looks_like_formula(text) or text in ERROR_CODES:
            return self.text(text)
        return text  # plain text: openpyxl stores it as a string


def _sheet_title(title: str) -> str:
    return "".join(char for char in title if char not in "[]:*?/\\")[:SHEET_NAME_LIMIT] or "Sheet"


def write_xlsx(export: Export, out: IO[bytes]) -> int:
    """Write the list as an .xlsx file to `out`, row by row (openpyxl's write-only mode keeps the
    rows in a temporary file, not in memory). Returns the number of rows and logs the export.
    """
    workbook = Workbook(write_only=True)
    workbook.properties.creator = "povertyplan"
    workbook.properties.title = export.title
    sheet = workbook.create_sheet(title=_sheet_title(export.title))
    for index, column in enumerate(export.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    cells = _XlsxCells(sheet)
    sheet.append([cells.header(header) for header in export.headers])
    rows = 0
    for values in export.values():
        sheet.append([cells.value(value) for value in values])
        rows += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(export.columns))}{rows + 1}"
    workbook.save(out)
    export.log(rows)
    return rows
