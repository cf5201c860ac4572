"""Synthetic households, ORM-free: names, members, deprivations, incomes, causes and needs.

Pure functions of a random.Random and the static content of demo.data, so they run without a
database; demo.loader turns their output into rows.
"""

import datetime
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from households.classification import Level
from households.models import Member
from povertyplan.text import nfc

from . import data


def pick_weighted(rng: random.Random, weights: dict[str, float], k: int) -> list[str]:
    """k distinct keys, each drawn with its weight (Efraimidis–Spirakis keys), in a stable order."""
    keyed = sorted(weights.items(), key=lambda item: rng.random() ** (1.0 / item[1]), reverse=True)
    return [key for key, _weight in keyed[:k]]


def person_name(rng: random.Random, ethnicity: str, sex: str, family: str | None = None) -> tuple[str, str]:
    """A synthetic full name and the family name it used (children inherit it)."""
    male = sex == Member.Sex.MALE
    if ethnicity == "Ba Na":
        given = rng.choice(data.BAHNAR_MALE if male else data.BAHNAR_FEMALE)
        middle = ("Văn" if rng.random() < 0.7 else "") if male else ("Thị" if rng.random() < 0.85 else "")
        return " ".join(part for part in ("Đinh", middle, given) if part), "Đinh"
    if ethnicity == "Gia Rai":
        family = family or rng.choice(data.GIA_RAI_FAMILY)
        return f"{family} {rng.choice(data.GIA_RAI_MALE if male else data.GIA_RAI_FEMALE)}", family
    if ethnicity in data.OTHER_FAMILY:
        family = family or rng.choice(data.OTHER_FAMILY[ethnicity])
        middle = "Văn" if male else "Thị"
    else:
        if family is None:
            names, weights = zip(*data.KINH_FAMILY, strict=True)
            family = rng.choices(names, weights)[0]
        middle = rng.choice(data.KINH_MIDDLE_MALE if male else data.KINH_MIDDLE_FEMALE)
    return f"{family} {middle} {rng.choice(data.KINH_MALE if male else data.KINH_FEMALE)}", family


def other_sex(sex: str) -> str:
    return Member.Sex.FEMALE if sex == Member.Sex.MALE else Member.Sex.MALE


SIZE_WEIGHTS = {True: [8, 15, 22, 25, 18, 12], False: [12, 20, 25, 22, 13, 8]}  # poor: larger households


def household_people(rng: random.Random, *, ethnicity: str, female_head: bool, no_labour: bool, poor: bool):
    """The members of one household as dicts (name, sex, relation, age), the head first."""
    R, Sex = Member.Relation, Member.Sex
    people: list[dict] = []

    def add(relation: str, age: int, sex: str | None = None, family: str | None = None) -> dict:
        sex = sex or rng.choice(list(Sex))
        taken = {p["name"] for p in people}
        for _attempt in range(10):  # no two members with the same full name
            name, used_family = person_name(rng, ethnicity, sex, family)
            if name not in taken:
                break
        person = {"name": name, "sex": sex, "relation": relation, "age": age, "family": used_family}
        people.append(person)
        return person

    if no_labour:
        size, head_age = rng.choice([2, 2, 3]), rng.randint(66, 86)
    else:
        size = rng.choices([2, 3, 4, 5, 6, 7], SIZE_WEIGHTS[poor])[0]
        head_age = int(rng.triangular(21, 78, 38))
    head = add(R.HEAD, head_age, Sex.FEMALE if female_head else Sex.MALE)
    family, mother_age = head["family"], head_age
    if rng.random() < (0.25 if female_head else 0.93):
        if female_head:
            add(R.SPOUSE, max(18, head_age + rng.randint(-2, 6)), Sex.MALE)
        else:
            wife = add(R.SPOUSE, max(18, head_age + rng.randint(-6, 2)), Sex.FEMALE)
            mother_age = wife["age"]
            if ethnicity == "Gia Rai":
                family = wife["family"]  # Jarai children take their mother's clan name
    remaining = size - len(people)
    if no_labour:
        for _ in range(remaining):
            add(R.GRANDCHILD, rng.randint(6, 15), family=family)
        return people
    if head_age < 45 and remaining >= 2 and rng.random() < 0.12:
        add(R.PARENT, min(92, head_age + rng.randint(20, 30)))
        remaining -= 1
    if head_age >= 52 and remaining >= 3 and rng.random() < 0.6:
        child = add(R.CHILD, rng.randint(22, min(40, head_age - 18)), family=family)
        add(R.CHILD_IN_LAW, max(18, child["age"] + rng.randint(-4, 4)), other_sex(child["sex"]))
        for _ in range(remaining - 2):
            add(R.GRANDCHILD, rng.randint(0, max(0, child["age"] - 19)), family=family)
        return people
    for _ in range(remaining):
        add(R.CHILD, rng.randint(max(0, mother_age - 42), max(0, mother_age - 18)), family=family)
    return people


