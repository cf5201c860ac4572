"""Loading the demo commune: one transaction, deterministic, safe to run again.

Each section is get-or-create by natural key (unit codes, village names, department codes, plan
year, usernames, support-action UUIDs) or is skipped when its rows are already there, so a second
run adds nothing and only resets the demo users' passwords. Households, members, assessments and
their many-to-many rows are written with bulk_create; the classification still comes from
households.classification.classify, never from a hard-coded class.

The rest of 2023 (a year of follow-up support, then the end-of-2023 review of the registered
households and their exit outcome) is in demo.year_end.

Randomness: the households use random.Random(2023); the later sections each get their own
generator seeded from 2023 and the section name, so skipping one section on a rerun does not shift
the numbers drawn by another.
"""

import datetime
import random
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from accounts import services as account_services
from accounts.models import Department, Official
from assignments.models import Assignment, SupportAction
from demo.support import support_actions_create_missing
from households.classification import Area, Level, classify
from households.models import (
    Assessment,
    Commune,
    District,
    Ethnicity,
    Household,
    Indicator,
    Member,
    PovertyCause,
    PovertyStandard,
    Province,
    SupportNeed,
    Village,
)
from households.services import household_search_key, member_search_key
from plans.models import ExitRegistration, Plan, Programme, Project, Responsibility
from povertyplan.roles import Role
from povertyplan.text import fold, nfc

from . import data, rounds, year_end
from .synthetic import synthetic_households

# Fixed namespace for the support actions' client UUIDs (uuid5 of a natural key), so a rerun
# recognises the rows it wrote before.
UUID_NAMESPACE = uuid.UUID("6f1d3c5e-2023-4b6a-9c1e-4b4c4b4c2023")


@dataclass
class LoadResult:
    commune: Commune
    created: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def created_total(self) -> int:
        return sum(self.created.values())


def section_rng(section: str) -> random.Random:
    return random.Random(f"{data.SEED}:{section}")


def load_demo() -> LoadResult:
    """Load (or complete) the demo commune and return what was created."""
    started = time.monotonic()
    with transaction.atomic():
        created: dict[str, int] = {}
        commune, created["units"] = load_units()
        villages, created["villages"] = load_villages(commune)
        departments, created["departments"] = load_departments(commune)
        users, created["users"] = load_users(commune, departments)
        admin = users["admin"]
        created["households"] = load_households(commune, villages, by=admin)
        plan, created["plans"] = load_plan(commune, by=admin)
        created["responsibilities"] = load_responsibilities(plan, departments)
        created["exit_registrations"] = load_registrations(plan, by=admin)
        created["support_actions"] = load_support_actions(plan, by=admin)
        created["support_follow_ups"] = year_end.load_year_support(plan, by=admin)
        created["year_end_reviews"] = year_end.load_year_end_review(plan, by=admin)
        created["review_rounds"] = rounds.load_rounds(commune, by=admin)
    return LoadResult(commune=commune, created=created, seconds=time.monotonic() - started)


# --- units, villages, departments ------------------------------------------------------------


def load_units() -> tuple[Commune, int]:
    province, p_new = Province.objects.get_or_create(
        code=data.PROVINCE["code"],
        valid_until=None,
        defaults={"name": data.PROVINCE["name"], "kind": Province.Kind.PROVINCE},
    )
    district, d_new = District.objects.get_or_create(
        code=data.DISTRICT["code"],
        valid_until=None,
        defaults={"name": data.DISTRICT["name"], "kind": District.Kind.DISTRICT, "province": province},
    )
    commune, c_new = Commune.objects.get_or_create(
        code=data.COMMUNE["code"],
        valid_until=None,
        defaults={
            "name": data.COMMUNE["name"],
            "kind": Commune.Kind.COMMUNE,
            "province": province,
            "district": district,
        },
    )
    return commune, p_new + d_new + c_new


def load_villages(commune: Commune) -> tuple[dict[str, Village], int]:
    villages, count = {}, 0
    for spec in data.VILLAGES:
        name = nfc(spec["name"])
        village, new = Village.objects.get_or_create(
            commune=commune, name=name, defaults={"kind": spec["kind"], "search_key": fold(name)}
        )
        villages[name] = village
        count += new
    return villages, count


def load_departments(commune: Commune) -> tuple[dict[str, Department], int]:
    departments, count = {}, 0
    for order, spec in enumerate(data.DEPARTMENTS, start=1):
        department, new = Department.objects.get_or_create(
            commune=commune, code=spec["code"], defaults={"name": spec["name"], "order": order}
        )
        departments[spec["code"]] = department
        count += new
    return departments, count


