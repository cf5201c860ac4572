"""Review results: one row per household and review, classified again by the standard's rule.

A periodic review is matched by (household, review year), a regular one by (household, review year,
date). The file's classification is never trusted as such: the rule decides, and a different value
is kept only as the village meeting's adjustment, with its reason.
"""

import copy
from functools import cached_property

from django.utils import timezone
from django.utils.translation import get_language, override, pgettext
from django.utils.translation import gettext as _

from households import services
from households.classification import Level, classify
from households.imports import values
from households.imports.engine import BATCH_SIZE, Change, ImportColumn, Importer, Row, row_problem
from households.imports.kinds.common import (
    EMPTY,
    HouseholdLookups,
    apply_fields,
    bulk_save,
    check_commune,
    context_columns,
    header,
    household_code_column,
    names_line,
    reference_lookup,
    replace_links,
)
from households.models import Assessment, Household, Indicator, PovertyCause, PovertyStandard, SupportNeed
from povertyplan.formatting import format_date, format_vnd
from povertyplan.text import fold

DEPRIVED_WORDS = frozenset({"thieu hut", "x", "co", "c", "yes", "y", "1", "true"})
MET_WORDS = frozenset({"khong", "k", "ko", "dat", "no", "n", "0", "false", "-"})
MAX_INCOME = 2_147_483_647  # the largest PositiveIntegerField on PostgreSQL
# The largest PositiveSmallIntegerField: form B1's totals run well above 100 (140 is the usual rural
# threshold), so the only bound is what the column holds.
MAX_B1_SCORE = 32_767
FIELDS = (
    "review_year",
    "kind",
    "reviewed_on",
    "standard_id",
    "income_per_capita_month",
    "b1_score",
    "computed_classification",
    "classification",
    "adjustment_reason",
)
LINKS = {"causes": "povertycause_id", "needs": "supportneed_id"}


def _indicator_words(word: str) -> set[str]:
    """The export's word for an indicator value in both languages, folded."""
    words = set()
    for language in ("vi", "en"):
        with override(language):
            words.add(fold(pgettext("indicator value in a spreadsheet", word)))
    return words


