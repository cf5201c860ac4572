"""The support form: one set of rules for the page, the offline client's API and the admin."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assignments.models import SupportAction
from assignments.photos import photo_process
from povertyplan.formatting import format_date, parse_quantity, parse_vnd
from povertyplan.forms import CleanTextField


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
    """`plan_year` bounds the date from below (none without a plan); today (in Vietnam) from above."""

    client_uuid = forms.UUIDField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=gettext_lazy("Kind of support"), choices=SupportAction.Kind.choices)
    date = forms.DateField(label=gettext_lazy("Date"), input_formats=["%d/%m/%Y", "%Y-%m-%d"])
    description = CleanTextField(
        label=gettext_lazy("What was done"), max_length=2000, widget=forms.Textarea, multiline=True
    )
    quantity = VietnameseDecimalField(
        label=gettext_lazy("Quantity"), required=False, min_value=0, max_digits=10, decimal_places=2
    )
    unit = CleanTextField(label=gettext_lazy("Unit"), required=False, max_length=30)
    value_vnd = forms.CharField(label=gettext_lazy("Value (VND)"), required=False, max_length=20)
    contributor = forms.ChoiceField(
        label=gettext_lazy("Contributed by"), choices=SupportAction.Contributor.choices
    )
    photo = forms.FileField(label=gettext_lazy("Photo"), required=False)

    def __init__(self, *args, plan_year: int | None, today: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan_year = plan_year
        self.today = today or timezone.localdate()

    def clean_date(self):
        value = self.cleaned_data["date"]
        if value > self.today:
            raise forms.ValidationError(
                _("The date cannot be in the future (today is %(today)s).")
                % {"today": format_date(self.today)}
            )
        if self.plan_year is not None and value.year < self.plan_year:
            raise forms.ValidationError(
                _("The date cannot be before the plan year %(year)s.") % {"year": self.plan_year}
            )
        return value

    def clean_value_vnd(self):
        typed = self.cleaned_data["value_vnd"]
        if typed in ("", None):
            return 0
        try:
            return parse_vnd(typed)
        except ValueError:
            raise forms.ValidationError(
                _("Type the value in đồng, e.g. 1.500.000 or 1500000."), code="invalid_vnd"
            ) from None

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        return photo_process(upload) if upload else None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("quantity") is not None and not cleaned.get("unit", "").strip():
            self.add_error("unit", _("Give the unit of the quantity (days, head, kg…)."))
        return cleaned
