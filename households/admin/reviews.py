"""Admin of review rounds and their village meetings. Closing a round (which freezes its results) is
done on the round's page; here a closed round, its meetings and its results are read-only."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from households import services
from households.models import ReviewRound, VillageMeeting
from povertyplan.admin_scope import (
    TRACKED_FIELDS,
    CleanTextMixin,
    ScopedAdmin,
    ScopedChoicesMixin,
    tracked_fieldset,
)


class VillageMeetingFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        commune_id = self.instance.commune_id
        for form in self.forms:
            village = form.cleaned_data.get("village") if form.cleaned_data else None
            if village is not None and commune_id and village.commune_id != commune_id:
                form.add_error("village", gettext("The village is not in the round's commune."))


class VillageMeetingInline(CleanTextMixin, ScopedChoicesMixin, admin.TabularInline):
    model = VillageMeeting
    formset = VillageMeetingFormSet
    extra = 0
    fields = ("village", "held_on", "attendance", "minutes_reference", "chair_name", "secretary_name")

    def _open(self, obj) -> bool:
        return obj is None or not obj.is_closed

    def has_add_permission(self, request, obj=None):
        return self._open(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._open(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # the results voted on point at their meeting


class ReviewRoundAdminForm(forms.ModelForm):
    class Meta:
        model = ReviewRound
        fields = ("commune", "year", "kind", "starts_on", "ends_on")

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            for name in ("commune", "year", "kind", "starts_on", "ends_on"):
                setattr(self.instance, name, cleaned.get(name))
            try:
                services.review_round_check(self.instance)
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


@admin.register(ReviewRound)
class ReviewRoundAdmin(ScopedAdmin):
    commune_path = "commune"
    form = ReviewRoundAdminForm
    list_display = ("__str__", "commune", "starts_on", "ends_on", "state", "decision_number", "decision_date")
    list_select_related = ("commune",)
    list_filter = ("state", "kind", "year")
    readonly_fields = ("state", "decision_number", "decision_date", "closed_at", "closed_by", *TRACKED_FIELDS)
    fieldsets = (
        (None, {"fields": ("commune", "year", "kind", "starts_on", "ends_on")}),
        (
            _("Closing"),
            {
                "fields": ("state", "decision_number", "decision_date", "closed_at", "closed_by"),
                "description": _(
                    "A round is closed on its page in the application, which freezes its results."
                ),
            },
        ),
        tracked_fieldset(),
    )
    inlines = (VillageMeetingInline,)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_closed:
            return False  # frozen: read-only for everyone
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False