class AssessmentImporter(Importer):
    name = "assessments"
    model_path = "households.Assessment"

    @cached_property
    def standards(self) -> list[PovertyStandard]:
        return list(PovertyStandard.objects.order_by("-start_year"))

    @cached_property
    def indicators(self) -> dict[int, list[Indicator]]:
        """Each standard's indicators, in order."""
        by_standard: dict[int, list[Indicator]] = {}
        for indicator in Indicator.objects.order_by("number"):
            by_standard.setdefault(indicator.standard_id, []).append(indicator)
        return by_standard

    @property
    def latest(self) -> PovertyStandard | None:
        return self.standards[0] if self.standards else None

    def _latest_indicators(self) -> list[Indicator]:
        return self.indicators.get(self.latest.pk, []) if self.latest else []

    def columns(self) -> list[ImportColumn]:
        commune, village, head_name = context_columns()
        kinds = [str(label) for _value, label in Assessment.Kind.choices]
        levels = [str(label) for _value, label in Level.choices]
        deprived = pgettext("indicator value in a spreadsheet", "deprived")
        met = pgettext("indicator value in a spreadsheet", "met")
        english = (get_language() or "").startswith("en")
        return [
            commune,
            village,
            household_code_column(),
            head_name,
            ImportColumn("review_year", header(Assessment, "review_year"), required=True, example=2024),
            ImportColumn(
                "kind",
                header(Assessment, "kind"),
                help=_("Empty means the periodic (annual) review."),
                choices=kinds,
                example=kinds[0],
            ),
            ImportColumn(
                "reviewed_on",
                header(Assessment, "reviewed_on"),
                help=_("dd/mm/yyyy; required for a regular (in-year) review."),
            ),
            ImportColumn("standard", header(Assessment, "standard"), read=False),
            ImportColumn(
                "income_per_capita_month",
                header(Assessment, "income_per_capita_month"),
                required=True,
                help=_("In đồng, e.g. 1.200.000."),
                example=1_200_000,
            ),
            ImportColumn("b1_score", header(Assessment, "b1_score"), help=_("The total score of form B1.")),
            ImportColumn(
                "computed_classification",
                header(Assessment, "computed_classification"),
                help=_("Only compared: the application classifies by the rule."),
                choices=levels,
            ),
            ImportColumn(
                "classification",
                header(Assessment, "classification"),
                help=_("Different from the rule's only with the village meeting's reason."),
                choices=levels,
            ),
            ImportColumn("adjustment_reason", header(Assessment, "adjustment_reason")),
            *[
                ImportColumn(
                    f"indicator_{indicator.code}",
                    _("Indicator %(number)s: %(name)s")
                    % {
                        "number": indicator.number,
                        "name": indicator.name_en if english and indicator.name_en else indicator.name,
                    },
                    help=_("'%(deprived)s' when the household is deprived; empty when the indicator is met.")
                    % {"deprived": deprived},
                    choices=[deprived, met],
                    example=met,
                )
                for indicator in self._latest_indicators()
            ],
            ImportColumn(
                "causes",
                header(Household, "causes"),
                help=_("Names from the list of causes, separated by ';'."),
            ),
            ImportColumn(
                "needs",
                header(Household, "needs"),
                help=_("Names from the list of support needs, separated by ';'."),
            ),
        ]

    def load(self, rows) -> None:
        self.households = HouseholdLookups(self.commune)
        self.kinds = values.choice_lookup(Assessment.Kind.choices, what=_("the review kinds"))
        self.levels = values.choice_lookup(Level.choices, what=_("the classifications"))
        self.references = {
            "causes": reference_lookup(PovertyCause, _("the list of causes of poverty")),
            "needs": reference_lookup(SupportNeed, _("the list of support needs")),
        }
        self.deprived_words = DEPRIVED_WORDS | _indicator_words("deprived")
        self.met_words = MET_WORDS | _indicator_words("met")
        self.rules = {
            standard.pk: standard.to_rule(
                tuple(indicator.code for indicator in self.indicators.get(standard.pk, []))
            )
            for standard in self.standards
        }
        self.codes = {
            indicator.pk: indicator.code for group in self.indicators.values() for indicator in group
        }
        self.numbers = {
            indicator.pk: indicator.number for group in self.indicators.values() for indicator in group
        }
        self.closed_rounds = services.closed_rounds(commune=self.commune)
        self.existing: dict[tuple, Assessment] = {}
        for assessment in Assessment.objects.filter(household__commune=self.commune).order_by("pk"):
            key = self._key(
                assessment.household_id, assessment.review_year, assessment.kind, assessment.reviewed_on
            )
            self.existing.setdefault(key, assessment)
        self.deprived: dict[int, set[int]] = {}
        links = Assessment.deprivations.through.objects.filter(assessment__household__commune=self.commune)
        for assessment_id, indicator_id in links.values_list("assessment_id", "indicator_id"):
            self.deprived.setdefault(assessment_id, set()).add(indicator_id)
        self.current: dict[str, dict[int, set[int]]] = {}
        for name, column in LINKS.items():
            through = getattr(Household, name).through.objects.filter(household__commune=self.commune)
            current = self.current[name] = {}
            for household_id, target_id in through.values_list("household_id", column):
                current.setdefault(household_id, set()).add(target_id)

    def _refuse_closed_round(self, row: Row, kind: str, year: int, reviewed_on) -> None:
        """A closed round's results are frozen: a row that would add to them or change them is refused."""
        closed = services.closed_round_covering(
            commune=self.commune, kind=kind, year=year, on=reviewed_on, rounds=self.closed_rounds
        )
        if closed is not None:
            key = "reviewed_on" if kind == Assessment.Kind.REGULAR else "review_year"
            row.problem(key if row.has(key) else None, services.closed_round_message(closed))

    @staticmethod
    def _key(household_id: int, year: int, kind: str, reviewed_on) -> tuple:
        return (household_id, year, kind, reviewed_on if kind == Assessment.Kind.REGULAR else None)

    def _standard_for(self, year: int) -> PovertyStandard | None:
        return next((standard for standard in self.standards if standard.covers(year)), None)

    def _indicator_value(self, value) -> bool:
        """Deprived (True) or met (False), in the words an officer or the export writes."""
        if value is None or (isinstance(value, str) and not value.strip()):
            return False
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        word = values.folded(value)
        if word in self.deprived_words:
            return True
        if word in self.met_words:
            return False
        raise values.ValueProblem(
            _("'%(value)s' is neither deprived nor met (write '%(deprived)s', or leave the cell empty)")
            % {"value": value, "deprived": pgettext("indicator value in a spreadsheet", "deprived")}
        )

    def change(self, row: Row) -> Change | None:
        check_commune(row, self.commune)
        household = self.households.find(row)
        year = row.required("review_year", values.whole_number, minimum=1900, maximum=9999)
        kind = (row.get("kind", self.kinds.find) if row.has("kind") else None) or Assessment.Kind.PERIODIC
        reviewed_on = row.get("reviewed_on", values.day, today=self.today)
        if kind == Assessment.Kind.REGULAR and row.raw("reviewed_on") is None:
            row.problem(
                "reviewed_on" if row.has("reviewed_on") else None, _("a regular review needs its date")
            )
        if year:
            self._refuse_closed_round(row, kind, year, reviewed_on)
        standard = self._standard_for(year) if year else None
        indicator_keys = [key for key in self._indicator_keys() if row.has(key)]
        if year and standard is None:
            row.problem("review_year", _("no poverty standard covers the year %(year)s") % {"year": year})
        elif standard is not None and standard != self.latest and indicator_keys:
            row.problem(
                "review_year",
                _(
                    "the indicator columns are those of the standard %(standard)s, "
                    "which does not cover %(year)s"
                )
                % {"standard": self.latest.code, "year": year},
            )
        income = row.required("income_per_capita_month", values.money)
        if income is not None and income > MAX_INCOME:
            row.problem(
                "income_per_capita_month",
                _("%(value)s is more than %(maximum)s") % {"value": income, "maximum": MAX_INCOME},
            )
        fields = {"review_year": year, "kind": kind, "income_per_capita_month": income}
        if row.has("b1_score"):
            fields["b1_score"] = row.get("b1_score", values.whole_number, minimum=0, maximum=MAX_B1_SCORE)
        file_computed = row.get("computed_classification", self.levels.find)
        file_class = row.get("classification", self.levels.find)
        reason = row.get("adjustment_reason", values.text, max_length=5000, multiline=True)
        deprived = {
            indicator.pk: row.get(f"indicator_{indicator.code}", self._indicator_value)
            for indicator in self._latest_indicators()
            if row.has(f"indicator_{indicator.code}")
        }
        links = {}
        for name, lookup in self.references.items():
            if row.has(name):
                found = row.get(name, lookup.find_many)
                links[name] = set(found) if found is not None else None
        if not row.valid:
            return None
        existing = self.existing.get(self._key(household.pk, year, kind, reviewed_on))
        if kind == Assessment.Kind.PERIODIC and not row.has("reviewed_on") and existing is not None:
            reviewed_on = existing.reviewed_on
        fields["reviewed_on"] = reviewed_on
        fields["standard_id"] = standard.pk
        stored = self.deprived.get(existing.pk, set()) if existing else set()
        deprivations = (stored - set(deprived)) | {pk for pk, is_deprived in deprived.items() if is_deprived}
        deprivations &= {indicator.pk for indicator in self.indicators.get(standard.pk, [])}
        computed = classify(
            income,
            [self.codes[pk] for pk in deprivations],
            area=household.area,
            standard=self.rules[standard.pk],
        )
        if not row.has("classification") and existing is not None and existing.is_adjusted:
            file_class = existing.classification  # the column left out: the meeting's adjustment stays
        if not row.has("adjustment_reason"):
            reason = existing.adjustment_reason if existing else ""
        fields.update(self._classification(row, computed, file_computed, file_class, reason or ""))
        key = (
            household.code.casefold(),
            year,
            kind,
            fields["reviewed_on"] if kind == Assessment.Kind.REGULAR else None,
        )
        extra = {"household": household, **links}
        # The household's causes and needs, which a new review changes too.
        links_diff = []
        for name, wanted in links.items():
            current = self.current[name].get(household.pk, set())
            if wanted is not None and wanted != current:
                links_diff.append(names_line(header(Household, name), self.references[name], current, wanted))
        preview = {"subject": str(household), "item": self._item(kind, year, fields["reviewed_on"])}
        if existing is None:
            assessment = Assessment(household=household, created_by=self.user, **fields)
            extra["deprivations"] = deprivations
            return Change(row.number, key, "new", assessment, extra, diff=links_diff, **preview)
        before = existing.updated_at
        existing = copy.copy(existing)  # a later duplicate row (refused) must not change this one
        diff = apply_fields(
            existing,
            fields,
            names={"standard_id": {standard.pk: standard.code for standard in self.standards}},
            formats={"income_per_capita_month": format_vnd},
        )
        if deprivations != stored:
            extra["deprivations"] = deprivations
            diff.append([_("Deprived indicators"), self._numbers(stored), self._numbers(deprivations), False])
        diff += links_diff
        action = "updated" if diff else "unchanged"
        return Change(row.number, key, action, existing, extra, before=before, diff=diff, **preview)

    @staticmethod
    def _item(kind: str, year: int, reviewed_on) -> str:
        if kind == Assessment.Kind.REGULAR and reviewed_on:
            return _("Regular review of %(date)s") % {"date": format_date(reviewed_on)}
        return _("Review %(year)s") % {"year": year}

    def _numbers(self, indicator_pks: set[int]) -> str:
        numbers = sorted(self.numbers[pk] for pk in indicator_pks)
        return ", ".join(str(number) for number in numbers) or EMPTY

    def _indicator_keys(self) -> list[str]:
        return [f"indicator_{indicator.code}" for indicator in self._latest_indicators()]

    def _classification(self, row: Row, computed: str, file_computed, file_class, reason: str) -> dict:
        """The rule's class, or the file's with a reason (the village meeting's adjustment)."""
        result = {
            "computed_classification": computed,
            "classification": computed,
            "adjustment_reason": reason,
        }
        warned = set()
        if file_class and file_class != computed:
            if reason:
                result["classification"] = file_class
            elif row.has("classification"):
                self._warn(row, "classification", file_class, computed)
                warned.add(file_class)
        if file_computed and file_computed != computed and file_computed not in warned:
            self._warn(row, "computed_classification", file_computed, computed)
        return result

    @staticmethod
    def _warn(row: Row, key: str, written: str, computed: str) -> None:
        row.warn(
            key,
            _("the file says '%(file)s', the rule gives '%(rule)s' (recorded)")
            % {"file": Level(written).label, "rule": Level(computed).label},
        )

    def duplicate_reason(self, key, first_row) -> str:
        return _("the review of this household is already in row %(row)s of this file") % {"row": first_row}

    def check_together(self, changes: list[Change], problems) -> set[int]:
        """Rows of one household must not give it different causes or needs."""
        invalid = set()
        for name in LINKS:
            first: dict[int, tuple[int, set[int]]] = {}
            column = header(Household, name)
            for change in sorted(changes, key=lambda change: change.row):
                wanted = change.extra.get(name)
                if wanted is None:
                    continue
                household_id = change.extra["household"].pk
                if household_id not in first:
                    first[household_id] = (change.row, wanted)
                elif first[household_id][1] != wanted:
                    reason = _("row %(row)s of this file gives this household a different list") % {
                        "row": first[household_id][0]
                    }
                    problems.append(row_problem(change.row, column, reason))
                    invalid.add(change.row)
        return invalid

    def write(self, changes: list[Change]) -> None:
        bulk_save(Assessment, changes, [name.removesuffix("_id") for name in FIELDS], user=self.user)
        replace_links(Assessment.deprivations, changes, "deprivations", "indicator_id")
        self._write_household_links(changes, timezone.now())

    def _write_household_links(self, changes: list[Change], now) -> None:
        """Replace the causes and needs of the households whose sets differ from the file's."""
        by_household: dict[int, Change] = {}
        for change in changes:
            household = change.extra["household"]
            for name in LINKS:
                wanted = change.extra.get(name)
                if wanted is None or wanted == self.current[name].get(household.pk, set()):
                    continue
                link = by_household.setdefault(
                    household.pk, Change(change.row, (household.pk,), "updated", household)
                )
                link.extra[name] = wanted
        if not by_household:
            return
        for name, column in LINKS.items():
            replace_links(getattr(Household, name), list(by_household.values()), name, column)
        households = [change.instance for change in by_household.values()]
        for household in households:
            household.updated_by, household.updated_at = self.user, now
        Household.objects.bulk_update(households, ["updated_by", "updated_at"], batch_size=BATCH_SIZE)
