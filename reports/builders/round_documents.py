"""A review round's documents as PDF, in the official format of the other reports (Decree 30/2020/
NĐ-CP, shared/docs/domain.md §7): the village meeting's minutes and the decision recognising the
lists (form 02 of Decision 24/2021/QĐ-TTg) with its appendices.

Data in (reports.selectors.round_documents), bytes out, no request. The header, fonts, tables and
rendering are reports.builders.pdf's.
"""

import unicodedata
from dataclasses import replace

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from weasyprint import HTML

from povertyplan.formatting import format_date, format_number
from reports.builders.pdf import (
    CHAIRMAN,
    MOTTO,
    STATE_NAME,
    STATIC_DIR,
    TEMPLATE_DIR,
    StaticOnlyFetcher,
    css_string,
    generation_date,
    issuer_lines,
    official_date,
    table_view,
)
from reports.selectors.common import now
from reports.selectors.round_documents import (
    APPENDICES,
    DecisionDocument,
    MinutesDocument,
    appendix_table,
    minutes_table,
)

# The names of the kinds of village in the documents' text (Vietnamese formulae, like UNIT_WORDS).
VILLAGE_WORDS = {"village": "làng", "hamlet": "thôn", "residential_group": "tổ dân phố"}
# Above a village's name, its commune's committee is written short, in regular type (Decree 30's
# "cơ quan chủ quản"): "UBND XÃ KÔNG LƠNG KHƠNG".
COMMITTEE_SHORT = "UBND"
ROMAN = ("I", "II", "III", "IV")
BLANK = "\u00a0" * 6  # room left to write a number or a date by hand


def village_name(village) -> str:
    """ "làng Mơhven-Ôr"; a name that already says its kind ("Thôn 3") is kept as it is."""
    word = VILLAGE_WORDS.get(village.kind, "")
    if not word or village.name.lower().startswith(word):
        return village.name
    return f"{word} {village.name}"


def _render(template: str, context: dict) -> bytes:
    generated = generation_date(now())
    context = {
        "state_name": STATE_NAME,
        "motto": MOTTO,
        "orientation": "portrait",
        "generated_css": mark_safe(
            css_string(_("Generated on: %(date)s") % {"date": format_date(generated)})
        ),
        **context,
    }
    html = unicodedata.normalize("NFC", render_to_string(f"{TEMPLATE_DIR}/{template}", context))
    return HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=StaticOnlyFetcher()).write_pdf()


def _review_name(review_round) -> str:
    """What the documents call the round: "năm 2023", or a regular review's dates."""
    if review_round.kind == review_round.Kind.PERIODIC:
        return _("in %(year)s") % {"year": review_round.year}
    return _("in the regular review from %(start)s to %(end)s") % {
        "start": format_date(review_round.starts_on),
        "end": format_date(review_round.ends_on),
    }


# --- the minutes ------------------------------------------------------------------------------------


def minutes_context(document: MinutesDocument) -> dict:
    meeting, commune = document.meeting, document.commune
    _organ, unit = issuer_lines(commune)
    village = village_name(document.village)
    reference = meeting.minutes_reference.strip()
    return {
        "title": _("Minutes of the village meeting"),
        # The village's header: its commune's committee above (regular type), the village (bold).
        "organ": f"{COMMITTEE_SHORT} {unit}",
        "unit": village.upper(),
        "number_line": _("No.: %(number)s") % {"number": reference} if reference else "",
        "place_date": official_date(commune.name, meeting.held_on),
        "subject": _(
            "Meeting of %(village)s to consider the review of poor and near-poor households %(review)s"
        )
        % {"village": village, "review": _review_name(document.round)},
        "opening": _(
            "On %(date)s, %(village)s, %(commune)s met to consider and agree on the results of the review "
            "of poor and near-poor households (%(round)s)."
        )
        % {
            "date": format_date(meeting.held_on),
            "village": village,
            "commune": commune.full_name,
            "round": document.round,
        },
        "chair": meeting.chair_name,
        "secretary": meeting.secretary_name,
        "attendance": format_number(meeting.attendance),
        "households": format_number(len(document.lines)),
        "table": table_view(minutes_table(document), landscape=False, base_pt=11) if document.lines else None,
        "agreed": format_number(document.agreed),
        "agreed_poor": format_number(document.agreed_with("poor")),
        "agreed_near_poor": format_number(document.agreed_with("near_poor")),
        "agreed_other": format_number(
            document.agreed - document.agreed_with("poor") - document.agreed_with("near_poor")
        ),
        "sent_back": format_number(document.sent_back),
        "not_voted": format_number(len(document.lines) - document.voted),
        "has_not_voted": len(document.lines) > document.voted,
    }


