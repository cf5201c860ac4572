"""The commune officer's imports: upload a list, see its check, confirm it (households.imports.jobs)."""

from urllib.parse import quote, urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from households.imports import engine, jobs
from households.models import ImportJob
from povertyplan.formatting import format_number
from povertyplan.text import fold

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def import_kinds() -> list[tuple[str, str]]:
    """The importable lists, in the page's order, with their labels."""
    return [(kind, capfirst(ImportJob.Kind(kind).label)) for kind in engine.IMPORTERS]


def megabytes(size: int) -> str:
    """A size in MB as people count them (IMPORT_MAX_BYTES is 20,000,000: "20 MB")."""
    value = size / 1_000_000
    return format_number(value, places=0 if value == int(value) else 1)


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("List to import"), widget=forms.RadioSelect, choices=[])
    file = forms.FileField(label=gettext_lazy("File (Excel .xlsx or CSV)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = import_kinds()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _(
                    "The file is %(size)s MB, more than the limit of %(limit)s MB. "
                    "Split it into smaller files."
                )
                % {"size": megabytes(upload.size), "limit": megabytes(settings.IMPORT_MAX_BYTES)}
            )
        return upload


def _commune_query(commune) -> str:
    return f"?{urlencode({'commune': commune.code})}" if commune and commune.code else ""


@login_required
@require_http_methods(["GET", "POST"])
def import_start(request):
    communes = jobs.import_communes_for_user(user=request.user)
    commune = jobs.import_commune_pick(communes, request.POST.get("commune") or request.GET.get("commune"))
    # The admin's "import" buttons name the list: ?kind=members
    initial = {"kind": request.GET["kind"]} if request.GET.get("kind") in engine.IMPORTERS else {}
    form = ImportUploadForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and commune is None:
        form.add_error(None, _("Choose the commune to import into."))
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = jobs.import_job_create(
            kind=form.cleaned_data["kind"],
            commune=commune,
            user=request.user,
            filename=upload.name,
            data=upload.read(),
        )
        return redirect("households:import_job", pk=job.pk)
    return render(
        request,
        "households/import_start.html",
        {
            "form": form,
            "communes": communes,
            "commune": commune,
            "kinds": import_kinds(),
            "commune_query": _commune_query(commune),
            "recent": jobs.import_jobs_recent(user=request.user, commune=commune) if commune else [],
            "max_megabytes": megabytes(settings.IMPORT_MAX_BYTES),
            "max_rows": format_number(settings.IMPORT_MAX_ROWS),
        },
    )


def _xlsx_response(content: bytes, ascii_name: str, readable: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(readable, safe='')}"
    )
    response["Cache-Control"] = "private, no-store"  # names of the commune's villages and households
    return response


@login_required
@require_GET
def import_template(request, kind):
    communes = jobs.import_communes_for_user(user=request.user)
    commune = jobs.import_commune_pick(communes, request.GET.get("commune"))
    if kind not in engine.IMPORTERS or commune is None:
        raise Http404
    from households.imports import workbooks

    importer = engine.importer_for(kind, commune=commune, user=request.user)
    title = capfirst(ImportJob.Kind(kind).label)
    ascii_name = f"mau-nhap-{kind}-{fold(commune.code or commune.name).replace(' ', '-')}.xlsx"
    readable = _("Import template - %(list)s - %(commune)s") % {"list": title, "commune": commune.name}
    return _xlsx_response(workbooks.template_workbook(importer), ascii_name, f"{readable}.xlsx")


def _counts(summary: dict) -> dict:
    counts = {
        name: int(summary.get(name) or 0) for name in ("total", "new", "updated", "unchanged", "invalid")
    }
    counts["valid"] = counts["new"] + counts["updated"] + counts["unchanged"]
    counts["examples"] = len(summary.get("examples") or [])
    counts["to_write"] = counts["new"] + counts["updated"]
    return counts


@login_required
@require_GET
def import_job(request, pk):
    job = jobs.import_job_get_for_user(request.user, pk)
    summary = job.summary if isinstance(job.summary, dict) else {}
    return render(
        request,
        "households/import_job.html",
        {
            "job": job,
            "counts": _counts(summary),
            "problems": summary.get("problems", []),
            "notes": summary.get("notes", []),
            "updates": summary.get("updates", []),
            "updates_more": int(summary.get("updates_more") or 0),
            "alerts": int(summary.get("alerts") or 0),
            "warnings": summary.get("warnings", []),
            "has_file": jobs.file_size(job) > 0,
            "status_url": reverse("households:import_status", args=[job.pk]),
            "start_url": reverse("households:imports") + _commune_query(job.commune),
        },
    )


@login_required
@require_GET
def import_status(request, pk):
    job = jobs.import_job_get_for_user(request.user, pk)
    return JsonResponse(
        {
            "id": job.pk,
            "status": job.status,
            "status_label": capfirst(job.get_status_display()),
            "percent": job.percent,
            "done": job.progress_done,
            "total": job.progress_total,
            "running": job.is_running,
            "message": job.message,
            "url": reverse("households:import_job", args=[job.pk]),
        },
        headers={"Cache-Control": "no-store"},
    )


@login_required
@require_POST
def import_confirm(request, pk):
    job = jobs.import_job_get_for_user(request.user, pk)
    jobs.import_job_apply(job, valid_only=request.POST.get("valid_only") == "1", by=request.user)
    return redirect("households:import_job", pk=job.pk)


@login_required
@require_POST
def import_recheck(request, pk):
    job = jobs.import_job_get_for_user(request.user, pk)
    jobs.import_job_recheck(job=job)
    return redirect("households:import_job", pk=job.pk)


@login_required
@require_POST
def import_cancel(request, pk):
    job = jobs.import_job_get_for_user(request.user, pk)
    if not jobs.import_job_cancel(job=job):  # being written: too late
        return redirect("households:import_job", pk=job.pk)
    messages.success(request, _("The import was cancelled and its file deleted."))
    return redirect(reverse("households:imports") + _commune_query(job.commune))


@login_required
@require_GET
def import_rejected(request, pk):
    job = jobs.import_job_get_for_user(request.user, pk, with_file=True)
    if job.status not in (ImportJob.Status.CHECKED, ImportJob.Status.FAILED) or not job.data:
        raise Http404
    from households.imports import workbooks

    try:
        result = jobs.import_job_result(job)
    except engine.ImportFileError as error:
        raise Http404 from error
    day = timezone.localdate().strftime("%Y%m%d")
    readable = _("Rows with errors - %(file)s") % {"file": job.filename.rsplit(".", 1)[0]}
    readable = "".join("-" if char in '/\\:*?"<>|' else char for char in readable)
    return _xlsx_response(
        workbooks.rejected_rows_workbook(result), f"dong-loi-{job.pk}-{day}.xlsx", f"{readable}.xlsx"
    )