# --- users ---------------------------------------------------------------------------------


def official_username(number: int) -> str:
    return f"canbo{number:02d}"


def demo_usernames() -> list[str]:
    fixed = [data.ADMIN["username"], data.COMMUNE_OFFICER["username"], data.UPPER_OFFICE["username"]]
    return fixed + [official_username(n) for n in range(1, len(data.OFFICIALS) + 1)]


def load_users(commune: Commune, departments: dict[str, Department]) -> tuple[dict, int]:
    user_model = get_user_model()
    count = 0
    admin, new = user_model.objects.get_or_create(
        username=data.ADMIN["username"], defaults={"is_superuser": True, "is_staff": True}
    )
    count += new
    if not Official.objects.filter(user=admin).exists():
        profile = Official(
            user=admin,
            full_name=data.ADMIN["full_name"],
            position=data.ADMIN["position"],
            commune=commune,
            created_by=admin,
            updated_by=admin,
        )
        profile.full_clean()
        profile.save()

    specs = [
        dict(data.COMMUNE_OFFICER, role=Role.COMMUNE_OFFICER, commune=commune),
        dict(data.UPPER_OFFICE, role=Role.UPPER_OFFICE, district=commune.district),
    ] + [
        dict(spec, username=official_username(number), role=Role.OFFICIAL, commune=commune)
        for number, spec in enumerate(data.OFFICIALS, start=1)
    ]
    existing = set(
        user_model.objects.filter(username__in=[s["username"] for s in specs]).values_list(
            "username", flat=True
        )
    )
    for spec in specs:
        if spec["username"] in existing:
            continue
        account_services.official_create(
            username=spec["username"],
            password=None,  # set below for all demo users at once
            full_name=nfc(spec["full_name"]),
            role=spec["role"],
            commune=spec.get("commune"),
            district=spec.get("district"),
            department=departments.get(spec.get("department", "")),
            position=nfc(spec["position"]),
            phone=spec.get("phone", ""),
            by=admin,
        )
        count += 1

    # One hash for all demo accounts: hashing the password twenty times would take most of the
    # run (PBKDF2 is slow on purpose). Reset on every run, so the documented password always works.
    user_model.objects.filter(username__in=demo_usernames()).update(
        password=make_password(data.DEMO_PASSWORD), is_active=True
    )
    user_model.objects.filter(pk=admin.pk).update(is_superuser=True, is_staff=True)
    users = {user.username: user for user in user_model.objects.filter(username__in=demo_usernames())}
    return users, count


# --- households, members, assessments -------------------------------------------------------


