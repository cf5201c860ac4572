"""Forms of the review-round pages. They read what is typed (money by povertyplan.formatting.parse_vnd)
and check it against the round; the rules of a result (classification, closed rounds, votes) are the
services', whose refusals service_errors() places beside the fields."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from households.classification import Level
from households.models import ReviewRound, RoundCandidate
from povertyplan.formatting import AmountError, format_date, parse_vnd
from povertyplan.forms import CleanTextField

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
MAX_INCOME = 2_147_483_647  # the largest PositiveIntegerField on PostgreSQL
MAX_SMALL = 32_767  # the largest PositiveSmallIntegerField


def day_field(label, required=True) -> forms.DateField:
    return forms.DateField(label=label, required=required, input_formats=DATE_FORMATS)


def service_errors(form: forms.Form, error: ValidationError, names: dict[str, str] | None = None) -> None:
    """A service's refusal on the form: beside the field it names (renamed by `names`), else on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        field = (names or {}).get(name, name)
        form.add_error(field if field in form.fields else None, errors)


class RoundOpenForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind of review"), choices=ReviewRound.Kind.choices, widget=forms.RadioSelect
    )
    year = forms.IntegerField(
        label=gettext_lazy("Review year"), required=False, min_value=2000, max_value=2100
    )
    starts_on = day_field(gettext_lazy("First day"), required=False)
    ends_on = day_field(gettext_lazy("Last day"), required=False)

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == ReviewRound.Kind.PERIODIC and cleaned.get("year") is None and "year" not in self.errors:
            self.add_error("year", _("Give the year of the periodic review."))
        if kind == ReviewRound.Kind.REGULAR:
            for name in ("starts_on", "ends_on"):
                if cleaned.get(name) is None and name not in self.errors:
                    self.add_error(name, _("Give the first and last day of the regular review."))
            if cleaned.get("starts_on"):
                cleaned["year"] = cleaned["starts_on"].year
        return cleaned


class RoundCloseForm(forms.Form):
    decision_number = CleanTextField(label=gettext_lazy("Number of the decision"), max_length=50)
    decision_date = day_field(gettext_lazy("Date of the decision"))

    def __init__(self, *args, review_round: ReviewRound, today: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.review_round = review_round
        self.today = today or timezone.localdate()

    def clean_decision_date(self):
        value = self.cleaned_data["decision_date"]
        if value < self.review_round.starts_on:
            raise ValidationError(
                _("The decision cannot come before the round starts (%(date)s).")
                % {"date": format_date(self.review_round.starts_on)}
            )
        if value > self.today:
            raise ValidationError(
                _("The date cannot be in the future (today is %(today)s).")
                % {"today": format_date(self.today)}
            )
        return value


class CandidateForm(forms.Form):
    code = CleanTextField(label=gettext_lazy("Household code"), max_length=30)
    source = forms.ChoiceField(
        label=gettext_lazy("Why surveyed"), choices=RoundCandidate.Source.choices, widget=forms.RadioSelect
    )
    note = CleanTextField(label=gettext_lazy("Note"), max_length=200, required=False)


class MeetingForm(forms.Form):
    """The meeting's date, attendance and minutes, and a `votes_<assessment id>` field per result."""

    held_on = day_field(gettext_lazy("Held on"))
    attendance = forms.IntegerField(
        label=gettext_lazy("Household representatives present"), min_value=1, max_value=MAX_SMALL
    )
    minutes_reference = CleanTextField(
        label=gettext_lazy("Minutes reference"), max_length=100, required=False
    )
    chair_name = CleanTextField(label=gettext_lazy("Chaired by"), max_length=120, required=False)
    secretary_name = CleanTextField(label=gettext_lazy("Secretary"), max_length=120, required=False)

    def __init__(self, *args, results, **kwargs):
        super().__init__(*args, **kwargs)
        self.results = results
        for result in results:
            self.fields[f"votes_{result.pk}"] = forms.IntegerField(
                label=str(result.household), required=False, min_value=0, max_value=MAX_SMALL
            )

    def votes(self) -> dict[int, int | None]:
        return {result.pk: self.cleaned_data.get(f"votes_{result.pk}") for result in self.results}


class ResultForm(forms.Form):
    """A household's result in a round. `income` is read by parse_vnd, as every amount in the app."""

    income = forms.CharField(label=gettext_lazy("Income per person per month"), max_length=40)
    b1_score = forms.IntegerField(
        label=gettext_lazy("B1 score"), required=False, min_value=0, max_value=MAX_SMALL
    )
    reviewed_on = day_field(gettext_lazy("Surveyed on"), required=False)
    deprived = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    causes = forms.TypedMultipleChoiceField(required=False, coerce=int, widget=forms.CheckboxSelectMultiple)
    needs = forms.TypedMultipleChoiceField(required=False, coerce=int, widget=forms.CheckboxSelectMultiple)
    classification = forms.ChoiceField(
        label=gettext_lazy("Classification by the village meeting"), required=False
    )
    adjustment_reason = CleanTextField(
        label=gettext_lazy("Reason for the village meeting's adjustment"),
        required=False,
        max_length=5000,
        multiline=True,
        widget=forms.Textarea,
    )
    votes_for = forms.IntegerField(
        label=gettext_lazy("Representatives agreeing"), required=False, min_value=0, max_value=MAX_SMALL
    )

    # Service field names → this form's.
    SERVICE_NAMES = {"income_per_capita_month": "income", "deprivations": "deprived"}

    def __init__(self, *args, data_for, today: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.review_round = data_for.round
        self.today = today or timezone.localdate()
        self.fields["deprived"].choices = [(item.code, item.name) for item in data_for.indicators]
        self.fields["causes"].choices = [(item.pk, item.name) for item in data_for.cause_choices]
        self.fields["needs"].choices = [(item.pk, item.name) for item in data_for.need_choices]
        self.fields["classification"].choices = [("", _("As the rule gives")), *Level.choices]
        self.fields["reviewed_on"].required = self.review_round.kind == ReviewRound.Kind.REGULAR
        if data_for.meeting is None:
            del self.fields["votes_for"]

    def clean_income(self):
        try:
            value = parse_vnd(self.cleaned_data["income"])
        except AmountError as refused:
            raise ValidationError(refused.message, code=refused.code) from None
        if value > MAX_INCOME:
            raise ValidationError(_("The value is too large."), code="too_large")
        return value

    def clean_reviewed_on(self):
        value = self.cleaned_data.get("reviewed_on")
        if value is None:
            return value
        first, last = self.review_round.starts_on, self.review_round.ends_on
        if not first <= value <= last:
            raise ValidationError(
                _("The survey is dated within the round, from %(first)s to %(last)s.")
                % {"first": format_date(first), "last": format_date(last)}
            )
        if value > self.today:
            raise ValidationError(
                _("The date cannot be in the future (today is %(today)s).")
                % {"today": format_date(self.today)}
            )
        return value

    def record_arguments(self) -> dict:
        """The keyword arguments of services.assessment_record this form gives."""
        data = self.cleaned_data
        return {
            "review_year": self.review_round.year,
            "kind": self.review_round.kind,
            "reviewed_on": data.get("reviewed_on"),
            "income_per_capita_month": data["income"],
            "b1_score": data.get("b1_score"),
            "deprived": list(data.get("deprived") or []),
            "adjusted_classification": data.get("classification") or None,
            "adjustment_reason": data.get("adjustment_reason") or "",
            "votes_for": data.get("votes_for"),
            "causes": data.get("causes") or [],
            "needs": data.get("needs") or [],
        }
