"""Fieldwork pages: where an official lands, their households, logging support, support photos."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from assignments import selectors, services
from assignments.forms import SupportActionForm
from assignments.photos import photo_thumbnail
from povertyplan.formatting import format_number, format_quantity

PAGE_SIZE = 50
PHOTO_CACHE = "private, max-age=86400"  # personal data: never in a shared cache


@login_required
def home(request):
    """Officials start from the households they follow; everyone else from the registry."""
    if selectors.follows_households(user=request.user):
        return redirect("assignments:my_households")
    return redirect("households:list")


def _year(text) -> int | None:
    return int(text) if text and text.isdigit() and 2000 <= int(text) <= 2100 else None


@login_required
@require_GET
def my_households(request):
    query = request.GET.get("q", "").strip()
    years = selectors.my_plan_years(user=request.user)
    year = _year(request.GET.get("year")) or (years[0] if years else timezone.localdate().year)
    households = selectors.my_households(user=request.user, year=year, query=query)
    page = Paginator(households, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.with_exit_outcomes(selectors.my_household_rows(page.object_list), year=year)
    return render(
        request,
        "assignments/my_households.html",
        {
            "page": page,
            "rows": rows,
            "not_visited": sum(row.not_visited for row in rows),
            "visit_interval": selectors.VISIT_INTERVAL_DAYS,
            "years": years,
            "year": year,
            "query": query,
            "is_official": selectors.follows_households(user=request.user),
            "plan_today": selectors.plan_today_for(user=request.user),
        },
    )


def _correction_initial(original) -> dict:
    """The form prefilled from the entry being corrected, in the forms' own input formats."""
    return {
        "kind": original.kind,
        "date": original.date.isoformat(),
        "description": original.description,
        "quantity": format_quantity(original.quantity),
        "unit": original.unit,
        "value_vnd": format_number(original.value_vnd) if original.value_vnd else "",
        "contributor": original.contributor,
        "indicators": [indicator.code for indicator in original.indicators.all()],
    }


@login_required
@require_http_methods(["GET", "POST"])
def support_new(request, pk):
    household, review_reason = selectors.household_for_support(user=request.user, pk=pk)
    corrects = request.POST.get("corrects") if request.method == "POST" else request.GET.get("corrects")
    original = (
        selectors.support_action_for_correction(user=request.user, household=household, pk=corrects)
        if corrects
        else None
    )
    panel = selectors.support_panel_for(
        user=request.user, household=household, plan=selectors.current_plan_for(household)
    )
    if request.method == "POST":
        form = SupportActionForm(request.POST, request.FILES, plan=panel.plan)
        if form.is_valid():
            data = form.cleaned_data
            # A correction without a new photo keeps the one of the entry it corrects.
            photo = data["photo"] or (original.photo.name if original and original.photo else None)
            _action, created = services.support_action_record(
                household=household,
                official=panel.official,
                client_uuid=data["client_uuid"],
                plan=panel.plan,
                date=data["date"],
                kind=data["kind"],
                description=data["description"],
                quantity=data["quantity"],
                unit=data["unit"].strip(),
                value_vnd=data["value_vnd"],
                contributor=data["contributor"],
                photo=photo,
                indicators=data["indicators"],
                corrects=original,
                review_reason=review_reason,
                by=request.user,
            )
            if created:
                messages.success(request, _("Support recorded."))
            else:
                messages.info(request, _("This support had already been recorded."))
            if review_reason:  # no longer in charge: the household's page is not theirs to see any more
                return redirect("assignments:my_households")
            return redirect("households:detail", pk=household.pk)
        # Sent again after a fix, the same form keeps its identifier: still stored once.
        panel = selectors.support_panel_for(
            user=request.user,
            household=household,
            plan=panel.plan,
            client_uuid=form.cleaned_data.get("client_uuid"),
        )
    else:
        form = SupportActionForm(initial=_correction_initial(original) if original else {}, plan=panel.plan)
    return render(
        request,
        "assignments/support_form.html",
        {
            "household": household,
            "panel": panel,
            "form": form,
            "original": original,
            "no_longer_in_charge": bool(review_reason),
        },
    )


@login_required
@require_GET
def support_photo(request, pk):
    """A support photo (or `?size=thumb`), only for those who may read the household."""
    action = selectors.support_photo_for_user(user=request.user, pk=pk)
    try:
        if request.GET.get("size") == "thumb":
            response = HttpResponse(photo_thumbnail(action.photo), content_type="image/jpeg")
        else:
            response = FileResponse(action.photo.open("rb"), content_type="image/jpeg")
    except FileNotFoundError:
        raise Http404 from None
    response["Cache-Control"] = PHOTO_CACHE
    return response
