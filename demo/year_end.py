"""The rest of the demo's 2023: a year of support for the registered households, then the year-end review.

Both sections are INVENTED (see demo.data) and deterministic: each has its own generator seeded
from 2023 and the section name, and draws in household-code order, so the same rows come out on
every run. Both are idempotent: support actions are recognised by their client UUIDs (uuid5 of a
natural key), and the review is skipped once any registered household has its 2023 periodic review.

The review classifies with households.classification.classify, never a hard-coded class, and sets
each exit registration's status from the result: exited when no longer poor, not exited otherwise,
with the reason in the status note.
"""

import datetime
import random
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from assignments.models import Assignment, SupportAction
from demo.support import support_actions_create_missing
from households.classification import Area, Level, classify
from households.models import Assessment, Indicator, PovertyStandard
from plans.models import ExitRegistration, Plan
from povertyplan.formatting import format_vnd

from . import data

UUID_NAMESPACE = uuid.UUID("6f1d3c5e-2023-4b6a-9c1e-4b4c4b4c2023")  # the loader's namespace


def section_rng(section: str) -> random.Random:
    return random.Random(f"{data.SEED}:{section}")


# --- a year of support --------------------------------------------------------------------------


def follow_up_plan(
    rng: random.Random, *, farming: str, registered_on: datetime.date, year: int
) -> list[tuple[datetime.date, str, tuple]]:
    """(date, kind, action) of one household's follow-ups: four to seven from March to November,
    all three kinds among them, then most households get a visit during the year-end review."""
    kinds = ["knowledge", "labour", "materials"]
    kinds += rng.choices(kinds, [4, 2, 2], k=rng.randint(1, 4))
    rng.shuffle(kinds)
    first = max(registered_on + datetime.timedelta(days=30), datetime.date(year, 3, 1))
    last = datetime.date(year, 11, 25)
    span = (last - first).days
    dates = sorted(first + datetime.timedelta(days=rng.randint(0, span)) for _ in kinds)
    materials = data.FOLLOW_UPS["materials"][farming] + data.FOLLOW_UPS["materials"]["all"]
    planned = []
    for day, kind in zip(dates, kinds, strict=True):
        pool = materials if kind == "materials" else data.FOLLOW_UPS[kind]
        planned.append((day, kind, rng.choice(pool)))
    if rng.random() < data.YEAR_END_VISIT_SHARE:
        planned.append((datetime.date(year, 12, rng.randint(1, 20)), "knowledge", data.YEAR_END_VISIT))
    return planned


def load_year_support(plan: Plan, *, by) -> int:
    """Follow-up support for every registered household with an official in charge; rows already
    there (same client UUID) are kept."""
    rng = section_rng("year-support")
    farming = {template["needs"]: template["farming"] for template in data.EXIT_PLANS}
    current = {
        a.household_id: a.official_id for a in Assignment.objects.filter(plan=plan, ended_on__isnull=True)
    }
    registrations = plan.exit_registrations.select_related("household").order_by("household__code")
    actions = []
    for registration in registrations:
        if registration.household_id not in current:
            continue
        planned = follow_up_plan(
            rng,
            farming=farming.get(registration.needs, "crops"),
            registered_on=registration.registered_on,
            year=plan.year,
        )
        for index, (day, kind, (description, quantity, unit, value, contributor)) in enumerate(planned):
            if kind == "labour":
                value = quantity * data.LABOUR_DAY_VND
            actions.append(
                SupportAction(
                    household_id=registration.household_id,
                    official_id=current[registration.household_id],
                    plan=plan,
                    date=day,
                    kind=kind,
                    description=description,
                    quantity=None if quantity is None else Decimal(quantity),
                    unit=unit,
                    value_vnd=value,
                    contributor=contributor,
                    client_uuid=uuid.uuid5(
                        UUID_NAMESPACE, f"{plan.year}/{registration.household.code}/follow-up/{index}"
                    ),
                    created_by=by,
                    updated_by=by,
                )
            )
    return support_actions_create_missing(actions)


