"""Household members: one row per member, matched by the household's code and the member's number."""

import copy

from django.utils.translation import gettext as _

from households.imports import values
from households.imports.engine import Change, ImportColumn, Importer, Row, row_problem
from households.imports.kinds import heads
from households.imports.kinds.common import (
    HouseholdLookups,
    apply_fields,
    bulk_save,
    check_commune,
    context_columns,
    header,
    household_code_column,
)
from households.models import Ethnicity, Member
from households.services import member_search_key
from povertyplan.formatting import format_date

MASK = "•"  # what the export writes instead of the digits a role may not see
REQUIRED_CHOICES = ("sex", "relation")
EMPTY_CHOICE = {"health_insurance": Member.HealthInsurance.UNKNOWN, "schooling": "", "work": ""}  # cell empty
CHOICES = (*REQUIRED_CHOICES, *EMPTY_CHOICE)
UPDATED_FIELDS = [
    "full_name",
    "birth_date",
    "birth_year",
    *CHOICES,
    "ethnicity",
    "national_id",
    "search_key",
]


def _labels(name: str) -> list[str]:
    return [str(label) for _value, label in Member._meta.get_field(name).choices]


def _masked(national_id: str) -> str:
    """The preview (kept with the job) shows an ID number as the export does to most roles."""
    return Member(national_id=national_id).masked_national_id


