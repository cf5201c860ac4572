"""The commune officer's plan pages: start the next plan from the closed year; register and assign
several households of a plan at once."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assignments import plan_selectors, services
from assignments.plan_forms import BulkForm, NextPlanForm
from plans import selectors as plan_selectors_base
from plans import services as plan_services


@login_required
@require_http_methods(["GET", "POST"])
def plan_next(request, pk):
    previous = plan_selectors_base.plan_get_for_user(user=request.user, pk=pk, write=True)
    refusal = plan_services.plan_next_refusal(previous)
    start = plan_selectors.next_plan_start(previous, refusal=refusal)
    form = None
    if refusal is None:
        initial = {**plan_services.plan_next_text(previous), "registered_on": start.default_day}
        form = NextPlanForm(request.POST or None, start=start, initial=initial)
        if request.method == "POST" and form.is_valid():
            chosen = plan_selectors.plan_households_chosen(previous, form.chosen_ids())
            try:
                plan = services.plan_start_next(
                    previous=previous,
                    text=form.text(),
                    carried=form.carried(),
                    chosen=chosen,
                    registered_on=form.cleaned_data["registered_on"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("The plan for %(year)s is started: %(count)s households registered to exit poverty.")
                    % {"year": plan.year, "count": plan.target_exits},
                )
                return redirect("assignments:plan_households", pk=plan.pk)
    return render(
        request,
        "assignments/plan_next.html",
        {
            "start": start,
            "form": form,
            "previous": previous,
            "review_round": start.review_round,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_households(request, pk):
    plan = plan_selectors_base.plan_get_for_user(user=request.user, pk=pk, write=True)
    source = request.POST if request.method == "POST" else request.GET
    query = source.get("q", "").strip()
    villages = list(plan_selectors.plan_villages(plan))
    village = next((v for v in villages if str(v.pk) == source.get("village", "")), None)
    show = source.get("show", plan_selectors.Show.ALL)
    rows = plan_selectors.plan_households(plan, query=query, village=village, show=show)
    officials = plan_selectors.official_loads(plan)
    form = BulkForm(
        request.POST or None,
        plan=plan,
        rows=rows,
        officials=officials,
        initial={"day": plan_selectors.default_registration_day(plan.year)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        households = plan_selectors.plan_households_chosen(plan, data["households"])
        try:
            if data["action"] == BulkForm.REGISTER:
                done = plan_services.exit_registrations_register(
                    plan=plan, households=households, registered_on=data["day"], by=request.user
                )
                message = _("%(count)s households registered to exit poverty.") % {"count": len(done)}
            else:
                official = form.chosen_official()
                count = services.assignments_bulk_assign(
                    plan=plan,
                    households=households,
                    official=official,
                    on=data["day"],
                    reason=data["reason"],
                    by=request.user,
                )
                message = _("%(name)s is now in charge of %(count)s more households.") % {
                    "name": official.full_name,
                    "count": count,
                }
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, message)
            filters = {"q": query, "village": village.pk if village else "", "show": show}
            return redirect(f"{request.path}?{urlencode({k: v for k, v in filters.items() if v})}")
    return render(
        request,
        "assignments/plan_households.html",
        {
            "plan": plan,
            "rows": rows,
            "form": form,
            "officials": officials,
            "villages": villages,
            "village": village,
            "query": query,
            "show": show,
            "shows": plan_selectors.Show,
            "checked": set(form["households"].value() or []) if form.is_bound else set(),
        },
    )