# --- the end-of-2023 review ---------------------------------------------------------------------


@dataclass
class YearEndResult:
    """One household's 2023 review as drawn: what the loader writes."""

    income: int
    deprived: list[str]
    b1_score: int
    reviewed_on: datetime.date
    level: str
    note: str


def _round(amount: int) -> int:
    return int(round(amount, -4))


def fits(reason: dict, *, farming: str, deprived: list[str]) -> bool:
    return farming in reason.get("farming", (farming,)) and reason.get("needs", "") in ("", *deprived)


def pick_reason(rng: random.Random, pool: list[dict], *, farming: str, deprived: list[str]) -> dict:
    """A reason from the (shuffled) pool that fits the household, taken out of the pool: one with
    conditions first, so the unconditioned ones stay for the households nothing else fits; when
    none left fits, any reason that does."""
    fitting = [index for index, reason in enumerate(pool) if fits(reason, farming=farming, deprived=deprived)]
    conditioned = [index for index in fitting if "farming" in pool[index] or "needs" in pool[index]]
    if fitting:
        return pool.pop((conditioned or fitting)[0])
    return rng.choice([r for r in data.NOT_EXITED_REASONS if fits(r, farming=farming, deprived=deprived)])


def draw_not_exited(rng, reason: dict, *, income: int, deprived: list[str], line: int) -> tuple:
    """Still poor: income at or below the line and at least three deprivations."""
    low, high = reason["income"]
    income = min(line, max(400_000, _round(income + rng.randint(low, high))))
    resolvable = [code for code in deprived if code in data.RESOLVABLE]
    still = list(deprived)
    if len(deprived) > 3 and resolvable and rng.random() < 0.5:
        still.remove(rng.choice(resolvable))  # some help shows, not enough
    return income, still, rng.randint(70, 140), reason["note"]


def draw_exited(rng, *, income: int, deprived: list[str], line: int, ceiling: int) -> tuple:
    """No longer poor: mostly an income above the line, else fewer than three deprivations."""
    resolvable = [code for code in deprived if code in data.RESOLVABLE]
    # A year of support ends at most three deprivations.
    fewer_possible = len(deprived) - 2 <= min(3, len(resolvable))
    if fewer_possible and rng.random() < 0.35:
        # Income still at or below the line; the support ended enough deprivations to leave at most
        # two (the ones it cannot end all stay).
        remaining = rng.randint(len(deprived) - len(resolvable), 2)
        resolved = rng.sample(resolvable, len(deprived) - remaining)
        still = [code for code in deprived if code not in resolved]
        income = min(line, _round(income + rng.randint(40_000, 200_000)))
        done = ", ".join(data.RESOLVABLE[code] for code in resolved)
        note = (
            f"Thoát nghèo, chuyển thành hộ cận nghèo: {done}; "
            f"còn thiếu hụt {len(still)} chỉ số, thu nhập {format_vnd(income)}/người/tháng"
        )
        return income, still, rng.randint(90, 140), note
    resolved = rng.sample(resolvable, min(len(resolvable), rng.randint(0, 2)))
    still = [code for code in deprived if code not in resolved]
    income = _round(rng.randint(line + 10_000, ceiling - 300_000))
    note = f"Thoát nghèo: thu nhập bình quân {format_vnd(income)}/người/tháng, trên chuẩn nghèo"
    if resolved:
        note += "; " + ", ".join(data.RESOLVABLE[code] for code in resolved)
    return income, still, rng.randint(141, 175), note


