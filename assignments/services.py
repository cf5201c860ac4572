"""Writes for assignments and support actions."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts import selectors as account_selectors
from assignments.models import Assignment, SupportAction
from plans import services as plan_services


@transaction.atomic
def assignment_create(*, plan, household, official, started_on: date, by=None) -> Assignment:
    """Put an official in charge of a household for a plan (the household must have no current one).
    Only an official or a commune officer may be in charge (accounts.selectors.officials_assignable)."""
    if not account_selectors.official_is_assignable(official):
        raise ValidationError(
            {
                "official": _(
                    "%(name)s cannot be put in charge of households: only officials and commune officers can."
                )
                % {"name": official.full_name}
            }
        )
    assignment = Assignment(
        plan=plan, household=household, official=official, started_on=started_on, created_by=by, updated_by=by
    )
    assignment.full_clean()
    assignment.save()
    return assignment


@transaction.atomic
def assignment_reassign(*, plan, household, official, on: date, reason: str = "", by=None) -> Assignment:
    """Hand a household to another official: the current assignment ends on `on` and stays as history."""
    current = (
        Assignment.objects.select_for_update()
        .filter(plan=plan, household=household, ended_on__isnull=True)
        .first()
    )
    if current is not None:
        if current.official_id == official.pk:
            return current
        current.ended_on = on
        current.end_reason = reason
        current.updated_by = by
        current.full_clean()
        current.save(update_fields=["ended_on", "end_reason", "updated_by", "updated_at"])
    return assignment_create(plan=plan, household=household, official=official, started_on=on, by=by)


@transaction.atomic
def support_action_record(
    *, household, official, client_uuid, by=None, review_reason: str = "", indicators=(), **fields
) -> tuple[SupportAction, bool]:
    """Record one support given to a household, once per client UUID.

    Returns (action, created). A UUID already stored returns the stored action unchanged, so a
    phone that re-sends its queue (or two requests racing) never makes a second record.
    `review_reason` flags the action for the commune officer (the official was no longer in charge).
    `indicators` are the deprivation indicators it addresses, as the support form checked them
    (assignments.forms.support_indicators).
    """
    existing = SupportAction.objects.filter(client_uuid=client_uuid).first()
    if existing is not None:
        return existing, False
    action = SupportAction(
        household=household,
        official=official,
        client_uuid=client_uuid,
        needs_review=bool(review_reason),
        review_reason=review_reason,
        created_by=by,
        updated_by=by,
        **fields,
    )
    action.full_clean(validate_unique=False)  # the UUID's uniqueness is settled by the database
    try:
        with transaction.atomic():
            action.save()
    except IntegrityError:
        existing = SupportAction.objects.filter(client_uuid=client_uuid).first()
        if existing is None:
            raise
        return existing, False
    if indicators:
        action.indicators.set(indicators)
    return action, True


@transaction.atomic
def assignments_bulk_assign(*, plan, households, official, on: date, reason: str = "", by=None) -> int:
    """Put one official in charge of several households of a plan at once (assignment_reassign for
    each: a current assignment to someone else ends on `on` and stays as history). Returns how many
    changed hands; those already in the official's charge are left as they are."""
    changed = 0
    for household in households:
        before = Assignment.objects.filter(
            plan=plan, household=household, official=official, ended_on__isnull=True
        ).exists()
        assignment_reassign(plan=plan, household=household, official=official, on=on, reason=reason, by=by)
        changed += not before
    return changed


@transaction.atomic
def plan_start_next(*, previous, text: dict, carried: dict, chosen: list, registered_on: date, by=None):
    """Plan N+1 from plan N in one step: the plan (plans.services.plan_create_next), the
    registrations of N that did not exit carried into it with their needs and commitment, each
    with the official given in `carried` (household → official or None), and the households
    `chosen` among the candidates registered too. The target is the number registered."""
    notes = {
        registration.household_id: {"needs": registration.needs, "commitment": registration.commitment}
        for registration in previous.exit_registrations.filter(household__in=list(carried))
    }
    households = [*carried, *(household for household in chosen if household not in carried)]
    plan = plan_services.plan_create_next(previous=previous, text=text, target_exits=len(households), by=by)
    plan_services.exit_registrations_register(
        plan=plan, households=households, registered_on=registered_on, notes=notes, by=by
    )
    for household, official in carried.items():
        if official is not None:
            assignment_create(
                plan=plan, household=household, official=official, started_on=registered_on, by=by
            )
    return plan
