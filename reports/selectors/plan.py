"""The `plan` report: the commune's plan as an official document, its figures computed from the data.

The texts (legal bases, purposes, duties, recipients…) are the plan's own, as entered; the figures
of section II (households, poor, rates, ethnic-minority figures, the villages where the poor
concentrate, the households registered to exit) come from the baseline review and the
registrations. Layout is the PDF template's business; this module gives it the words and numbers.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from households.models import Commune, PovertyStandard
from plans.models import ExitRegistration, Plan, Project, Responsibility
from povertyplan.formatting import format_number, format_percent
from reports.data import Report, Table

from .common import now, plan_for
from .village_stats import CommuneStatistics, VillageStatsRow, village_statistics, village_table

# "The villages where the poor concentrate": a village is named when its poor rate is at least the
# commune's and it has at least this many poor households (a small hamlet with 3 poor households of
# 8 is not where the poor concentrate).
HIGHLIGHT_MIN_POOR = 10


@dataclass(frozen=True)
class ResponsibilityBlock:
    """One block of section V: "1. Công chức Lao động - …" with its task lines and projects."""

    number: int
    heading: str
    department: str
    tasks: list[str]
    projects: list[str]  # short names as written in plans: "Dự án 2", "Tiểu dự án 2"…


@dataclass
class PlanDocument:
    """Everything the plan's PDF prints, in reading order; all text final (translated, formatted).

    The official header (issuing body, national name and motto, number, place and date) is the
    PDF builder's (reports/builders/pdf.py), shared by every report. Then `document_type`
    ("KẾ HOẠCH") and `subject`, the legal bases and the introduction, sections I to V under
    `headings`, the closing paragraph, the recipients and the signature block.
    """

    plan: Plan
    statistics: CommuneStatistics  # the baseline review, per village and for the commune
    review_year: int
    registered: int  # households registered to exit in the plan year (ExitRegistration rows)
    highlighted: list[VillageStatsRow]  # the villages where the poor concentrate, in the plan's order
    document_type: str
    subject: str
    legal_bases: list[str]
    introduction: str
    headings: dict[str, str]
    purposes: list[str]
    requirements: list[str]
    target_line: str  # II.1: "Tổng số hộ đăng ký thoát nghèo năm 2023 là 51 hộ. (…)"
    situation_lines: list[str]  # II.2: the commune's figures, then the villages where the poor concentrate
    village_table: Table  # the baseline review per village, should the PDF print it in II.2
    support_forms: list[str]  # III, one paragraph per line, numbering and dashes as entered
    time_frame: str
    responsibilities: list[ResponsibilityBlock]
    assignment_note: str  # "(Có danh sách cán bộ, công chức phụ trách các hộ cụ thể kèm theo)"
    closing: str
    recipients: list[str]  # without the leading dash, each ending as entered ("…;", "Lưu: VT, VX.")
    signer_authority: str
    signer_title: str
    signer_name: str
    highlighted_line: str = ""  # the sentence naming them ("" when no village stands out)
    summary: list[tuple[str, str]] = field(default_factory=list)


def _lines(text: str) -> list[str]:
    return Plan._lines(text or "")


def highlighted_villages(statistics: CommuneStatistics) -> list[VillageStatsRow]:
    """Villages whose poor rate is at least the commune's, with ≥ HIGHLIGHT_MIN_POOR poor households.

    In the commune's order of villages (the order they were entered), which is the plan's order.
    """
    commune_rate = statistics.total.poor_rate
    chosen = [
        row for row in statistics.rows if row.poor >= HIGHLIGHT_MIN_POOR and row.poor_rate >= commune_rate
    ]
    return sorted(chosen, key=lambda row: row.village_id)


def highlighted_sentence(rows: list[VillageStatsRow]) -> str:
    """The sentence naming the villages where the poor concentrate; "" when none stands out.

    In Vietnamese: Hộ nghèo tập trung chủ yếu ở các làng đặc biệt khó khăn như: Bờ-Chư pâu 42 hộ
    (28,77%); … và Mơhven-Ôr 39 hộ (28,68%).
    """
    items = [
        _("%(village)s %(poor)s households (%(rate)s)")
        % {"village": row.name, "poor": format_number(row.poor), "rate": format_percent(row.poor_rate)}
        for row in rows
    ]
    if not items:
        return ""
    if len(items) == 1:
        listed = items[0]
    else:
        listed = _("%(first)s and %(last)s") % {"first": "; ".join(items[:-1]), "last": items[-1]}
    return _(
        "Poor households are concentrated mainly in the villages with special difficulties: %(villages)s."
    ) % {"villages": listed}


def commune_sentence(statistics: CommuneStatistics, standard: str) -> str:
    total = statistics.total
    return _(
        "Results of the %(year)s review of poor and near-poor households (multidimensional poverty "
        "standard %(standard)s): the commune has %(poor)s poor households, %(rate)s of all households "
        "in the commune; %(minority_poor)s poor ethnic-minority households, %(minority_rate)s of the "
        "commune's ethnic-minority households."
    ) % {
        "year": statistics.year,
        "standard": standard,
        "poor": format_number(total.poor),
        "rate": format_percent(total.poor_rate),
        "minority_poor": format_number(total.minority_poor),
        "minority_rate": format_percent(total.minority_poor_rate),
    }


def standard_label(year: int) -> str:
    """The poverty standard's period covering a review year ("2022-2025"); "" when none does."""
    standard = PovertyStandard.objects.filter(start_year__lte=year, end_year__gte=year).order_by(
        "-start_year"
    )
    found = standard.values_list("start_year", "end_year").first()
    return f"{found[0]}-{found[1]}" if found else ""