def load_households(commune: Commune, villages: dict[str, Village], *, by) -> int:
    """All households of the 2022 review with members and assessments; skipped if any exist."""
    if Household.objects.filter(commune=commune).exists():
        return 0
    standard = PovertyStandard.objects.get(code=data.STANDARD_CODE)
    indicators = {i.code: i for i in Indicator.objects.filter(standard=standard)}
    rule = standard.to_rule(tuple(sorted(indicators)))
    ethnicities = {e.name: e for e in Ethnicity.objects.all()}
    causes = {c.code: c.pk for c in PovertyCause.objects.all()}
    needs = {n.code: n.pk for n in SupportNeed.objects.all()}
    kind_words = {spec["name"]: data.VILLAGE_KIND_WORD[spec["kind"]].capitalize() for spec in data.VILLAGES}

    synthetic = list(synthetic_households(random.Random(data.SEED)))
    households = []
    for item in synthetic:
        # The class stored is the rule's; the generator's intent only has to agree with it.
        computed = classify(item.income, item.deprived, area=Area.RURAL, standard=rule)
        if computed != item.level:
            raise AssertionError(f"{item.code}: generated as {item.level}, the rule says {computed}")
        item.level = computed
        address = f"{kind_words[item.village]} {item.village}, xã {commune.name}"
        households.append(
            Household(
                commune=commune,
                village=villages[item.village],
                code=item.code,
                head_name=item.head_name,
                address=address,
                head_ethnicity=ethnicities[item.ethnicity],
                is_ethnic_minority=ethnicities[item.ethnicity].is_minority,
                is_indigenous=item.is_indigenous,
                area=Area.RURAL,
                is_merit_family=item.is_merit_family,
                has_no_labour_capacity=item.has_no_labour_capacity,
                is_female_head=item.is_female_head,
                phone=item.phone,
                search_key=household_search_key(code=item.code, head_name=item.head_name, address=address),
                created_by=by,
                updated_by=by,
            )
        )
    Household.objects.bulk_create(households, batch_size=500)
    # Ids read back by natural key, so this works on every backend, returning ids or not.
    ids = dict(Household.objects.filter(commune=commune).values_list("code", "id"))

    members, assessments, cause_rows, need_rows = [], [], [], []
    CauseLink, NeedLink = Household.causes.through, Household.needs.through
    for item in synthetic:
        household_id = ids[item.code]
        members += [
            Member(
                household_id=household_id,
                number=number,
                ethnicity=ethnicities[item.ethnicity],
                search_key=member_search_key(full_name=fields["full_name"]),
                created_by=by,
                updated_by=by,
                **fields,
            )
            for number, fields in enumerate(item.members, start=1)
        ]
        assessments.append(
            Assessment(
                household_id=household_id,
                review_year=data.REVIEW_YEAR,
                kind=Assessment.Kind.PERIODIC,
                reviewed_on=item.reviewed_on,
                standard=standard,
                income_per_capita_month=item.income,
                b1_score=item.b1_score,
                computed_classification=item.level,
                classification=item.level,
                created_by=by,
                updated_by=by,
            )
        )
        cause_rows += [CauseLink(household_id=household_id, povertycause_id=causes[c]) for c in item.causes]
        need_rows += [NeedLink(household_id=household_id, supportneed_id=needs[n]) for n in item.needs]
    Member.objects.bulk_create(members, batch_size=1000)
    Assessment.objects.bulk_create(assessments, batch_size=500)
    CauseLink.objects.bulk_create(cause_rows, batch_size=1000)
    NeedLink.objects.bulk_create(need_rows, batch_size=1000)

    assessment_ids = dict(
        Assessment.objects.filter(
            household__commune=commune, review_year=data.REVIEW_YEAR, kind=Assessment.Kind.PERIODIC
        ).values_list("household_id", "id")
    )
    DeprivationLink = Assessment.deprivations.through
    DeprivationLink.objects.bulk_create(
        [
            DeprivationLink(assessment_id=assessment_ids[ids[item.code]], indicator_id=indicators[code].pk)
            for item in synthetic
            for code in item.deprived
        ],
        batch_size=1000,
    )
    return len(households)


# --- the 2023 plan ---------------------------------------------------------------------------


def load_plan(commune: Commune, *, by) -> tuple[Plan, int]:
    existing = Plan.objects.filter(commune=commune, year=data.PLAN_YEAR).first()
    if existing is not None:
        return existing, 0
    spec = data.PLAN
    plan = Plan(
        commune=commune,
        year=data.PLAN_YEAR,
        programme=Programme.objects.get(code=data.PROGRAMME_CODE),
        baseline_review_year=data.REVIEW_YEAR,
        number=spec["number"],
        issued_on=spec["issued_on"],
        place=spec["place"],
        title=spec["title"],
        subject=spec["subject"],
        legal_bases="\n".join(spec["legal_bases"]),
        introduction=spec["introduction"],
        purposes="\n".join(spec["purposes"]),
        requirements="\n".join(spec["requirements"]),
        target_exits=spec["target_exits"],
        support_forms="\n".join(spec["support_forms"]),
        time_frame=spec["time_frame"],
        starts_on=spec["starts_on"],
        ends_on=spec["ends_on"],
        closing=spec["closing"],
        signer_authority=spec["signer_authority"],
        signer_title=spec["signer_title"],
        signer_name=spec["signer_name"],
        recipients="\n".join(spec["recipients"]),
        created_by=by,
        updated_by=by,
    )
    plan.full_clean()
    plan.save()
    return plan, 1


def load_responsibilities(plan: Plan, departments: dict[str, Department]) -> int:
    count = 0
    projects = {p.code: p for p in Project.objects.filter(programme=plan.programme)}
    for order, spec in enumerate(data.DEPARTMENTS, start=1):
        duty, new = Responsibility.objects.get_or_create(
            plan=plan,
            department=departments[spec["code"]],
            defaults={"order": order, "heading": spec["heading"], "tasks": "\n".join(spec["tasks"])},
        )
        if new:
            duty.projects.set([projects[code] for code in spec["projects"]])
            count += 1
    return count


