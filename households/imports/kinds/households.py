"""Households: one row per household, matched by its code within the commune."""

import copy
from functools import cached_property

from django.utils.translation import gettext as _

from households.classification import Area
from households.imports import values
from households.imports.engine import Change, ImportColumn, Importer, Row
from households.imports.kinds import heads
from households.imports.kinds.common import (
    apply_fields,
    bulk_save,
    check_commune,
    header,
    household_code_column,
    names_line,
    reference_lookup,
    replace_links,
    yes_no_choices,
)
from households.models import Ethnicity, Household, PovertyCause, SupportNeed, Village
from households.services import household_search_key
from povertyplan.text import vietnamese_sort_key

FLAGS = ("is_ethnic_minority", "is_indigenous", "is_merit_family", "has_no_labour_capacity", "is_female_head")
TEXTS = {"head_name": 120, "address": 250, "phone": 20, "notes": 5000}
# A new head or village for a stored code usually means the row carries the wrong code.
FLAGGED = frozenset({"village", "head_name"})


class HouseholdImporter(Importer):
    name = "households"
    model_path = "households.Household"

    def columns(self) -> list[ImportColumn]:
        villages = self._village_names
        yes_no = yes_no_choices()
        return [
            ImportColumn("commune", header(Household, "commune")),
            ImportColumn(
                "village",
                header(Household, "village"),
                required=True,
                help=_("One of the commune's villages, as written in the list."),
                example=villages[0] if villages else "",
                choices=villages,
            ),
            household_code_column(
                _(
                    "Unique in the commune. A household already in the application is updated, "
                    "never duplicated."
                )
            ),
            ImportColumn(
                "head_name",
                header(Household, "head_name"),
                required=True,
                help=_("Full name with diacritics."),
                example="Đinh Văn Hyưk",
            ),
            ImportColumn("address", header(Household, "address"), example="Làng Kon Mơ"),
            ImportColumn(
                "head_ethnicity",
                header(Household, "head_ethnicity"),
                help=_("One of the 54 ethnic groups, e.g. Ba Na, Kinh."),
                example="Ba Na",
            ),
            *[
                ImportColumn(
                    name,
                    header(Household, name),
                    help=_("Yes or No; empty means No."),
                    choices=yes_no,
                    example=_("Yes") if name in ("is_ethnic_minority", "is_indigenous") else _("No"),
                )
                for name in FLAGS[:2]
            ],
            ImportColumn(
                "area",
                header(Household, "area"),
                help=_("Rural or Urban; empty means Rural."),
                choices=[str(label) for _value, label in Area.choices],
                example=str(Area.RURAL.label),
            ),
            *[
                ImportColumn(
                    name,
                    header(Household, name),
                    help=_("Yes or No; empty means No."),
                    choices=yes_no,
                    example=_("No"),
                )
                for name in FLAGS[2:]
            ],
            ImportColumn("phone", header(Household, "phone"), example="0905123456"),
            ImportColumn(
                "causes",
                header(Household, "causes"),
                help=_("Names from the list of causes, separated by ';'."),
                example=self._examples[0],
            ),
            ImportColumn(
                "needs",
                header(Household, "needs"),
                help=_("Names from the list of support needs, separated by ';'."),
                example=self._examples[1],
            ),
            ImportColumn("notes", header(Household, "notes")),
            ImportColumn("archived_at", header(Household, "archived_at"), read=False),
            ImportColumn("archive_reason", header(Household, "archive_reason"), read=False),
        ]

    # Read once per import: the columns are built in both languages (to read either's headers),
    # then the rows are checked against the same villages.
    @cached_property
    def _villages(self) -> list[Village]:
        return list(Village.objects.filter(commune=self.commune))

    @cached_property
    def _village_names(self) -> list[str]:
        return sorted((village.name for village in self._villages), key=vietnamese_sort_key)

    @cached_property
    def _examples(self) -> tuple[str, str]:
        """The first cause and the first need in use, for the template's example row."""
        first = [
            model.objects.filter(active=True).order_by("order", "name").first()
            for model in (PovertyCause, SupportNeed)
        ]
        return tuple(item.name if item else "" for item in first)

    def load(self, rows) -> None:
        self.villages = values.Lookup(
            ((village.name, village) for village in self._villages),
            what=_("the commune's villages"),
        )
        self.ethnicities = values.Lookup(
            ((ethnicity.name, ethnicity) for ethnicity in Ethnicity.objects.all()),
            what=_("the ethnic groups"),
        )
        self.areas = values.choice_lookup(Area.choices, what=_("the area types"))
        self.causes = reference_lookup(PovertyCause, _("the list of causes of poverty"))
        self.needs = reference_lookup(SupportNeed, _("the list of support needs"))
        self.existing = {
            household.code.casefold(): household
            for household in Household.objects.filter(commune=self.commune)
        }
        self.heads = heads.HeadMembers(self.commune)
        self.names = {
            "village": {village.pk: village.name for village in self._villages},
            "head_ethnicity": {ethnicity.pk: name for ethnicity, name in self.ethnicities.names.items()},
        }
        through_causes = Household.causes.through.objects.filter(household__commune=self.commune)
        through_needs = Household.needs.through.objects.filter(household__commune=self.commune)
        self.current_causes: dict[int, set[int]] = {}
        for household_id, cause_id in through_causes.values_list("household_id", "povertycause_id"):
            self.current_causes.setdefault(household_id, set()).add(cause_id)
        self.current_needs: dict[int, set[int]] = {}
        for household_id, need_id in through_needs.values_list("household_id", "supportneed_id"):
            self.current_needs.setdefault(household_id, set()).add(need_id)

    def change(self, row: Row) -> Change | None:
        check_commune(row, self.commune)
        code = row.required("household_code", values.text, max_length=30)
        fields = {
            "village": row.required("village", self.villages.find),
            "head_name": row.required("head_name", values.text, max_length=TEXTS["head_name"]),
        }
        for name in ("address", "phone", "notes"):
            if row.has(name):
                fields[name] = row.get(name, values.text, max_length=TEXTS[name], multiline=name == "notes")
        if row.has("head_ethnicity"):
            fields["head_ethnicity"] = row.get("head_ethnicity", self.ethnicities.find)
        for name in FLAGS:
            if row.has(name):
                fields[name] = row.get(name, values.yes_no)
        if row.has("area"):
            fields["area"] = row.get("area", self.areas.find) or Area.RURAL
        causes = set(row.get("causes", self.causes.find_many) or ()) if row.has("causes") else None
        needs = set(row.get("needs", self.needs.find_many) or ()) if row.has("needs") else None
        if not row.valid:
            return None
        stored = self.existing.get(code.casefold())
        if stored is None:
            household = Household(commune=self.commune, code=code, created_by=self.user, **fields)
            return Change(
                row.number, (code.casefold(),), "new", household, {"causes": causes, "needs": needs}
            )
        # A copy: a later row of the file with the same code (refused as a duplicate) must not
        # change what this row writes.
        household = copy.copy(stored)
        diff = apply_fields(household, fields, names=self.names, flagged=FLAGGED)
        extra = {}
        for name, wanted, current, lookup in (
            ("causes", causes, self.current_causes.get(household.pk, set()), self.causes),
            ("needs", needs, self.current_needs.get(household.pk, set()), self.needs),
        ):
            if wanted is not None and wanted != current:
                extra[name] = wanted
                diff.append(names_line(header(Household, name), lookup, current, wanted))
        extra["heads"], lines = self.heads.renamed(household)
        diff += lines
        change = Change(
            row.number,
            (code.casefold(),),
            "updated" if diff else "unchanged",
            household,
            extra,
            before=max(record.updated_at for record in [stored, *extra["heads"]]),
            subject=str(stored),
            diff=diff,
        )
        if household.head_name != stored.head_name or extra["heads"]:
            change.alert = _("New head of household: check the household code")
        elif household.village_id != stored.village_id:
            change.alert = _("New village: check the household code")
        return change

    def duplicate_reason(self, key, first_row) -> str:
        return _("the household code is already in row %(row)s of this file") % {"row": first_row}

    def write(self, changes: list[Change]) -> None:
        for change in changes:
            household = change.instance
            household.search_key = household_search_key(
                code=household.code, head_name=household.head_name, address=household.address
            )
        fields = ["village", "head_name", "address", "head_ethnicity", *FLAGS, "area", "phone", "notes"]
        bulk_save(Household, changes, [*fields, "search_key"], user=self.user)
        heads.write(
            members=[member for change in changes for member in change.extra.get("heads", [])], user=self.user
        )
        replace_links(Household.causes, changes, "causes", "povertycause_id")
        replace_links(Household.needs, changes, "needs", "supportneed_id")