def base_statuses(person: dict, *, no_labour: bool) -> tuple[str, str]:
    """Plausible schooling and work for an age (2022)."""
    S, W = Member.Schooling, Member.Work
    age = person["age"]
    if age < 3:
        return S.UNDER_AGE, W.CHILD
    if age < 6:
        return S.PRESCHOOL, W.CHILD
    if age < 11:
        return S.PRIMARY, W.STUDENT
    if age < 15:
        return S.LOWER_SECONDARY, W.STUDENT
    if age < 18:
        return (S.UPPER_SECONDARY, W.STUDENT) if person["roll"] < 0.7 else (S.LEFT_SCHOOL, W.SELF_EMPLOYED)
    if age < 23 and person["roll"] < 0.2:
        return S.VOCATIONAL_HIGHER, W.STUDENT
    if no_labour and person["relation"] in (Member.Relation.HEAD, Member.Relation.SPOUSE):
        return S.LEFT_SCHOOL, W.NO_CAPACITY
    if age >= 65:
        return S.LEFT_SCHOOL, W.ELDERLY
    return S.LEFT_SCHOOL, (W.EMPLOYED if person["roll"] < 0.18 else W.SELF_EMPLOYED)


# How likely each indicator is among the deprivations of a household (Central Highlands pattern:
# latrine, water and housing first; health insurance rare since poor households get free cards).
DEPRIVATION_WEIGHTS = {
    "employment": 0.3,
    "dependants": 0.3,
    "nutrition": 0.25,
    "health_insurance": 0.1,
    "adult_education": 0.45,
    "child_schooling": 0.15,
    "housing_quality": 0.5,
    "housing_area": 0.35,
    "water_source": 0.55,
    "latrine": 0.75,
    "telecom": 0.2,
    "information_access": 0.35,
}
DEPRIVATION_COUNTS = {
    Level.POOR: ([3, 4, 5, 6, 7], [30, 28, 20, 14, 8]),
    Level.NEAR_POOR: ([0, 1, 2], [20, 40, 40]),
    Level.AVERAGE_LIVING: ([0, 1, 2, 3], [40, 30, 20, 10]),
    Level.OTHER: ([0, 1, 2], [65, 25, 10]),
}


def choose_deprivations(rng: random.Random, people: list[dict], level: str) -> list[str]:
    """Deprived indicators that the members make possible, as many as the level asks for."""
    ages = [p["age"] for p in people]
    dependants = sum(
        1 for p in people if p["age"] < 16 or p["age"] >= 75 or p["work"] == Member.Work.NO_CAPACITY
    )
    feasible = dict(DEPRIVATION_WEIGHTS)
    if not any(a < 16 for a in ages):
        feasible.pop("nutrition")
    if not any(3 <= a < 16 for a in ages):
        feasible.pop("child_schooling")
    if not any(16 <= a <= 30 for a in ages):
        feasible.pop("adult_education")
    if not any(18 <= p["age"] < 60 and p["work"] != Member.Work.STUDENT for p in people):
        feasible.pop("employment")
    forced = ["dependants"] if dependants * 2 > len(people) else []
    feasible.pop("dependants")  # deprived exactly when dependants are over half the members
    counts, weights = DEPRIVATION_COUNTS[level]
    k = max(rng.choices(counts, weights)[0], len(forced))
    if level == Level.POOR:
        k = max(k, 3)
    return forced + pick_weighted(rng, feasible, k - len(forced))