class MemberImporter(Importer):
    name = "members"
    model_path = "households.Member"

    def columns(self) -> list[ImportColumn]:
        commune, village, head_name = context_columns()
        return [
            commune,
            village,
            household_code_column(),
            head_name,
            ImportColumn(
                "number",
                header(Member, "number"),
                required=True,
                help=_("1 to 99, unique in the household. A member already in the application is updated."),
                example=1,
            ),
            ImportColumn(
                "full_name",
                header(Member, "full_name"),
                required=True,
                help=_("Full name with diacritics."),
                example="Đinh Văn Hyưk",
            ),
            ImportColumn("birth_date", header(Member, "birth_date"), help=_("dd/mm/yyyy, if known.")),
            ImportColumn(
                "birth_year",
                header(Member, "birth_year"),
                help=_("Required when the date of birth is not given."),
                example=1985,
            ),
            *[
                ImportColumn(
                    name, header(Member, name), required=True, choices=_labels(name), example=_labels(name)[0]
                )
                for name in REQUIRED_CHOICES
            ],
            ImportColumn(
                "ethnicity",
                header(Member, "ethnicity"),
                help=_("One of the 54 ethnic groups, e.g. Ba Na, Kinh."),
                example="Ba Na",
            ),
            ImportColumn(
                "national_id",
                header(Member, "national_id"),
                help=_(
                    "12 digits (old cards: 9). A hidden number as the export writes it keeps the stored one."
                ),
            ),
            *[ImportColumn(name, header(Member, name), choices=_labels(name)) for name in EMPTY_CHOICE],
        ]

    def load(self, rows) -> None:
        self.households = HouseholdLookups(self.commune)
        self.ethnicities = values.Lookup(
            ((ethnicity.name, ethnicity.pk) for ethnicity in Ethnicity.objects.all()),
            what=_("the ethnic groups"),
        )
        self.choices = {
            name: values.choice_lookup(
                Member._meta.get_field(name).choices,
                what=_("the values of '%(column)s'") % {"column": header(Member, name)},
            )
            for name in CHOICES
        }
        self.existing: dict[tuple[int, int], Member] = {
            (member.household_id, member.number): member
            for member in Member.objects.filter(household__commune=self.commune)
        }

    def change(self, row: Row) -> Change | None:
        check_commune(row, self.commune)
        household = self.households.find(row)
        number = row.required("number", values.whole_number, minimum=1, maximum=99)
        member = self.existing.get((household.pk, number)) if household and number else None
        fields = {"full_name": row.required("full_name", values.text, max_length=120)}
        if row.has("birth_date"):
            fields["birth_date"] = row.get("birth_date", values.day, today=self.today)
        if row.has("birth_year"):
            fields["birth_year"] = row.get("birth_year", values.year_of_birth, today=self.today)
        for name in REQUIRED_CHOICES:
            fields[name] = row.required(name, self.choices[name].find)
        for name, empty in EMPTY_CHOICE.items():
            if row.has(name):
                fields[name] = row.get(name, self.choices[name].find) or empty
        if row.has("ethnicity"):
            fields["ethnicity_id"] = row.get("ethnicity", self.ethnicities.find)
        if row.has("national_id"):
            fields["national_id"] = self._national_id(row, member)
        if row.valid:
            self._check_birth(row, fields, member)
        if not row.valid:
            return None
        key = (household.code.casefold(), number)
        stored = member
        if stored is None:
            member = Member(household=household, number=number, created_by=self.user, **fields)
            diff = []
        else:
            # A copy: a later row with the same key (refused as a duplicate) must not change this one.
            member = copy.copy(stored)
            diff = apply_fields(
                member,
                fields,
                names={"ethnicity_id": self.ethnicities.names},
                formats={"national_id": _masked},
            )
        renamed, line = heads.household_renamed(household, member)
        if line:
            diff.append(line)
        if stored is None:
            action, before = "new", None
        else:
            action = "updated" if diff else "unchanged"
            before = max(stored.updated_at, household.updated_at) if renamed else stored.updated_at
        return Change(
            row.number,
            key,
            action,
            member,
            {"household": renamed},
            before=before,
            subject=str(household),
            item=_("Member no. %(number)s: %(name)s")
            % {"number": number, "name": (stored or member).full_name},
            diff=diff,
            alert=_("New head of household: check the household code") if renamed else "",
        )

    def _national_id(self, row: Row, member: Member | None) -> str:
        """The number to store: the cell's digits, or the stored number when the cell hides it."""
        raw = row.raw("national_id")
        typed = row.get("national_id", values.text, max_length=100)
        if typed is None:
            return ""
        if MASK in typed:
            if member is not None and member.national_id and typed == member.masked_national_id:
                return member.national_id
            row.problem(
                "national_id",
                _(
                    "'%(value)s' is a hidden number that does not match the number on record: "
                    "write the full number"
                )
                % {"value": typed},
            )
            return ""
        digits = typed.replace(" ", "").replace(".", "")
        if isinstance(raw, int | float) and digits.isdigit() and len(digits) in (8, 10, 11):
            # A number cell drops the leading zeros of the province code that starts most card
            # numbers (Hà Nội's is 001): 10 or 11 digits were 12, 8 were an old card's 9.
            digits = digits.zfill(9 if len(digits) == 8 else 12)
        if digits and not (digits.isdigit() and len(digits) in (9, 12)):
            row.problem(
                "national_id",
                _("'%(value)s' is not a national ID number (12 digits, old cards: 9)") % {"value": typed},
            )
        return digits

    def _check_birth(self, row: Row, fields: dict, member: Member | None) -> None:
        """A year of birth is needed, and it must match the date of birth (as Member.clean requires)."""
        birth_date = fields["birth_date"] if "birth_date" in fields else getattr(member, "birth_date", None)
        if birth_date is not None and fields.get("birth_year") is None:
            fields["birth_year"] = birth_date.year  # the year's cell empty or its column left out
        birth_year = fields["birth_year"] if "birth_year" in fields else getattr(member, "birth_year", None)
        if birth_year is None:
            key = "birth_year" if row.has("birth_year") else None
            row.problem(key, _("give the year of birth or the date of birth"))
        elif birth_date is not None and birth_date.year != birth_year:
            row.problem(
                "birth_year",
                _("the year of birth %(year)s does not match the date of birth %(date)s")
                % {"year": birth_year, "date": format_date(birth_date)},
            )

    def duplicate_reason(self, key, first_row) -> str:
        return _("member no. %(number)s of this household is already in row %(row)s of this file") % {
            "number": key[1],
            "row": first_row,
        }

    def check_together(self, changes: list[Change], problems) -> set[int]:
        """At most one head per household, counting the file and the stored members it leaves as they are."""
        in_file = {(change.instance.household_id, change.instance.number) for change in changes}
        stored_heads = {
            household_id: member
            for (household_id, number), member in self.existing.items()
            if member.relation == Member.Relation.HEAD and (household_id, number) not in in_file
        }
        file_heads: dict[int, int] = {}
        invalid = set()
        column = header(Member, "relation")
        for change in sorted(changes, key=lambda change: change.row):
            member = change.instance
            if member.relation != Member.Relation.HEAD:
                continue
            stored = stored_heads.get(member.household_id)
            if stored is not None:
                reason = _("the household already has a head: member no. %(number)s, %(name)s") % {
                    "number": stored.number,
                    "name": stored.full_name,
                }
            elif member.household_id in file_heads:
                reason = _("row %(row)s of this file already names the head of this household") % {
                    "row": file_heads[member.household_id]
                }
            else:
                file_heads[member.household_id] = change.row
                continue
            problems.append(row_problem(change.row, column, reason))
            invalid.add(change.row)
        return invalid

    def write(self, changes: list[Change]) -> None:
        for change in changes:
            change.instance.search_key = member_search_key(full_name=change.instance.full_name)
        bulk_save(Member, changes, UPDATED_FIELDS, user=self.user)
        heads.write(
            households=[c.extra["household"] for c in changes if c.extra.get("household")], user=self.user
        )
