"""django-import-export in the admin: Vietnamese cells for the resources, audited exports, and the
link to the application's import page.

The officers do not get the library's import form. It checks and saves one row at a time (several
queries per row: slow for a commune's thousands of households) and knows nothing of TCVN3 files,
text encodings or formula cells. The application's import page (IMPORT_PAGE, households.imports)
reads the whole file, reports every problem by row and column, and only then writes, in bulk, in
one transaction. The changelists link there instead.

Cells are written as the page exports write them (households.exports): headers are the fields'
capfirst(verbose_name), foreign keys by name, choices by their label, "Có"/"Không", dates
dd/mm/yyyy, and formula-looking text gets a leading quote (povertyplan.spreadsheet): the library's
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT only strips a leading "=", which leaves "+", "-" and "@".
"""

import datetime

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_noop
from import_export import widgets
from import_export.admin import ExportMixin
from import_export.forms import ExportForm

from accounts.selectors import scope_for_user
from households import exports
from households.imports import values
from households.imports.kinds.common import header
from households.models import ExportRecord
from povertyplan.formatting import format_number
from povertyplan.roles import Role
from povertyplan.spreadsheet import csv_text, looks_like_formula, xlsx_text

# A column's header, translated when it is used (resources are built once, used in any language).
column = lazy(header, str)

DATE_FORMAT = "%d/%m/%Y"
IMPORT_PAGE = "households:imports"  # the upload page; `?kind=` names the list

# django-import-export ships no Vietnamese. The strings its export page shows are listed here so that
# makemessages keeps them in our catalogue, whose translations win over an app's (LOCALE_PATHS).
LIBRARY_STRINGS = (
    gettext_noop("Export"),
    gettext_noop("Format"),
    gettext_noop("Submit"),
    gettext_noop("This exporter will export the following fields: "),
)


# Cells ---------------------------------------------------------------------------------------


def _cell_text(value) -> str:
    return csv_text(xlsx_text(value))


class Text(widgets.Widget):
    """Text as stored; formula-looking text leaves with a leading quote and comes back without it."""

    def __init__(self, max_length: int = 10_000):
        super().__init__()
        self.max_length = max_length

    def clean(self, value, row=None, **kwargs):
        typed = values.text(value, max_length=self.max_length + 1)
        if typed.startswith("'") and looks_like_formula(typed[1:]):
            typed = typed[1:]
        return values.text(typed, max_length=self.max_length)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None or value == "" else _cell_text(value)


class Number(widgets.Widget):
    """A whole number, as digits (no thousands separator, so that every spreadsheet reads it)."""

    def clean(self, value, row=None, **kwargs):
        return values.whole_number(value)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class YesNo(widgets.Widget):
    """A boolean as "Có"/"Không"; the usual variants (c/k, x, 1/0…) are read back."""

    def clean(self, value, row=None, **kwargs):
        return values.yes_no(value, default=False)

    def render(self, value, obj=None, **kwargs):
        return gettext("Yes") if value else gettext("No")


class Label(widgets.Widget):
    """A choice by its translated label; read back by label (Vietnamese or English) or code."""

    def __init__(self, choices):
        super().__init__()
        self.choices = list(choices)
        self._lookup = None

    def clean(self, value, row=None, **kwargs):
        if self._lookup is None:
            self._lookup = values.choice_lookup(self.choices, what=gettext("the allowed values"))
        return self._lookup.find(value) or ""

    def render(self, value, obj=None, **kwargs):
        labels = dict(self.choices)
        return str(labels.get(value, value or ""))


class Day(widgets.Widget):
    """A date as dd/mm/yyyy text (a moment as its local date: spreadsheets have no time zones)."""

    def clean(self, value, row=None, **kwargs):
        return values.day(value)

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        if isinstance(value, datetime.datetime):
            value = timezone.localdate(value)
        return value.strftime(DATE_FORMAT)


