"""What a report is, independent of its format: the rows the PDF and the XLSX are both built from.

Selectors (reports/selectors/) return a `Report`; builders (reports/builders/) turn it into bytes.
A value's `kind` says how it is written: the PDF formats it the Vietnamese way (1.350.000 đ,
20,86%, 05/02/2023), the XLSX stores it as a number or date with a matching number format.
Because both formats read the same `Report`, they cannot disagree.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

Kind = Literal["text", "int", "decimal", "vnd", "percent", "date"]
RowStyle = Literal["", "subtotal", "group"]


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # translated (a lazy string is fine)
    kind: Kind = "text"
    width: int = 12  # in characters: the XLSX column width, a hint for the PDF


@dataclass
class Row:
    values: dict[str, Any]  # column key → int | Decimal | date | str | None; percent = 20.86 (not 0.2086)
    style: RowStyle = ""  # "subtotal": bold subtotal line; "group": a heading row spanning the table


@dataclass
class Table:
    title: str
    columns: list[Column]
    rows: list[Row]
    totals: Row | None = None  # computed from the same numbers as the rows
    note: str = ""


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal  # for percent charts, 20.86 means 20,86%
    highlight: bool = False


@dataclass
class Chart:
    title: str
    bars: list[Bar]
    unit: Literal["percent", "count"] = "percent"


@dataclass
class Report:
    slug: str
    title: str
    commune: Any  # households.models.Commune
    plan_year: int | None  # None: a review round's documents, which belong to no plan
    review_year: int | None
    generated_at: datetime.datetime
    landscape: bool = False
    summary: list[tuple[str, str]] = field(default_factory=list)  # (label, formatted value) lines
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    document: Any = None  # the plan report's structured text (reports.selectors.plan.PlanDocument)
    # An area report (every commune of an upper office: reports.selectors.area) has no commune
    # (commune None) and says what it covers and who issues it; a commune's report leaves these
    # empty and the builders name the commune.
    area_name: str = ""  # "huyện Kbang", "tỉnh Gia Lai", "toàn quốc"
    issuer: tuple[str, ...] = ()  # the header's issuing body, in capitals: ("ỦY BAN NHÂN DÂN", "HUYỆN KBANG")
    place: str = ""  # the place of the place-and-date line ("Kbang")
    signer: str = ""  # the signing authority ("TM. ỦY BAN NHÂN DÂN HUYỆN"); "" for none

    @property
    def unit_name(self) -> str:
        """What the report is about: the commune's full name, or the area's name."""
        if self.commune is not None:
            return self.commune.full_name
        return self.area_name


def percent_fraction(value: Decimal | None) -> Decimal | None:
    """20.86 → 0.2086, as a spreadsheet stores a percentage."""
    return None if value is None else value / 100
