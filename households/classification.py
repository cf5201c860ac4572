"""Poverty classification: pure rules, no database, no request.

A standard (thresholds, indicator list, rule name) is data. The 2022–2025 standard is read from
fixtures/standards/2022-2025.json, the same file that seeds the PovertyStandard table, so the rule
used without a database and the rows in it can never disagree.
"""

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.db import models
from django.utils.translation import gettext_lazy as _

STANDARDS_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "standards"
DEFAULT_STANDARD_CODE = "2022-2025"


class Level(models.TextChoices):
    POOR = "poor", _("Poor household")
    NEAR_POOR = "near_poor", _("Near-poor household")
    AVERAGE_LIVING = "average_living", _("Average-living household")
    OTHER = "other", _("Not on any list")


class Area(models.TextChoices):
    RURAL = "rural", _("Rural")
    URBAN = "urban", _("Urban")


@dataclass(frozen=True)
class Standard:
    code: str
    rule: str
    poverty_line: Mapping[str, int]
    average_living_ceiling: Mapping[str, int]
    indicator_codes: tuple[str, ...]
    min_deprivations: int = 3
    params: Mapping[str, object] = field(default_factory=dict)


def _multidimensional_2022(income: int, deprivations: int, area: str, standard: Standard) -> Level:
    """Decree 07/2021: at or below the line, ≥ 3 deprivations is poor, fewer is near-poor."""
    if income <= standard.poverty_line[area]:
        return Level.POOR if deprivations >= standard.min_deprivations else Level.NEAR_POOR
    if income <= standard.average_living_ceiling[area]:
        return Level.AVERAGE_LIVING
    return Level.OTHER


# A new period with a different rule adds one small function here and names it in its data.
RULES: dict[str, Callable[[int, int, str, Standard], Level]] = {
    "multidimensional_2022": _multidimensional_2022,
}


def standard_from_data(data: Mapping) -> Standard:
    """Build a Standard from the JSON shape of fixtures/standards/*.json."""
    return Standard(
        code=data["code"],
        rule=data["rule"],
        poverty_line=dict(data["poverty_line"]),
        average_living_ceiling=dict(data["average_living_ceiling"]),
        indicator_codes=tuple(item["code"] for item in data["indicators"]),
        min_deprivations=int(data["min_deprivations"]),
        params=dict(data.get("params") or {}),
    )


def load_standard_data(code: str = DEFAULT_STANDARD_CODE) -> dict:
    return json.loads((STANDARDS_DIR / f"{code}.json").read_text(encoding="utf-8"))


@cache
def default_standard() -> Standard:
    return standard_from_data(load_standard_data(DEFAULT_STANDARD_CODE))


def classify(
    income_per_capita_month: int,
    deprived: Iterable[str],
    area: str = "rural",
    standard: Standard | None = None,
) -> Level:
    """Classify a household from its income per person per month (VND) and deprived indicator codes."""
    standard = standard or default_standard()
    if income_per_capita_month is None or income_per_capita_month < 0:
        raise ValueError(f"income per person must be zero or more, got {income_per_capita_month!r}")
    if area not in standard.poverty_line:
        raise ValueError(f"unknown area {area!r}; expected one of {sorted(standard.poverty_line)}")
    codes = set(deprived)
    unknown = codes - set(standard.indicator_codes)
    if unknown:
        raise ValueError(f"unknown indicator codes for standard {standard.code}: {sorted(unknown)}")
    try:
        rule = RULES[standard.rule]
    except KeyError:
        raise ValueError(f"standard {standard.code} names an unknown rule {standard.rule!r}") from None
    return rule(income_per_capita_month, len(codes), area, standard)
