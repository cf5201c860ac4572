"""The support form: one set of rules for the page, the offline client's API and the admin."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assignments.models import SupportAction
from assignments.photos import photo_process
from plans.models import Plan
from povertyplan.formatting import AmountError, format_date, parse_quantity, parse_vnd
from povertyplan.forms import CleanTextField

# The largest amount the database column stores (a signed 64-bit integer, on SQLite or PostgreSQL).
MAX_VALUE_VND = 2**63 - 1


class VietnameseDecimalField(forms.DecimalField):
    """Reads "1,5" and "1.500" as a person in Vietnam types them; numbers pass through unchanged."""

    def to_python(self, value):
        if isinstance(value, str):
            try:
                value = parse_quantity(value)
            except ValueError:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        return super().to_python(value)


class SupportActionForm(forms.Form):
    """The date lies in the year of `plan`, the household's (any year without one), and not after today.

    The value and the quantity arrive as typed (the page's script sends the text), and are read by
    povertyplan.formatting alone.
    """

    client_uuid = forms.UUIDField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=gettext_lazy("Kind of support"), choices=SupportAction.Kind.choices)
    date = forms.DateField(label=gettext_lazy("Date"), input_formats=["%d/%m/%Y", "%Y-%m-%d"])
    description = CleanTextField(
        label=gettext_lazy("What was done"), max_length=2000, widget=forms.Textarea, multiline=True
    )
    quantity = VietnameseDecimalField(
        label=gettext_lazy("Quantity"),
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        error_messages={
            "invalid": gettext_lazy("Type the quantity as a number, like 2 or 1,5."),
            "min_value": gettext_lazy("The quantity cannot be negative."),
        },
    )
    unit = CleanTextField(label=gettext_lazy("Unit"), required=False, max_length=30)
    value_vnd = forms.CharField(label=gettext_lazy("Value (VND)"), required=False, max_length=40)
    contributor = forms.ChoiceField(
        label=gettext_lazy("Contributed by"), choices=SupportAction.Contributor.choices
    )
    photo = forms.FileField(label=gettext_lazy("Photo"), required=False)

    def __init__(self, *args, plan: Plan | None, today: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.today = today or timezone.localdate()

    def clean_date(self):
        value = self.cleaned_data["date"]
        if value > self.today:
            raise forms.ValidationError(
                _("The date cannot be in the future (today is %(today)s).")
                % {"today": format_date(self.today)}
            )
        if self.plan is not None and not self.plan.covers(value):
            # A support counts under the plan in force on its date: the household's plan only
            # covers its own year.
            raise forms.ValidationError(
                _(
                    "The date %(date)s is outside the %(year)s plan: a support for this household "
                    "is dated from %(first)s to %(last)s."
                )
                % {
                    "date": format_date(value),
                    "year": self.plan.year,
                    "first": format_date(self.plan.first_day),
                    "last": format_date(self.plan.last_day),
                },
                code="outside_plan",
            )
        return value

    def clean_value_vnd(self):
        typed = self.cleaned_data["value_vnd"]
        if typed in ("", None):
            return 0
        try:
            value = parse_vnd(typed)
        except AmountError as refused:
            raise forms.ValidationError(refused.message, code=refused.code) from None
        if value > MAX_VALUE_VND:
            raise forms.ValidationError(_("The value is too large."), code="too_large")
        return value

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        return photo_process(upload) if upload else None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("quantity") is not None and not cleaned.get("unit", "").strip():
            self.add_error("unit", _("Give the unit of the quantity (days, head, kg…)."))
        return cleaned
