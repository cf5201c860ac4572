"""The merger itself: what merger_plan says, written in one transaction."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Official
from households.models import Commune, CommuneMerger, Household, Village
from households.services import household_search_key
from povertyplan.formatting import format_date
from povertyplan.text import clean_text, fold

from .plan import MergerPlan, NewCommune, SourceMove, merger_plan


@transaction.atomic
def communes_merge(
    *, sources: list[Commune], into: Commune | NewCommune, on: datetime.date, by=None
) -> MergerPlan:
    """Merge `sources` into `into` (a current commune, or the fields of a new one) from `on`: see the
    package's docstring (households.merger). Returns what was done; ValidationError (nothing
    written) when refused."""
    locked = {c.pk: c for c in Commune.objects.select_for_update().filter(pk__in=[c.pk for c in sources])}
    sources = [locked.get(commune.pk, commune) for commune in sources]
    plan = merger_plan(sources=sources, into=into, on=on)
    now = timezone.now()
    stamp = {"updated_by": by, "updated_at": now}
    for commune in sources:
        commune.valid_until = on - datetime.timedelta(days=1)
        commune.updated_by = by
        commune.save(update_fields=["valid_until", "updated_by", "updated_at"])
    if isinstance(into, NewCommune):
        into = Commune(
            name=clean_text(into.name),
            code=clean_text(into.code),
            kind=into.kind,
            province=into.province,
            created_by=by,
            updated_by=by,
        )
        into.full_clean()
        into.save()
        plan.into = into
    for department in plan.new_departments:
        department.commune = into
        department.created_by = department.updated_by = by
        department.full_clean()
        department.save()
    with translation.override(settings.LANGUAGE_CODE):  # stored text, in the records' language
        for move in plan.sources:
            _move(move, into=into, plan=plan, stamp=stamp, by=by)
    plan.done = True
    return plan


def _move(move: SourceMove, *, into: Commune, plan: MergerPlan, stamp: dict, by) -> None:
    commune = move.commune
    names = {item.pk: item.new for item in move.village_names}
    village_codes = {item.pk: item.new for item in move.village_codes}
    for pk in names.keys() | village_codes.keys():
        village = Village.objects.get(pk=pk)
        village.name = names.get(pk, village.name)
        village.code = village_codes.get(pk, village.code)
        Village.objects.filter(pk=pk).update(
            commune=into, name=village.name, code=village.code, search_key=fold(village.name), **stamp
        )
    Village.objects.filter(commune=commune).update(commune=into, **stamp)

    note = _("Household code before the merger of communes on %(date)s (%(commune)s): %(code)s.")
    for item in move.household_codes:
        household = Household.objects.get(pk=item.pk)
        line = note % {"date": format_date(plan.on), "commune": commune.full_name, "code": item.old}
        Household.objects.filter(pk=item.pk).update(
            commune=into,
            code=item.new,
            notes=f"{household.notes}\n{line}".strip(),
            search_key=household_search_key(
                code=item.new, head_name=household.head_name, address=household.address
            ),
            **stamp,
        )
    Household.objects.filter(commune=commune).update(commune=into, **stamp)

    for old_department, code in move.departments.items():
        Official.objects.filter(commune=commune, department_id=old_department).update(
            commune=into, department=plan.departments[code], **stamp
        )
    Official.objects.filter(commune=commune).update(commune=into, **stamp)

    CommuneMerger.objects.create(
        commune=commune,
        into=into,
        on=plan.on,
        villages={str(pk): value for pk, value in move.villages.items()},
        household_codes={str(item.pk): item.old for item in move.household_codes},
        households=move.households,
        officials=move.officials,
        created_by=by,
        updated_by=by,
    )
