"""A review round's documents, from the round's page: each village meeting's minutes, and the decision
recognising the lists with its appendices (PDF), the appendices' lists also as XLSX.

They are small (one round of one commune) and rendered in the request; who may download them is
reports.access.review_round_for_documents (as for the round's page).
"""

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from povertyplan.text import fold, nfc
from reports import access
from reports.builders.round_documents import build_decision_pdf, build_minutes_pdf
from reports.builders.xlsx import build_xlsx
from reports.selectors import round_documents

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _attachment(data: bytes, fmt: str, parts: list[str]) -> HttpResponse:
    """The file as a download named by its parts and today's date, in ASCII and in UTF-8."""
    parts = [*parts, timezone.localdate().strftime("%Y%m%d")]
    ascii_name = "-".join(fold(part).replace(" ", "-") for part in parts if fold(part))
    readable = nfc("".join("-" if char in '/\\:*?"<>|' else char for char in " - ".join(parts)))
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}.{fmt}\"; filename*=UTF-8''{quote(f'{readable}.{fmt}', safe='')}"
    )
    response["Cache-Control"] = "private, no-store"  # personal data
    return response


@login_required
@require_GET
def round_minutes(request, pk: int, village_pk: int):
    review_round = access.review_round_for_documents(user=request.user, pk=pk)
    document = round_documents.minutes_document(review_round, village_pk)
    return _attachment(
        build_minutes_pdf(document),
        "pdf",
        [_("Minutes of the village meeting"), document.village.name, str(review_round)],
    )


@login_required
@require_GET
def round_decision(request, pk: int):
    review_round = access.review_round_for_documents(user=request.user, pk=pk)
    document = round_documents.decision_document(review_round)
    title = (
        _("Draft decision recognising the lists") if document.draft else _("Decision recognising the lists")
    )
    return _attachment(
        build_decision_pdf(document), "pdf", [title, review_round.commune.name, str(review_round)]
    )


@login_required
@require_GET
def round_lists(request, pk: int):
    review_round = access.review_round_for_documents(user=request.user, pk=pk)
    document = round_documents.decision_document(review_round)
    report = round_documents.lists_report(document)
    return _attachment(
        build_xlsx(report), "xlsx", [_("Lists of the decision"), review_round.commune.name, str(review_round)]
    )
