"""Labels for the choice codes that list pages annotate onto rows (a Subquery gives the code only).

Display only: the translated label of a stored code, nothing decided here.
"""

from django import template

from households.classification import Level
from plans.models import ExitRegistration

register = template.Library()


def _label(choices, code) -> str:
    return str(choices(code).label) if code in choices.values else ""


@register.filter
def level_label(code):
    """ "poor" → "Hộ nghèo" (in the active language); "" for no code."""
    return _label(Level, code)


@register.filter
def exit_status_label(code):
    """ "registered", "exited" → the exit registration's status or outcome label; "" for no code."""
    return _label(ExitRegistration.Outcome, code)
