"""Forms of the commune officer's plan pages: the next plan's text and what it carries, and the
bulk registration and assignment of households. The rules are the services'; these read what was
sent and refuse what cannot be read."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from plans.models import Plan
from plans.services import PLAN_TEXT_FIELDS
from povertyplan.forms import CleanTextField

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


def _text_field(name: str) -> CleanTextField:
    field = Plan._meta.get_field(name)
    multiline = field.get_internal_type() == "TextField"
    return CleanTextField(
        label=field.verbose_name,
        required=not field.blank,
        multiline=multiline,
        max_length=getattr(field, "max_length", None),
        help_text=field.help_text,
        widget=forms.Textarea(attrs={"rows": 4}) if multiline else forms.TextInput,
    )


def _registration_day(value: datetime.date, year: int) -> None:
    if value > timezone.localdate():
        raise ValidationError(_("The day cannot be in the future."))
    if value.year not in (year - 1, year):
        raise ValidationError(
            _("Give a day of %(year)s, or of the year before when the plan is made before it starts.")
            % {"year": year}
        )


class NextPlanForm(forms.Form):
    """The next plan's text (copied from the last one), the day of registration, the carried
    registrations with their officials, and the candidates chosen."""

    registered_on = forms.DateField(label=gettext_lazy("Registered on"), input_formats=DATE_FORMATS)

    def __init__(self, *args, start, **kwargs):
        super().__init__(*args, **kwargs)
        self.start = start
        for name in PLAN_TEXT_FIELDS:
            self.fields[name] = _text_field(name)
        self.officials = {load.pk: load.official for load in start.officials}
        for item in start.carried:
            pk = item.registration.household_id
            self.fields[f"carry_{pk}"] = forms.BooleanField(required=False, initial=True)
            self.fields[f"official_{pk}"] = forms.TypedChoiceField(
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", "—"), *((official_pk, "") for official_pk in self.officials)],
                initial=item.official.pk if item.official else "",
            )
        for candidate in start.candidates:
            self.fields[f"candidate_{candidate.household_id}"] = forms.BooleanField(required=False)

    def clean_registered_on(self):
        value = self.cleaned_data["registered_on"]
        _registration_day(value, self.start.year)
        return value

    def text(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in PLAN_TEXT_FIELDS}

    def carried(self) -> dict:
        """household → official (or None) for each carried registration still ticked."""
        return {
            item.household: self.officials.get(
                self.cleaned_data.get(f"official_{item.registration.household_id}")
            )
            for item in self.start.carried
            if self.cleaned_data.get(f"carry_{item.registration.household_id}")
        }

    def carried_rows(self) -> list[tuple]:
        """(carried item, its box, its official's choice) for the page."""
        return [
            (
                item,
                self[f"carry_{item.registration.household_id}"],
                self[f"official_{item.registration.household_id}"],
            )
            for item in self.start.carried
        ]

    FIRST_CANDIDATES = 30  # shown open; the others behind "more"

    def candidate_rows(self) -> list[tuple]:
        return [
            (candidate, self[f"candidate_{candidate.household_id}"]) for candidate in self.start.candidates
        ]

    def first_candidates(self) -> list[tuple]:
        return self.candidate_rows()[: self.FIRST_CANDIDATES]

    def more_candidates(self) -> list[tuple]:
        return self.candidate_rows()[self.FIRST_CANDIDATES :]

    def text_fields(self) -> list:
        return [self[name] for name in PLAN_TEXT_FIELDS]

    def chosen_ids(self) -> list[int]:
        return [
            c.household_id
            for c in self.start.candidates
            if self.cleaned_data.get(f"candidate_{c.household_id}")
        ]


class BulkForm(forms.Form):
    """Several households of the plan, and what to do with them: register them to exit poverty, or
    put one official in charge of them."""

    REGISTER = "register"
    ASSIGN = "assign"

    action = forms.ChoiceField(choices=[(REGISTER, REGISTER), (ASSIGN, ASSIGN)])
    households = forms.TypedMultipleChoiceField(coerce=int)
    official = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    day = forms.DateField(label=gettext_lazy("Day"), input_formats=DATE_FORMATS)
    reason = CleanTextField(label=gettext_lazy("Reason for the handover"), required=False, max_length=250)

    def __init__(self, *args, plan, rows, officials, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["households"].choices = [(row.household.pk, "") for row in rows]
        self.fields["households"].error_messages["required"] = _("Tick at least one household.")
        self.fields["households"].error_messages["invalid_choice"] = _(
            "A household ticked is not in this list any more: reload the page and tick again."
        )
        self.officials = {load.pk: load.official for load in officials}
        self.fields["official"].choices = [("", "—"), *((pk, "") for pk in self.officials)]

    def clean_day(self):
        value = self.cleaned_data["day"]
        _registration_day(value, self.plan.year)
        return value

    def clean(self):
        data = super().clean()
        if data.get("action") == self.ASSIGN and not data.get("official"):
            self.add_error("official", _("Choose the official to put in charge."))
        return data

    def chosen_official(self):
        return self.officials.get(self.cleaned_data.get("official"))