def build_minutes_pdf(document: MinutesDocument) -> bytes:
    """The village meeting's minutes (biên bản họp thôn) as a PDF."""
    return _render("round_minutes.html", minutes_context(document))


# --- the decision -----------------------------------------------------------------------------------


def _standard_basis(standard) -> str:
    """ "Căn cứ Nghị định số 07/2021/NĐ-CP … quy định chuẩn nghèo đa chiều …;", from the standard's data."""
    name = standard.name[:1].lower() + standard.name[1:]
    return _("Pursuant to %(basis)s, which sets the %(standard)s;") % {
        "basis": standard.legal_basis.strip().rstrip(";."),
        "standard": name,
    }


def decision_context(document: DecisionDocument) -> dict:
    review_round, commune = document.round, document.commune
    organ, unit = issuer_lines(commune)
    draft = document.draft
    number = BLANK + "/QĐ-UBND" if draft else review_round.decision_number
    decided_on = None if draft else review_round.decision_date
    commune_name = commune.full_name
    if draft:
        attached = _(
            "(Attached to the draft decision of the Chairman of the People's Committee of %(commune)s)"
        )
    else:
        attached = _(
            "(Attached to Decision No. %(number)s of %(date)s of the Chairman of the People's Committee of "
            "%(commune)s)"
        )
    attached = attached % {
        "number": review_round.decision_number,
        "date": format_date(review_round.decision_date),
        "commune": commune_name,
    }
    counts = {appendix: format_number(document.count(appendix)) for appendix in APPENDICES}
    bases = [_standard_basis(document.standard)] if document.standard is not None else []
    bases += [
        _(
            "Pursuant to Decision No. 24/2021/QĐ-TTg of 16 July 2021 of the Prime Minister on the procedure "
            "for the annual review of poor and near-poor households and for identifying farming, forestry, "
            "fishery and salt-making households with an average living standard, 2022–2025;"
        ),
        _(
            "Having regard to the results of the review of poor and near-poor households %(review)s "
            "in %(commune)s."
        )
        % {"review": _review_name(review_round), "commune": commune_name},
    ]
    appendices = []
    for index, appendix in enumerate(APPENDICES):
        table = appendix_table(document, appendix)
        appendices.append(
            {
                "label": _("Appendix %(number)s") % {"number": ROMAN[index]},
                "title": table.title,
                # The appendix's heading says its title: the table repeats only its note.
                "table": table_view(replace(table, title=""), landscape=False) if table.rows else None,
            }
        )
    return {
        "title": _("Decision recognising the lists of poor and near-poor households"),
        "draft": draft,
        "draft_css": mark_safe(css_string(_("DRAFT"))),
        "organ": organ,
        "unit": unit,
        "number_line": _("No.: %(number)s") % {"number": number},
        "place_date": official_date(commune.name, decided_on, year=review_round.year),
        "subject": _(
            "On recognising poor and near-poor households, and households that exited poverty and "
            "near-poverty, %(review)s"
        )
        % {"review": _review_name(review_round)},
        "issuer_title": _("THE CHAIRMAN OF THE PEOPLE'S COMMITTEE OF %(commune)s")
        % {"commune": commune_name.upper()},
        "legal_bases": bases,
        "articles": [
            (
                _("Article %(number)s.") % {"number": 1},
                _(
                    "The lists of poor and near-poor households, and of households that exited poverty and "
                    "near-poverty, %(review)s in %(commune)s are recognised:"
                )
                % {"review": _review_name(review_round), "commune": commune_name},
                [
                    _("Poor households: %(count)s (Appendix I);") % {"count": counts["poor"]},
                    _("Near-poor households: %(count)s (Appendix II);") % {"count": counts["near_poor"]},
                    _("Households that exited poverty: %(count)s (Appendix III);")
                    % {"count": counts["exited_poor"]},
                    _("Households that exited near-poverty: %(count)s (Appendix IV).")
                    % {"count": counts["exited_near_poor"]},
                ],
            ),
            (
                _("Article %(number)s.") % {"number": 2},
                _("This Decision takes effect on the date of signing."),
                [],
            ),
            (
                _("Article %(number)s.") % {"number": 3},
                _(
                    "The official in charge of poverty reduction, the heads of the villages and the "
                    "households named in Article 1 are responsible for implementing this Decision."
                ),
                [],
            ),
        ],
        "exits_note": _("Households that exited: counted from %(baseline)s.")
        % {"baseline": document.baseline},
        "recipients": [_("As in Article 3;"), _("Filed: Office.")],
        "signer_title": CHAIRMAN,
        "attached": attached,
        "appendices": appendices,
    }


def build_decision_pdf(document: DecisionDocument) -> bytes:
    """The decision recognising the lists (form 02), with its four appendices, as a PDF."""
    return _render("round_decision.html", decision_context(document))
