"""Writes for assignments and support actions."""

from datetime import date

from django.db import transaction

from assignments.models import Assignment, SupportAction


@transaction.atomic
def assignment_create(*, plan, household, official, started_on: date, by=None) -> Assignment:
    """Put an official in charge of a household for a plan (the household must have no current one)."""
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
def support_action_record(*, household, official, by=None, **fields) -> SupportAction:
    """Record one support given to a household."""
    action = SupportAction(household=household, official=official, created_by=by, updated_by=by, **fields)
    action.full_clean()
    action.save()
    return action
