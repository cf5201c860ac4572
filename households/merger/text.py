"""What a merger does, in words: the command's output and the admin's confirmation page."""

import datetime

from django.utils.translation import gettext as _

from povertyplan.formatting import format_date, format_number

from .plan import MergerPlan


def describe(plan: MergerPlan) -> list[str]:
    """The lines that say what the merger moves and renames (or moved and renamed)."""
    into = plan.into
    if plan.creates_commune:
        lines = [
            _("New commune: %(commune)s (code %(code)s, %(province)s).")
            % {"commune": into.full_name, "code": into.code or "–", "province": into.province}
        ]
    else:
        lines = [_("Merged into: %(commune)s (code %(code)s).") % {"commune": into, "code": into.code or "–"}]
    lines.append(
        _("From %(on)s; the merged communes are valid until %(until)s.")
        % {"on": format_date(plan.on), "until": format_date(plan.on - datetime.timedelta(days=1))}
    )
    for move in plan.sources:
        lines.append(
            _(
                "%(commune)s (code %(code)s): %(villages)s villages, %(households)s households, "
                "%(officials)s officials, %(assignments)s open assignments."
            )
            % {
                "commune": move.commune.full_name,
                "code": move.commune.code or "–",
                "villages": format_number(len(move.villages)),
                "households": format_number(move.households),
                "officials": format_number(move.officials),
                "assignments": format_number(move.open_assignments),
            }
        )
        for item in move.village_names:
            lines.append(_("Village renamed: %(old)s → %(new)s.") % {"old": item.old, "new": item.new})
        for item in move.village_codes:
            lines.append(_("Village code changed: %(old)s → %(new)s.") % {"old": item.old, "new": item.new})
        for item in move.household_codes:
            lines.append(_("Household code changed: %(old)s → %(new)s.") % {"old": item.old, "new": item.new})
    for department in plan.new_departments:
        lines.append(_("Department created in the new commune: %(name)s.") % {"name": department.name})
    lines.append(
        _(
            "Open assignments stay under their plan (the merged commune's plan of the year) until it "
            "ends; closed years and their reports of the merged communes stay as they were."
        )
    )
    return lines