def load_registrations(plan: Plan, *, by) -> int:
    """51 poor households registered to exit, each with an official in charge; skipped if present."""
    if plan.exit_registrations.exists():
        return 0
    rng = section_rng("registrations")
    candidates = defaultdict(list)
    poor = (
        Household.objects.filter(
            commune=plan.commune,
            has_no_labour_capacity=False,
            assessments__review_year=plan.baseline_review_year,
            assessments__kind=Assessment.Kind.PERIODIC,
            assessments__classification=Level.POOR,
        )
        .select_related("village")
        .order_by("code")
    )
    for household in poor:
        candidates[household.village.name].append(household)
    chosen = []  # (village name, household), village by village
    for spec in data.VILLAGES:
        name = nfc(spec["name"])
        picked = sorted(rng.sample(candidates[name], spec["exits"]), key=lambda h: h.code)
        chosen += [(name, household) for household in picked]

    officials = list(
        Official.objects.filter(
            user__username__in=[official_username(n) for n in range(1, len(data.OFFICIALS) + 1)]
        )
        .select_related("user")
        .order_by("user__username")
    )
    # Officials tied to a village take its households first; the others fill up in village order.
    quota = {
        official.pk: spec["households"] for official, spec in zip(officials, data.OFFICIALS, strict=True)
    }
    in_charge = {}
    for official, spec in zip(officials, data.OFFICIALS, strict=True):
        for village_name, household in chosen:
            if quota[official.pk] and village_name == spec.get("village") and household.pk not in in_charge:
                in_charge[household.pk] = official
                quota[official.pk] -= 1
    free = iter(household for _name, household in chosen if household.pk not in in_charge)
    for official in officials:
        while quota[official.pk]:
            in_charge[next(free).pk] = official
            quota[official.pk] -= 1

    weights = [p["weight"] for p in data.EXIT_PLANS]
    registrations, assignments = [], []
    for _village_name, household in chosen:
        template = rng.choices(data.EXIT_PLANS, weights)[0]
        registered_on = datetime.date(plan.year, 2, rng.randint(6, 17))
        status = (
            ExitRegistration.Status.REGISTERED if rng.random() < 0.08 else ExitRegistration.Status.IN_PROGRESS
        )
        registrations.append(
            ExitRegistration(
                plan=plan,
                household=household,
                registered_on=registered_on,
                needs=template["needs"],
                commitment=template["commitment"],
                status=status,
                created_by=by,
                updated_by=by,
            )
        )
        assignments.append(
            Assignment(
                plan=plan,
                household=household,
                official=in_charge[household.pk],
                started_on=registered_on,
                created_by=by,
                updated_by=by,
            )
        )
    ExitRegistration.objects.bulk_create(registrations)
    Assignment.objects.bulk_create(assignments)
    return len(registrations)


def load_support_actions(plan: Plan, *, by) -> int:
    """Support actions logged by the officials in charge, Feb–Nov; rows already there are kept."""
    rng = section_rng("support")
    templates = {p["needs"]: p for p in data.EXIT_PLANS}
    current = {
        a.household_id: a.official_id for a in Assignment.objects.filter(plan=plan, ended_on__isnull=True)
    }
    registrations = plan.exit_registrations.select_related("household").order_by("household__code")
    last_day = datetime.date(plan.year, 11, 30)
    actions = []
    for registration in registrations:
        if registration.household_id not in current:
            continue
        template = templates.get(registration.needs, data.EXIT_PLANS[0])
        count = rng.choices([1, 2, 3], [50, 40, 10])[0]
        # The first visit comes soon after registering, the next ones weeks or months apart.
        dates, day = [], registration.registered_on
        for _ in range(count):
            day = min(
                last_day,
                day + datetime.timedelta(days=rng.randint(5, 40) if not dates else rng.randint(20, 110)),
            )
            dates.append(day)
        for index, (kind, description, quantity, unit, value, contributor) in enumerate(
            template["actions"][:count]
        ):
            actions.append(
                SupportAction(
                    household_id=registration.household_id,
                    official_id=current[registration.household_id],
                    plan=plan,
                    date=dates[index],
                    kind=kind,
                    description=description,
                    quantity=None if quantity is None else Decimal(quantity),
                    unit=unit,
                    value_vnd=value,
                    contributor=contributor,
                    client_uuid=uuid.uuid5(
                        UUID_NAMESPACE, f"{plan.year}/{registration.household.code}/{index}"
                    ),
                    created_by=by,
                    updated_by=by,
                )
            )
    return support_actions_create_missing(actions)