def draw_year_end(rng: random.Random, households: list[dict], *, rule, year: int) -> dict[int, YearEndResult]:
    """The review of each household (dicts with pk, income, deprived, farming), in the given order."""
    line, ceiling = rule.poverty_line[Area.RURAL], rule.average_living_ceiling[Area.RURAL]
    staying = set(rng.sample([h["pk"] for h in households], data.NOT_EXITED))
    reasons = [reason for reason in data.NOT_EXITED_REASONS for _ in range(reason["count"])]
    rng.shuffle(reasons)
    results = {}
    for household in households:
        if household["pk"] in staying:
            deprived = household["deprived"]
            reason = pick_reason(rng, reasons, farming=household["farming"], deprived=deprived)
            income, still, score, note = draw_not_exited(
                rng, reason, income=household["income"], deprived=deprived, line=line
            )
        else:
            income, still, score, note = draw_exited(
                rng, income=household["income"], deprived=household["deprived"], line=line, ceiling=ceiling
            )
        level = classify(income, still, area=Area.RURAL, standard=rule)
        intent = "stay poor" if household["pk"] in staying else "exit"
        if (level == Level.POOR) != (household["pk"] in staying):
            raise AssertionError(f"household {household['pk']}: drawn to {intent}, the rule says {level}")
        results[household["pk"]] = YearEndResult(
            income=income,
            deprived=still,
            b1_score=score,
            reviewed_on=datetime.date(year, 11, 1) + datetime.timedelta(days=rng.randint(0, 43)),
            level=level,
            note=note,
        )
    return results


def load_year_end_review(plan: Plan, *, by) -> int:
    """The 2023 periodic review of the registered households, and a note on each registration."""
    year = data.YEAR_END_REVIEW_YEAR
    registrations = list(plan.exit_registrations.select_related("household").order_by("household__code"))
    household_ids = [r.household_id for r in registrations]
    if Assessment.objects.filter(
        household_id__in=household_ids, review_year=year, kind=Assessment.Kind.PERIODIC
    ).exists():
        return 0
    standard = PovertyStandard.objects.get(code=data.STANDARD_CODE)
    indicators = {i.code: i for i in Indicator.objects.filter(standard=standard)}
    rule = standard.to_rule(tuple(sorted(indicators)))
    baseline = {
        a.household_id: a
        for a in Assessment.objects.filter(
            household_id__in=household_ids,
            review_year=plan.baseline_review_year,
            kind=Assessment.Kind.PERIODIC,
        ).prefetch_related("deprivations")
    }
    farming = {template["needs"]: template["farming"] for template in data.EXIT_PLANS}
    households = [
        {
            "pk": r.household_id,
            "income": baseline[r.household_id].income_per_capita_month,
            # In the standard's order, so the draw does not depend on the database's.
            "deprived": sorted(
                (i.code for i in baseline[r.household_id].deprivations.all()),
                key=rule.indicator_codes.index,
            ),
            "farming": farming.get(r.needs, "crops"),
        }
        for r in registrations
    ]
    results = draw_year_end(section_rng("year-end-review"), households, rule=rule, year=year)

    Assessment.objects.bulk_create(
        [
            Assessment(
                household_id=pk,
                review_year=year,
                kind=Assessment.Kind.PERIODIC,
                reviewed_on=result.reviewed_on,
                standard=standard,
                income_per_capita_month=result.income,
                b1_score=result.b1_score,
                computed_classification=result.level,
                classification=result.level,
                created_by=by,
                updated_by=by,
            )
            for pk, result in results.items()
        ]
    )
    ids = dict(
        Assessment.objects.filter(
            household_id__in=household_ids, review_year=year, kind=Assessment.Kind.PERIODIC
        ).values_list("household_id", "id")
    )
    Link = Assessment.deprivations.through
    Link.objects.bulk_create(
        [
            Link(assessment_id=ids[pk], indicator_id=indicators[code].pk)
            for pk, result in results.items()
            for code in result.deprived
        ]
    )
    changed_at = timezone.now()
    for registration in registrations:
        # Whether it exited is the review's to say (plans.outcomes); the note tells the story.
        registration.status = ExitRegistration.Status.IN_PROGRESS
        registration.status_note = results[registration.household_id].note
        registration.updated_by, registration.updated_at = by, changed_at
    ExitRegistration.objects.bulk_update(registrations, ["status", "status_note", "updated_by", "updated_at"])
    return len(results)
