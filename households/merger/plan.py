"""What a merger would move and rename, and what refuses it: read, never written."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Department, Official
from households.models import Commune, CommuneMerger, Household, Province, ReviewRound, Village
from povertyplan.formatting import format_date

VILLAGE_NAME_MAX = Village._meta.get_field("name").max_length
VILLAGE_CODE_MAX = Village._meta.get_field("code").max_length
HOUSEHOLD_CODE_MAX = Household._meta.get_field("code").max_length


@dataclass(frozen=True)
class NewCommune:
    """The fields of a commune the merger creates (directly under its province, as since 2025)."""

    name: str
    code: str
    province: Province
    kind: str = Commune.Kind.COMMUNE

    @property
    def full_name(self) -> str:
        return f"{Commune.Kind(self.kind).label} {self.name}"


@dataclass(frozen=True)
class Renamed:
    pk: int
    old: str
    new: str


@dataclass
class SourceMove:
    """What one merged commune hands over."""

    commune: Commune
    villages: dict[int, dict] = field(default_factory=dict)  # id → {"name", "code"} as they were
    village_names: list[Renamed] = field(default_factory=list)
    village_codes: list[Renamed] = field(default_factory=list)
    household_codes: list[Renamed] = field(default_factory=list)
    households: int = 0
    officials: int = 0
    open_assignments: int = 0
    departments: dict[int, str] = field(default_factory=dict)  # department id → code of the new one


@dataclass
class MergerPlan:
    """What a merger does (or did): the same object for the dry run and the result."""

    into: Commune | NewCommune
    on: datetime.date
    sources: list[SourceMove]
    # code → the new commune's department of that code; those it lacks are created (unsaved until
    # the merger runs, and listed in new_departments).
    departments: dict[str, Department] = field(default_factory=dict)
    new_departments: list[Department] = field(default_factory=list)
    new_commune: NewCommune | None = None  # the fields of the commune created, if one is
    done: bool = False

    @property
    def creates_commune(self) -> bool:
        return self.new_commune is not None

    @property
    def households(self) -> int:
        return sum(source.households for source in self.sources)


def _refuse(message: str):
    raise ValidationError(message)


def _check(*, sources: list[Commune], into: Commune | NewCommune, on: datetime.date) -> None:
    if not sources:
        _refuse(_("Choose the communes to merge."))
    if len({commune.pk for commune in sources}) != len(sources):
        _refuse(_("A commune is listed twice."))
    if on > timezone.localdate():
        _refuse(
            _("The merger date %(date)s is after today: villages and households move when the merger is run.")
            % {"date": format_date(on)}
        )
    for commune in sources:
        if commune.valid_until is not None:
            record = CommuneMerger.objects.filter(commune=commune).select_related("into").first()
            if record is not None:
                _refuse(
                    _("%(commune)s was already merged into %(into)s from %(date)s.")
                    % {"commune": commune, "into": record.into, "date": format_date(record.on)}
                )
            _refuse(
                _("%(commune)s is no longer a current commune (valid until %(date)s).")
                % {"commune": commune, "date": format_date(commune.valid_until)}
            )
    formed = (
        CommuneMerger.objects.filter(into__in=sources, on__gte=on)
        .select_related("into")
        .order_by("on")
        .first()
    )
    if formed is not None:  # a commune formed on or after this date: running the same merger again
        _refuse(
            _("%(commune)s was formed by the merger of %(date)s: it cannot be merged again from that date.")
            % {"commune": formed.into, "date": format_date(formed.on)}
        )
    if isinstance(into, Commune):
        if into.pk in {commune.pk for commune in sources}:
            _refuse(_("%(commune)s cannot be merged into itself.") % {"commune": into})
        if into.valid_until is not None:
            _refuse(_("%(commune)s is no longer a current commune.") % {"commune": into})
    else:
        if not into.name.strip():
            _refuse(_("Give the name of the new commune."))
        if into.province.valid_until is not None:
            _refuse(_("%(province)s is no longer a current province.") % {"province": into.province})
        holder = (
            Commune.objects.filter(code=into.code, valid_until__isnull=True)
            .exclude(pk__in=[commune.pk for commune in sources])
            .first()
            if into.code
            else None
        )
        if holder is not None:
            _refuse(
                _(
                    "%(commune)s already has the code %(code)s: merge into it, or give the new commune "
                    "another code."
                )
                % {"commune": holder, "code": into.code}
            )
    blocking = (
        ReviewRound.objects.filter(commune__in=sources)
        .filter(Q(state=ReviewRound.State.OPEN) | Q(ends_on__gte=on))
        .select_related("commune")
        .order_by("ends_on")
        .first()
    )
    if blocking is not None:
        _refuse(
            _(
                "%(commune)s has a review round that is open or ends on or after the merger date "
                "(%(round)s): close it before the merger, which moves the households it reviews."
            )
            % {"commune": blocking.commune, "round": blocking}
        )


class _Taken:
    """Names or codes in use in the new commune, as the merger goes along."""

    def __init__(self, values, key=lambda value: value):
        self.key = key
        self.values = {key(value) for value in values if value}

    def __contains__(self, value) -> bool:
        return bool(value) and self.key(value) in self.values

    def add(self, value) -> None:
        if value:
            self.values.add(self.key(value))


def _reserve(rows, taken: _Taken, attribute: str, renamed) -> dict[int, str]:
    """Keep the values not taken; rename the others with `renamed(value)`. id → new value."""
    changed = {}
    clashing = [row for row in rows if row[attribute] in taken]
    clashing_ids = {row["pk"] for row in clashing}
    for row in rows:
        if row["pk"] not in clashing_ids:
            taken.add(row[attribute])
    for row in clashing:
        new = renamed(row[attribute])
        if new in taken:
            _refuse(
                _("%(value)s is taken in the new commune, and so is %(new)s: rename one of them first.")
                % {"value": row[attribute], "new": new}
            )
        taken.add(new)
        changed[row["pk"]] = new
    return changed


def _prefixed(commune: Commune, limit: int):
    def renamed(code: str) -> str:
        if not commune.code:
            _refuse(
                _(
                    "The code %(code)s of %(commune)s is taken in the new commune, and %(commune)s has no "
                    "official code to tell them apart: give it its code first."
                )
                % {"code": code, "commune": commune}
            )
        new = f"{commune.code}-{code}"
        if len(new) > limit:
            _refuse(
                _("%(new)s would be longer than %(limit)s characters: shorten the code %(code)s first.")
                % {"new": new, "limit": limit, "code": code}
            )
        return new

    return renamed


def _suffixed(commune: Commune):
    def renamed(name: str) -> str:
        new = f"{name} ({commune.name})"
        if len(new) > VILLAGE_NAME_MAX:
            _refuse(
                _("%(new)s would be longer than %(limit)s characters: shorten the name %(name)s first.")
                % {"new": new, "limit": VILLAGE_NAME_MAX, "name": name}
            )
        return new

    return renamed


def merger_plan(*, sources: list[Commune], into: Commune | NewCommune, on: datetime.date) -> MergerPlan:
    """What merging `sources` into `into` from `on` would move and rename; writes nothing. Raises
    ValidationError (a Vietnamese reason) when the merger is refused."""
    _check(sources=sources, into=into, on=on)
    source_ids = [commune.pk for commune in sources]
    into_id = into.pk if isinstance(into, Commune) else None
    existing = [into_id] if into_id is not None else []
    villages = list(
        Village.objects.filter(commune__in=source_ids + existing)
        .order_by("pk")
        .values("pk", "commune_id", "name", "code")
    )
    households = list(
        Household.objects.filter(commune__in=source_ids + existing)
        .order_by("code", "pk")
        .values("pk", "commune_id", "code")
    )
    departments = list(Department.objects.filter(commune__in=source_ids + existing).order_by("order", "pk"))
    officials = dict(
        Official.objects.filter(commune__in=source_ids)
        .values("commune_id")
        .annotate(n=Count("pk"))
        .values_list("commune_id", "n")
    )
    # Assignments point at the household; read through the relation, not written by the merger.
    open_assignments = dict(
        Household.objects.filter(commune__in=source_ids, assignments__ended_on__isnull=True)
        .values("commune_id")
        .annotate(n=Count("assignments"))
        .values_list("commune_id", "n")
    )

    def of(rows, commune_id):
        return [row for row in rows if row["commune_id"] == commune_id]

    names = _Taken((row["name"] for row in of(villages, into_id)), key=str.casefold)
    village_codes = _Taken(row["code"] for row in of(villages, into_id))
    codes = _Taken(row["code"] for row in of(households, into_id))
    by_code = {dept.code: dept for dept in departments if dept.commune_id == into_id}
    new_departments = []
    moves = []
    for commune in sources:
        move = SourceMove(commune=commune, officials=officials.get(commune.pk, 0))
        move.open_assignments = open_assignments.get(commune.pk, 0)
        own_villages = of(villages, commune.pk)
        own_households = of(households, commune.pk)
        move.villages = {row["pk"]: {"name": row["name"], "code": row["code"]} for row in own_villages}
        move.households = len(own_households)
        old = {row["pk"]: row for row in own_villages}
        for pk, new in _reserve(own_villages, names, "name", _suffixed(commune)).items():
            move.village_names.append(Renamed(pk, old[pk]["name"], new))
        for pk, new in _reserve(
            own_villages, village_codes, "code", _prefixed(commune, VILLAGE_CODE_MAX)
        ).items():
            move.village_codes.append(Renamed(pk, old[pk]["code"], new))
        old = {row["pk"]: row for row in own_households}
        for pk, new in _reserve(
            own_households, codes, "code", _prefixed(commune, HOUSEHOLD_CODE_MAX)
        ).items():
            move.household_codes.append(Renamed(pk, old[pk]["code"], new))
        for dept in departments:
            if dept.commune_id != commune.pk:
                continue
            if dept.code not in by_code:
                by_code[dept.code] = Department(code=dept.code, name=dept.name, order=dept.order)
                new_departments.append(by_code[dept.code])
            move.departments[dept.pk] = dept.code
        moves.append(move)
    return MergerPlan(
        into=into,
        on=on,
        sources=moves,
        departments=by_code,
        new_departments=new_departments,
        new_commune=into if isinstance(into, NewCommune) else None,
    )
