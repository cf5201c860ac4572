"""Writes for plans and exit registrations."""

from datetime import date

from django.db import transaction

from plans.models import ExitRegistration


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
