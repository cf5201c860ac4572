"""The Commune admin's "merge" action: a form, what the merger would do, then the merger itself
(households.merger). Superusers only: it moves whole communes."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from households import merger
from households.models import Commune, Province

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(
        label=_("Merge into an existing commune"),
        queryset=Commune.objects.none(),
        required=False,
        help_text=_("Leave empty to create a new commune with the fields below."),
    )
    name = forms.CharField(label=_("Name of the new commune"), max_length=120, required=False)
    code = forms.CharField(label=_("Official code of the new commune"), max_length=10, required=False)
    kind = forms.ChoiceField(
        label=_("Kind of the new commune"), choices=Commune.Kind.choices, initial=Commune.Kind.COMMUNE
    )
    province = forms.ModelChoiceField(
        label=_("Province of the new commune"), queryset=Province.objects.none(), required=False
    )
    on = forms.DateField(
        label=_("First day in the new commune"),
        input_formats=DATE_FORMATS,
        help_text=_("For example 01/07/2025."),
    )

    def __init__(self, *args, sources, **kwargs):
        super().__init__(*args, **kwargs)
        current = Commune.objects.filter(valid_until__isnull=True).exclude(pk__in=[c.pk for c in sources])
        self.fields["into"].queryset = current.select_related("province").order_by("name")
        self.fields["province"].queryset = Province.objects.filter(valid_until__isnull=True).order_by("name")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("into") is None and not (cleaned.get("name", "").strip() and cleaned.get("province")):
            raise ValidationError(
                gettext("Choose the commune to merge into, or give the new commune's name and province.")
            )
        return cleaned

    def target(self) -> Commune | merger.NewCommune:
        data = self.cleaned_data
        if data["into"] is not None:
            return data["into"]
        return merger.NewCommune(
            name=data["name"].strip(), code=data["code"].strip(), province=data["province"], kind=data["kind"]
        )


@admin.action(description=_("Merge the selected communes (2025 reform)…"), permissions=["merge"])
def merge_communes(modeladmin, request, queryset):
    """Shows the form and what the merger would do; runs it once confirmed."""
    # In the order of their codes: where two clash, the first keeps its village name or household code.
    sources = list(queryset.select_related("province").order_by("code", "pk"))
    step = request.POST.get("merge_step")
    form = MergeForm(request.POST if step else None, sources=sources)
    plan = None
    if form.is_valid():
        arguments = {"sources": sources, "into": form.target(), "on": form.cleaned_data["on"]}
        try:
            if step == "confirm":
                plan = merger.communes_merge(**arguments, by=request.user)
                modeladmin.message_user(
                    request, gettext("Merged into %(commune)s.") % {"commune": plan.into}, messages.SUCCESS
                )
                return None  # back to the list
            plan = merger.merger_plan(**arguments)
        except ValidationError as error:
            form.add_error(None, error)
            plan = None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": gettext("Merge communes"),
        "opts": modeladmin.model._meta,
        "sources": sources,
        "form": form,
        "lines": merger.describe(plan) if plan is not None else [],
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/households/commune/merge.html", context)