def apply_deprivations(rng: random.Random, people: list[dict], deprived: list[str]) -> None:
    """Make the members agree with the deprivations (no card, a child out of school, no job)."""
    S, W, H = Member.Schooling, Member.Work, Member.HealthInsurance
    for person in people:
        person["health_insurance"] = H.HAS_CARD
    if "health_insurance" in deprived:
        over_six = [p for p in people if p["age"] >= 6]
        for person in rng.sample(over_six, min(len(over_six), rng.choice([1, 1, 2]))):
            person["health_insurance"] = H.NO_CARD
    if "child_schooling" in deprived:
        child = rng.choice([p for p in people if 3 <= p["age"] < 16])
        child["schooling"], child["work"] = S.LEFT_SCHOOL, W.CHILD
    if "adult_education" in deprived:
        young = rng.choice([p for p in people if 16 <= p["age"] <= 30])
        if young["schooling"] != S.LEFT_SCHOOL:
            young["schooling"], young["work"] = S.LEFT_SCHOOL, W.SELF_EMPLOYED
    if "employment" in deprived:
        worker = rng.choice([p for p in people if 18 <= p["age"] < 60 and p["work"] != W.STUDENT])
        worker["work"] = W.UNEMPLOYED


def income_for(rng: random.Random, level: str) -> int:
    """Income per person per month (VND, rounded to 10,000) inside the level's band (rural)."""
    if level == Level.POOR:
        return rng.randrange(550_000, 1_500_001, 10_000)
    if level == Level.NEAR_POOR:
        return rng.randrange(1_050_000, 1_500_001, 10_000)
    if level == Level.AVERAGE_LIVING:
        return rng.randrange(1_510_000, 2_250_001, 10_000)
    return int(round(rng.triangular(2_260_000, 6_500_000, 2_900_000), -4))


def b1_score_for(rng: random.Random, level: str) -> int:
    if level in (Level.POOR, Level.NEAR_POOR):
        return rng.randint(70, 140)
    if level == Level.AVERAGE_LIVING:
        return rng.randint(141, 175)
    return rng.randint(176, 260)


CAUSE_WEIGHTS = {
    "no_capital": 0.75,
    "no_land": 0.3,
    "no_knowledge": 0.45,
    "no_skills": 0.3,
    "no_tools": 0.25,
    "illness": 0.12,
    "natural_disaster": 0.05,
}
NEED_WEIGHTS = {"production": 0.7, "credit": 0.55, "health": 0.12, "education": 0.08, "vocational": 0.15}
# A deprivation that makes a cause or a need likely.
CAUSE_FOR = {"dependants": "many_dependants", "employment": "no_work"}
NEED_FOR = {
    "housing_quality": "housing",
    "water_source": "water",
    "latrine": "latrine",
    "information_access": "information",
    "child_schooling": "education",
    "employment": "vocational",
}


def causes_and_needs(rng: random.Random, deprived: list[str], no_labour: bool) -> tuple[list[str], list[str]]:
    cause_weights = dict(CAUSE_WEIGHTS)
    for indicator, cause in CAUSE_FOR.items():
        if indicator in deprived:
            cause_weights[cause] = 0.8
    if no_labour:
        cause_weights["no_labour"] = 2.0
    need_weights = dict(NEED_WEIGHTS)
    for indicator, need in NEED_FOR.items():
        if indicator in deprived:
            need_weights[need] = 0.6
    causes = pick_weighted(rng, cause_weights, rng.choice([1, 2, 2, 3]))
    needs = pick_weighted(rng, need_weights, rng.choice([1, 2, 3, 3]))
    return causes, needs


def village_levels(rng: random.Random, spec: dict) -> list[tuple[str, str]]:
    """(level, head ethnicity) for every household of a village, in a shuffled order."""
    others = spec["households"] - spec["poor"] - spec["near_poor"] - spec["average"]
    non_poor = [Level.NEAR_POOR] * spec["near_poor"] + [Level.AVERAGE_LIVING] * spec["average"]
    non_poor += [Level.OTHER] * others
    rng.shuffle(non_poor)
    minority_non_poor = spec["minority"] - spec["minority_poor"]
    rows = [(Level.POOR, True)] * spec["minority_poor"] + [(Level.POOR, False)] * (
        spec["poor"] - spec["minority_poor"]
    )
    rows += [(level, index < minority_non_poor) for index, level in enumerate(non_poor)]
    rng.shuffle(rows)
    minority_groups = [name for name, n in spec["other_minorities"].items() for _ in range(n)]
    minority_groups += ["Ba Na"] * (spec["minority"] - len(minority_groups))
    rng.shuffle(minority_groups)
    groups = iter(minority_groups)
    return [(level, next(groups) if minority else "Kinh") for level, minority in rows]


