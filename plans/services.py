"""Writes for plans and exit registrations: starting the next year's plan from the last one."""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from households import review_status
from plans.models import ExitRegistration, Plan, Responsibility
from povertyplan.text import clean_text


@transaction.atomic
def exit_registration_create(
    *, plan, household, registered_on: date, needs: str = "", commitment: str = "", by=None
) -> ExitRegistration:
    """Register a household to try to exit poverty in the plan's year."""
    registration = ExitRegistration(
        plan=plan,
        household=household,
        registered_on=registered_on,
        needs=needs.strip(),
        commitment=commitment.strip(),
        created_by=by,
        updated_by=by,
    )
    registration.full_clean()
    registration.save()
    return registration


@transaction.atomic
def exit_registration_set_status(*, registration: ExitRegistration, status: str, note: str = "", by=None):
    """Move a registration along registered → in progress. Whether it exited is not set here: the
    plan year's periodic review says so (plans.outcomes)."""
    registration.status = status
    registration.status_note = note.strip()
    registration.updated_by = by
    registration.full_clean()
    registration.save(update_fields=["status", "status_note", "updated_by", "updated_at"])
    return registration


# The text of a plan, copied from one year's plan to the next for the officer to edit.
PLAN_TEXT_FIELDS = (
    "title",
    "subject",
    "legal_bases",
    "introduction",
    "purposes",
    "requirements",
    "support_forms",
    "time_frame",
    "closing",
    "signer_authority",
    "signer_title",
    "signer_name",
    "recipients",
)
# The legal bases cite decisions by their dates and years: copied as written. In the other texts the
# plan's own year, standing alone, becomes the next one ("Kế hoạch … năm 2023" → "năm 2024"); a year
# in a date (20/12/2023) or a period (2021-2025) is left as written, and so is the baseline's year.
KEPT_AS_WRITTEN = ("legal_bases",)


def _year_pattern(year: int) -> re.Pattern:
    return re.compile(rf"(?<![\d/.\-–]){year}(?![\d/\-–])")


def plan_next_text(previous: Plan) -> dict[str, str]:
    """The next year's plan text as a copy of `previous`, with the plan's own year moved on."""
    pattern = _year_pattern(previous.year)
    text = {name: getattr(previous, name) for name in PLAN_TEXT_FIELDS}
    for name in PLAN_TEXT_FIELDS:
        if name not in KEPT_AS_WRITTEN:
            text[name] = pattern.sub(str(previous.year + 1), text[name])
    return text


def plan_next_refusal(previous: Plan) -> str | None:
    """Why the plan after `previous` cannot be started yet ('' → None when it can): it starts from
    the closed periodic review of the previous plan's year, and a commune has one plan a year."""
    year = previous.year + 1
    if Plan.objects.filter(commune_id=previous.commune_id, year=year).exists():
        return _("The commune already has its plan for %(year)s.") % {"year": year}
    review_round = review_status.periodic_round(commune=previous.commune_id, year=previous.year)
    if review_round is None:
        return _(
            "The periodic review of %(year)s has no round in the application yet: open it, record its "
            "results and close it; the plan for %(next)s starts from its lists."
        ) % {"year": previous.year, "next": year}
    if not review_round.is_closed:
        return _(
            "The periodic review of %(year)s is not closed yet: close it under the decision recognising "
            "its lists, then start the plan for %(next)s from them."
        ) % {"year": previous.year, "next": year}
    return None


def _clean(name: str, value: str) -> str:
    return clean_text(value, multiline=isinstance(Plan._meta.get_field(name), models.TextField))


@transaction.atomic
def plan_create_next(*, previous: Plan, text: dict[str, str], target_exits: int, by=None) -> Plan:
    """Plan N+1 from plan N: its text (as edited from plan_next_text), the closed review of N as its
    baseline, and the departments' responsibilities with their projects copied. Refused while the
    review of N is not closed, or when the commune already has a plan for N+1."""
    previous = Plan.objects.select_for_update().get(pk=previous.pk)
    refusal = plan_next_refusal(previous)
    if refusal:
        raise ValidationError(refusal)
    unknown = set(text) - set(PLAN_TEXT_FIELDS)
    if unknown:
        raise ValueError(f"not plan text: {sorted(unknown)}")
    plan = Plan(
        commune_id=previous.commune_id,
        year=previous.year + 1,
        programme_id=previous.programme_id,
        baseline_review_year=previous.year,
        place=previous.place,
        target_exits=target_exits,
        created_by=by,
        updated_by=by,
        **{
            **plan_next_text(previous),
            **{name: _clean(name, value) for name, value in text.items()},
        },
    )
    plan.full_clean()
    plan.save()
    for duty in previous.responsibilities.prefetch_related("projects").order_by("order", "pk"):
        copy = Responsibility(
            plan=plan,
            department_id=duty.department_id,
            order=duty.order,
            heading=duty.heading,
            tasks=duty.tasks,
            created_by=by,
            updated_by=by,
        )
        copy.full_clean()
        copy.save()
        copy.projects.set(duty.projects.all())
    return plan


@transaction.atomic
def exit_registrations_register(
    *, plan: Plan, households, registered_on: date, by=None, notes: dict | None = None
) -> list[ExitRegistration]:
    """Register several households to exit poverty in the plan's year at once; those already
    registered in it are left as they are. `notes`: household id → {"needs", "commitment"}."""
    registered = set(plan.exit_registrations.values_list("household_id", flat=True))
    created = []
    for household in households:
        if household.pk in registered:
            continue
        registered.add(household.pk)
        created.append(
            exit_registration_create(
                plan=plan,
                household=household,
                registered_on=registered_on,
                by=by,
                **(notes or {}).get(household.pk, {}),
            )
        )
    return created