def responsibility_blocks(plan: Plan) -> list[ResponsibilityBlock]:
    """Section V's blocks with their departments and projects (two queries)."""
    duties = (
        Responsibility.objects.filter(plan=plan)
        .select_related("department")
        .prefetch_related(Prefetch("projects", queryset=Project.objects.order_by("order", "code")))
        .order_by("order", "pk")
    )
    return [
        ResponsibilityBlock(
            number=number,
            heading=duty.heading,
            department=duty.department.name,
            tasks=duty.task_lines,
            projects=[project.short_name for project in duty.projects.all()],
        )
        for number, duty in enumerate(duties, start=1)
    ]


def headings() -> dict[str, str]:
    return {
        "I": _("I. PURPOSES AND REQUIREMENTS"),
        "I.1": _("1. Purposes"),
        "I.2": _("2. Requirements"),
        "II": _("II. TARGET HOUSEHOLDS AND SITUATION"),
        "II.1": _("1. Target households"),
        "II.2": _("2. Poverty in the commune"),
        "III": _("III. FORMS OF HELP BY THE OFFICIALS IN CHARGE"),
        "IV": _("IV. TIME FRAME"),
        "V": _("V. ORGANISATION OF IMPLEMENTATION"),
        "recipients": _("Recipients:"),
    }


def plan_document(*, commune: Commune, plan_year: int, review_year: int | None = None) -> PlanDocument:
    """The plan's text and figures. The figures come from the plan's baseline review unless another
    review year is asked for."""
    plan = plan_for(commune=commune, plan_year=plan_year)
    year = review_year if review_year is not None else plan.baseline_review_year
    statistics = village_statistics(commune=commune, year=year)
    registered = ExitRegistration.objects.filter(plan=plan).count()
    highlighted = highlighted_villages(statistics)
    total = statistics.total
    situation = [commune_sentence(statistics, standard_label(year))]
    sentence = highlighted_sentence(highlighted)
    if sentence:
        situation.append(sentence)
    summary = [
        (_("Households"), format_number(total.households)),
        (_("Poor households"), format_number(total.poor)),
        (_("Poor rate"), format_percent(total.poor_rate)),
        (_("Ethnic-minority households"), format_number(total.minority)),
        (_("Poor ethnic-minority households"), format_number(total.minority_poor)),
        (_("Ethnic-minority poor rate"), format_percent(total.minority_poor_rate)),
        (_("Households registered to exit poverty"), format_number(registered)),
    ]
    return PlanDocument(
        plan=plan,
        statistics=statistics,
        review_year=year,
        registered=registered,
        highlighted=highlighted,
        document_type=_("PLAN"),
        subject=plan.subject or plan.title,
        legal_bases=plan.legal_basis_lines,
        introduction=plan.introduction,
        headings=headings(),
        purposes=_lines(plan.purposes),
        requirements=_lines(plan.requirements),
        target_line=_(
            "The households registered to exit poverty in %(year)s number %(count)s. "
            "(The list of the households registered to exit poverty is attached.)"
        )
        % {"year": plan.year, "count": format_number(registered)},
        situation_lines=situation,
        village_table=village_table(statistics),
        support_forms=_lines(plan.support_forms),
        time_frame=plan.time_frame,
        responsibilities=responsibility_blocks(plan),
        assignment_note=_("(The list of the officials in charge of each household is attached.)"),
        closing=plan.closing,
        recipients=plan.recipient_lines,
        signer_authority=plan.signer_authority,
        signer_title=plan.signer_title,
        signer_name=plan.signer_name,
        highlighted_line=sentence,
        summary=summary,
    )


def build(*, commune: Commune, plan_year: int, review_year: int | None = None, **_options) -> Report:
    document = plan_document(commune=commune, plan_year=plan_year, review_year=review_year)
    return Report(
        slug="plan",
        title=document.plan.title,
        commune=commune,
        plan_year=plan_year,
        review_year=document.review_year,
        generated_at=now(),
        landscape=False,
        summary=document.summary,
        tables=[],
        charts=[],
        document=document,
    )
