"""Writing the demo's support actions idempotently (shared by the first visits and the follow-ups)."""

from assignments.models import SupportAction


def support_actions_create_missing(actions: list[SupportAction]) -> int:
    """Insert the actions whose client UUID is not stored yet; returns how many were added."""
    existing = set(
        SupportAction.objects.filter(client_uuid__in=[a.client_uuid for a in actions]).values_list(
            "client_uuid", flat=True
        )
    )
    new = [action for action in actions if action.client_uuid not in existing]
    SupportAction.objects.bulk_create(new, batch_size=500)
    return len(new)
