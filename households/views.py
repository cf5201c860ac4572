from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assignments import indicators as support_indicators
from assignments import plan_selectors as plan_pages
from assignments import selectors as support_selectors
from households import selectors, services
from plans import outcomes
from povertyplan.text import vietnamese_sort_key

PAGE_SIZE = 50


@login_required
def household_list(request):
    query = request.GET.get("q", "").strip()
    villages = sorted(
        selectors.village_list_for_user(user=request.user), key=lambda v: vietnamese_sort_key(v.name)
    )
    # An unknown or out-of-scope village id is ignored rather than an error: the filter then shows "all".
    village = next((v for v in villages if str(v.pk) == request.GET.get("village", "")), None)
    households = selectors.household_list_filtered(user=request.user, query=query, village=village)
    page = Paginator(households, PAGE_SIZE).get_page(request.GET.get("page"))
    # The latest registration's outcome, as the plan year's review decided it (plans.outcomes).
    exits = outcomes.outcomes_for(
        (row.pk, row.commune_id, row.latest_exit_year, row.latest_exit_status)
        for row in page.object_list
        if row.latest_exit_status
    )
    return render(
        request,
        "households/household_list.html",
        {
            "page": page,
            "rows": [(row, exits.get((row.pk, row.latest_exit_year))) for row in page.object_list],
            "query": query,
            "villages": villages,
            "village": village,
            "show_commune": len({v.commune_id for v in villages}) > 1,
            # The commune officer's way to the plan: none in force today → start the next one.
            "plan_today": plan_pages.plan_today_for_officer(user=request.user),
        },
    )


@login_required
def household_detail(request, pk):
    case = selectors.household_case_for_user(user=request.user, pk=pk)
    household = case.detail.household
    exits = outcomes.registration_outcomes(case.detail.exit_registrations)
    return render(
        request,
        "households/household_detail.html",
        {
            "detail": case.detail,
            "case": case,
            "household": household,
            # Each registration with its outcome at the plan year's review (plans.outcomes).
            "exits": [
                (registration, exits[registration.pk]) for registration in case.detail.exit_registrations
            ],
            "post_exit": outcomes.household_post_exit(
                household=household, assessments=case.detail.assessments
            ),
            # The support form, for those who may log support for this household (else None).
            "panel": support_selectors.support_panel_for_user(
                user=request.user,
                household=household,
                assignments=case.detail.assignments,
                latest_review=case.latest_review,
            ),
            # Per indicator: deprived at the baseline review → supported → met at the closing one.
            "progress": support_indicators.case_progress(case),
        },
    )


@login_required
@require_POST
def household_causes_needs(request, pk):
    household = selectors.household_get_for_case_edit(user=request.user, pk=pk)
    try:
        services.household_set_causes_and_needs(
            household=household,
            causes=request.POST.getlist("causes"),
            needs=request.POST.getlist("needs"),
            by=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Causes and needs saved."))
    return redirect("households:detail", pk=household.pk)