class Named(widgets.Widget):
    """A related row by its name (`attribute`), looked up ignoring case and diacritics.

    The names are read once per widget, so that an import does not query once per row.
    """

    def __init__(self, queryset, attribute: str = "name"):
        super().__init__()
        self.queryset = queryset
        self.attribute = attribute
        self._lookup = None

    def lookup(self) -> values.Lookup:
        if self._lookup is None:
            pairs = [(getattr(item, self.attribute), item) for item in self.queryset]
            self._lookup = values.Lookup(pairs, what=gettext("the allowed values"))
        return self._lookup

    def clean(self, value, row=None, **kwargs):
        return self.lookup().find(value)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else _cell_text(getattr(value, self.attribute))


class Names(widgets.ManyToManyWidget):
    """A many-to-many as names joined by "; " (as the page exports write it)."""

    def __init__(self, model, attribute: str = "name"):
        super().__init__(model, field=attribute)
        self.named = Named(model._default_manager.all(), attribute)

    def clean(self, value, row=None, **kwargs):
        return self.named.lookup().find_many(value)

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return _cell_text("; ".join(getattr(item, self.field) for item in value.all()))


# Admin ---------------------------------------------------------------------------------------

LIST_NAMES = {spec.model_path: name for name, spec in exports.LISTS.items()}


class AuditedExportMixin(ExportMixin):
    """The library's admin export of the changelist's rows (the admin's scoped queryset, filters and
    search applied), for the roles that may export on the pages, recorded as an ExportRecord."""

    export_form_class = ExportForm  # the format only: the columns are the list's, as on the pages
    to_encoding = "utf-8-sig"  # CSV with a BOM, so that Excel reads Vietnamese right

    def has_export_permission(self, request):
        return super().has_export_permission(request) and exports.exports_allowed_to(user=request.user)

    def export_action(self, request):
        # The library builds the whole file in memory: past a commune's size, send the officer to
        # the streamed exports of the pages instead of letting one request take hundreds of MB.
        if request.method == "POST" and self.has_export_permission(request):
            rows = self.get_export_queryset(request).count()
            if rows > settings.ADMIN_EXPORT_MAX_ROWS:
                messages.error(
                    request,
                    gettext(
                        "This list has %(rows)s rows, more than the admin exports at once "
                        "(%(limit)s). Download it from the exports under the household list, "
                        "which have no such limit."
                    )
                    % {"rows": format_number(rows), "limit": format_number(settings.ADMIN_EXPORT_MAX_ROWS)},
                )
                return redirect(request.get_full_path())
        return super().export_action(request)

    def get_data_for_export(self, request, queryset, **kwargs):
        dataset = super().get_data_for_export(request, queryset, **kwargs)
        request.exported_rows = len(dataset)  # for the record written once the file is built
        return dataset

    def get_export_data(self, file_format, request, queryset, **kwargs):
        data = super().get_export_data(file_format, request, queryset, **kwargs)
        scope = scope_for_user(request.user)
        ExportRecord.objects.create(
            user=request.user,
            username=request.user.get_username(),
            list_name=LIST_NAMES.get(self.model._meta.label, self.model._meta.model_name),
            fmt=file_format.get_extension(),
            rows=request.exported_rows,
            commune=scope.official.commune if scope.role == Role.COMMUNE_OFFICER else None,
            source=ExportRecord.Source.ADMIN,
        )
        return data


class ImportPageLinkMixin:
    """An "Import from Excel" button on the changelist, to the application's import page (not the
    library's import form: see this module's docstring)."""

    change_list_template = "admin/change_list_import_link.html"
    import_kind: str | None = None  # households.ImportJob.Kind of the list

    def import_page_url(self, request) -> str | None:
        if not self.import_kind or not request.user.has_perm("households.import_lists"):
            return None
        try:
            return f"{reverse(IMPORT_PAGE)}?kind={self.import_kind}"
        except NoReverseMatch:  # the import page is not installed: no button
            return None

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "import_url": self.import_page_url(request)}
        return super().changelist_view(request, extra_context)
