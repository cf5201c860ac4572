"""The support form: one set of rules for the page, the offline client's API and the admin."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assignments.models import SupportAction
from assignments.photos import photo_process
from households.models import Indicator, PovertyStandard
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


class IndicatorCodesField(forms.Field):
    """Codes of deprivation indicators: ticked boxes of the page, or the API's JSON array of text.

    Gives the codes, stripped and without repeats; which of them may be chosen depends on the
    support's date, so the form checks them in clean() (support_indicators).
    """

    widget = forms.CheckboxSelectMultiple

    def to_python(self, value):
        if value in self.empty_values:
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list | tuple):
            raise forms.ValidationError(_("Give the indicators as a list of codes."), code="invalid_list")
        codes = []
        for item in value:
            if not isinstance(item, str):
                raise forms.ValidationError(_("Give each indicator by its code, as text."), code="invalid")
            code = item.strip()
            if code and code not in codes:
                codes.append(code)
        return codes


def other_standard_error(
    codes: list[str], *, on: datetime.date, standard: PovertyStandard | None
) -> forms.ValidationError:
    if standard is None:
        return forms.ValidationError(
            _("No poverty standard is in force on %(date)s: no indicator can be chosen (%(codes)s).")
            % {"date": format_date(on), "codes": ", ".join(codes)},
            code="no_standard",
        )
    return forms.ValidationError(
        _("%(codes)s: not an indicator of the poverty standard in force on %(date)s (%(standard)s).")
        % {"codes": ", ".join(codes), "date": format_date(on), "standard": standard.name},
        code="other_standard",
    )


def support_indicators(*, codes: list[str], on: datetime.date) -> list[Indicator]:
    """The indicators of these codes in the poverty standard in force on `on`, in the codes' order.

    A support can only remedy what the standard of its own date measures, so a code of another
    standard, or any code when no standard covers the date, is refused (ValidationError naming
    the codes). One query when every code is right; two more to say why when not.
    """
    if not codes:
        return []
    found = {
        indicator.code: indicator
        for indicator in Indicator.objects.filter(
            code__in=codes, standard__start_year__lte=on.year, standard__end_year__gte=on.year
        ).select_related("standard")
    }
    wrong = [code for code in codes if code not in found]
    if not wrong:
        return [found[code] for code in codes]
    elsewhere = set(Indicator.objects.filter(code__in=wrong).values_list("code", flat=True))
    standard = PovertyStandard.objects.filter(start_year__lte=on.year, end_year__gte=on.year).first()
    errors = []
    unknown = [code for code in wrong if code not in elsewhere]
    if unknown:
        errors.append(
            forms.ValidationError(
                _("No deprivation indicator has the code %(codes)s.") % {"codes": ", ".join(unknown)},
                code="unknown_indicator",
            )
        )
    other = [code for code in wrong if code in elsewhere]
    if other:
        errors.append(other_standard_error(other, on=on, standard=standard))
    raise forms.ValidationError(errors)


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
    indicators = IndicatorCodesField(label=gettext_lazy("Deprivation indicators addressed"), required=False)

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
        codes = cleaned.get("indicators") or []
        if cleaned.get("date") is not None and "indicators" not in self.errors:
            try:
                cleaned["indicators"] = support_indicators(codes=codes, on=cleaned["date"])
            except forms.ValidationError as refused:
                self.add_error("indicators", refused)
        return cleaned


class SupportActionAdminForm(forms.ModelForm):
    """The admin's form (its fields come from the admin): the page's rule on the indicators."""

    def clean(self):
        cleaned = super().clean()
        chosen = list(cleaned.get("indicators") or [])
        on = cleaned.get("date")
        if chosen and on is not None:
            try:
                allowed = support_indicators(codes=[indicator.code for indicator in chosen], on=on)
            except forms.ValidationError as refused:
                self.add_error("indicators", refused)
                return cleaned
            # A row of another standard with the same code as one in force is still refused.
            other = [indicator.code for indicator in chosen if indicator not in allowed]
            if other:
                self.add_error("indicators", other_standard_error(other, on=on, standard=allowed[0].standard))
        return cleaned