PHONE_PREFIXES = ["098", "097", "096", "086", "035", "033", "039", "091", "094", "088", "034", "036"]


def unique_national_id(birth_year: int, sex: str, draw: int, taken: set[str]) -> str:
    """A synthetic 12-digit CCCD: 064 (Gia Lai), century-and-sex digit, year, six digits."""
    century_sex = (0 if birth_year < 2000 else 2) + (1 if sex == Member.Sex.FEMALE else 0)
    while True:
        candidate = f"064{century_sex}{birth_year % 100:02d}{draw:06d}"
        if candidate not in taken:
            taken.add(candidate)
            return candidate
        draw = (draw + 1) % 10**6


@dataclass
class SyntheticHousehold:
    village: str
    code: str
    level: str
    ethnicity: str
    is_indigenous: bool
    is_merit_family: bool
    has_no_labour_capacity: bool
    is_female_head: bool
    phone: str
    members: list[dict]  # full_name, sex, relation, birth_year, birth_date, national_id, statuses
    income: int
    b1_score: int
    deprived: list[str]
    reviewed_on: datetime.date
    causes: list[str] = field(default_factory=list)
    needs: list[str] = field(default_factory=list)

    @property
    def head_name(self) -> str:
        return self.members[0]["full_name"]


def synthetic_households(rng: random.Random) -> Iterator[SyntheticHousehold]:
    """Every household of the commune, village by village, as the 2022 review would find it."""
    national_ids: set[str] = set()
    number = 0
    for spec in data.VILLAGES:
        for level, ethnicity in village_levels(rng, spec):
            number += 1
            yield synthetic_household(rng, spec["name"], number, level, ethnicity, national_ids)


def synthetic_household(
    rng: random.Random, village: str, number: int, level: str, ethnicity: str, national_ids: set[str]
) -> SyntheticHousehold:
    minority = ethnicity != "Kinh"
    no_labour = rng.random() < {Level.POOR: 0.06, Level.NEAR_POOR: 0.05}.get(level, 0.005)
    female_head = rng.random() < 0.15
    people = household_people(
        rng, ethnicity=ethnicity, female_head=female_head, no_labour=no_labour, poor=level == Level.POOR
    )
    for person in people:
        person["roll"] = rng.random()
        person["schooling"], person["work"] = base_statuses(person, no_labour=no_labour)
    deprived = choose_deprivations(rng, people, level)
    apply_deprivations(rng, people, deprived)
    phone = ""
    if "telecom" not in deprived and rng.random() < (0.45 if minority else 0.8):
        phone = rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**7):07d}"
    members = []
    for person in people:
        birth_year = data.REVIEW_YEAR - person["age"]
        birth_date = None
        if rng.random() < 0.35:
            birth_date = datetime.date(birth_year, rng.randint(1, 12), rng.randint(1, 28))
        national_id = ""
        if person["age"] >= 18:
            national_id = unique_national_id(birth_year, person["sex"], rng.randrange(10**6), national_ids)
        members.append(
            {
                "full_name": nfc(person["name"]),
                "sex": person["sex"],
                "relation": person["relation"],
                "birth_year": birth_year,
                "birth_date": birth_date,
                "national_id": national_id,
                "health_insurance": person["health_insurance"],
                "schooling": person["schooling"],
                "work": person["work"],
            }
        )
    household = SyntheticHousehold(
        village=nfc(village),
        code=f"{data.HOUSEHOLD_CODE_PREFIX}-{number:04d}",
        level=level,
        ethnicity=ethnicity,
        is_indigenous=ethnicity in data.INDIGENOUS,
        is_merit_family=rng.random() < (0.015 if minority else 0.04),
        has_no_labour_capacity=no_labour,
        is_female_head=female_head,
        phone=phone,
        members=members,
        income=income_for(rng, level),
        b1_score=b1_score_for(rng, level),
        deprived=deprived,
        # The periodic review runs until 14 December (Decision 24/2021/QĐ-TTg).
        reviewed_on=datetime.date(data.REVIEW_YEAR, 11, 1) + datetime.timedelta(days=rng.randint(0, 43)),
    )
    if level in (Level.POOR, Level.NEAR_POOR):
        household.causes, household.needs = causes_and_needs(rng, deprived, no_labour)
    return household
