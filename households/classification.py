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
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from povertyplan.formatting import format_vnd

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


# --- Why a household has its class, and what would change it ---------------------------------------


@dataclass(frozen=True)
class Explanation:
    """The rule's reading of one review: the figures it compared and the nearest change of class.

    The "what would change" counts are found by asking the standard's own rule about neighbouring
    counts, so they stay right for a period whose rule differs from Decree 07's.
    """

    level: Level
    area: str
    income: int
    deprivations: int
    indicator_count: int
    min_deprivations: int
    poverty_line: int
    average_living_ceiling: int
    # How many more deprived indicators would change the class (None: no number of them would),
    # and the class they would give; the same for fewer.
    more_deprivations_to_change: int | None
    level_with_more: Level | None
    fewer_deprivations_to_change: int | None
    level_with_fewer: Level | None
    # The class with the same deprivations if the income fell to the poverty line / the ceiling.
    level_at_line: Level
    level_at_ceiling: Level

    @property
    def margin_to_line(self) -> int:
        """Income minus the poverty line: zero or less means at or below the line."""
        return self.income - self.poverty_line

    @property
    def at_or_below_line(self) -> bool:
        return self.income <= self.poverty_line


def explain(
    income_per_capita_month: int,
    deprived: Iterable[str],
    area: str = "rural",
    standard: Standard | None = None,
) -> Explanation:
    """classify(), with the thresholds it used and what would move the household to another class."""
    standard = standard or default_standard()
    codes = set(deprived)
    level = classify(income_per_capita_month, codes, area=area, standard=standard)  # validates the inputs
    rule = RULES[standard.rule]
    count, total = len(codes), len(standard.indicator_codes)

    def first_change(counts):
        for steps, other_count in counts:
            other = rule(income_per_capita_month, other_count, area, standard)
            if other != level:
                return steps, other
        return None, None

    more, level_with_more = first_change((k, count + k) for k in range(1, total - count + 1))
    fewer, level_with_fewer = first_change((k, count - k) for k in range(1, count + 1))
    line, ceiling = standard.poverty_line[area], standard.average_living_ceiling[area]
    return Explanation(
        level=level,
        area=area,
        income=income_per_capita_month,
        deprivations=count,
        indicator_count=total,
        min_deprivations=standard.min_deprivations,
        poverty_line=line,
        average_living_ceiling=ceiling,
        more_deprivations_to_change=more,
        level_with_more=level_with_more,
        fewer_deprivations_to_change=fewer,
        level_with_fewer=level_with_fewer,
        level_at_line=rule(min(income_per_capita_month, line), count, area, standard),
        level_at_ceiling=rule(min(income_per_capita_month, ceiling), count, area, standard),
    )


def describe(explanation: Explanation) -> list[str]:
    """The explanation in words (active language), one clause per item, for the household page.

    For example ["thiếu hụt 3 chỉ số (từ 3 chỉ số trở lên là hộ nghèo); thu nhập 1.350.000 đ ≤
    chuẩn nghèo 1.500.000 đ", "để thoát nghèo: thu nhập trên 1.500.000 đ/người/tháng hoặc …"].
    """
    e = explanation
    figures = {
        "count": e.deprivations,
        "min": e.min_deprivations,
        "income": format_vnd(e.income),
        "line": format_vnd(e.poverty_line),
        "ceiling": format_vnd(e.average_living_ceiling),
        "more": e.more_deprivations_to_change,
        "fewer": e.fewer_deprivations_to_change,
    }
    if e.at_or_below_line:
        basis = ngettext(
            "deprived on %(count)s indicator (%(min)s or more make a poor household); "
            "income %(income)s ≤ poverty line %(line)s",
            "deprived on %(count)s indicators (%(min)s or more make a poor household); "
            "income %(income)s ≤ poverty line %(line)s",
            e.deprivations,
        )
    elif e.income <= e.average_living_ceiling:
        basis = gettext(
            "income %(income)s > poverty line %(line)s and ≤ %(ceiling)s (average-living ceiling); "
            "deprived indicators do not count above the poverty line"
        )
    else:
        basis = gettext("income %(income)s > %(ceiling)s (average-living ceiling)")
    sentences = [basis % figures]

    if e.level == Level.POOR:
        if e.level_with_fewer == Level.NEAR_POOR:
            change = gettext(
                "to exit poverty: income above %(line)s/person/month or fewer than %(min)s deprived "
                "indicators (it would then be a near-poor household)"
            )
        else:
            change = gettext("to exit poverty: income above %(line)s/person/month")
        sentences.append(change % figures)
    elif e.level == Level.NEAR_POOR:
        if e.level_with_more == Level.POOR:
            sentences.append(
                ngettext(
                    "%(more)s more deprived indicator would make it a poor household",
                    "%(more)s more deprived indicators would make it a poor household",
                    e.more_deprivations_to_change,
                )
                % figures
            )
        sentences.append(gettext("to leave the near-poor list: income above %(line)s/person/month") % figures)
    elif e.level == Level.AVERAGE_LIVING:
        if e.level_at_line == Level.POOR:
            change = gettext("an income at or below %(line)s would make it a poor household")
        else:
            change = gettext("an income at or below %(line)s would make it a near-poor household")
        sentences.append(change % figures)
    elif e.level_at_ceiling == Level.AVERAGE_LIVING:
        sentences.append(
            gettext("an income at or below %(ceiling)s would make it an average-living household") % figures
        )
    return sentences
