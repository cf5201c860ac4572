"""The review-round pages: the commune's rounds, a round's survey list, village meetings and closing,
and the review form (households.review_selectors reads, households.services writes)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from households import permissions, selectors, services
from households import review_selectors as rounds
from households.classification import describe
from households.review_forms import (
    CandidateForm,
    MeetingForm,
    ResultForm,
    RoundCloseForm,
    RoundOpenForm,
    service_errors,
)
from povertyplan.formatting import AmountError, parse_vnd

SURVEY_PAGE_SIZE = 50


def _round_url(review_round, **query) -> str:
    url = reverse("households:round", args=[review_round.pk])
    query = {key: value for key, value in query.items() if value}
    return f"{url}?{urlencode(query)}" if query else url


@login_required
@require_GET
def round_list(request):
    communes = rounds.round_communes_for_user(user=request.user)
    commune = rounds.round_commune_pick(communes, request.GET.get("commune"))
    return render(
        request,
        "households/round_list.html",
        {
            "communes": communes,
            "commune": commune,
            "rounds": rounds.review_round_list(commune=commune) if commune else [],
            "can_write": rounds.rounds_writable_by(user=request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_open(request):
    communes = rounds.round_communes_for_user(user=request.user)
    if not rounds.rounds_writable_by(user=request.user):
        raise PermissionDenied
    commune = rounds.round_commune_pick(communes, request.POST.get("commune") or request.GET.get("commune"))
    form = RoundOpenForm(request.POST or None, initial={"kind": "periodic"})
    if request.method == "POST" and commune is None:
        form.add_error(None, _("Choose the commune."))
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            review_round = services.review_round_open(
                commune=commune,
                year=data["year"],
                kind=data["kind"],
                starts_on=data.get("starts_on"),
                ends_on=data.get("ends_on"),
                by=request.user,
            )
        except ValidationError as error:
            service_errors(form, error)
        else:
            messages.success(request, _("%(round)s is open.") % {"round": review_round})
            return redirect("households:round", pk=review_round.pk)
    return render(
        request, "households/round_open.html", {"form": form, "communes": communes, "commune": commune}
    )


@login_required
@require_GET
def round_detail(request, pk):
    review_round = rounds.review_round_get_for_user(user=request.user, pk=pk)
    page_data = rounds.round_page(
        review_round, village_id=request.GET.get("village", ""), state=request.GET.get("state", "")
    )
    return _render_round(request, page_data)


def _render_round(request, page_data, *, close_form=None, candidate_form=None, status=200):
    review_round = page_data.round
    can_write = rounds.rounds_writable_by(user=request.user) and not review_round.is_closed
    return render(
        request,
        "households/round_detail.html",
        {
            "page": page_data,
            "survey_page": Paginator(page_data.rows, SURVEY_PAGE_SIZE).get_page(request.GET.get("page")),
            "review_round": review_round,
            "states": rounds.SurveyState.choices,
            "can_write": can_write,
            "close_form": close_form or RoundCloseForm(review_round=review_round),
            "candidate_form": candidate_form or CandidateForm(initial={"source": "applied"}),
        },
        status=status,
    )


@login_required
@require_POST
def round_close(request, pk):
    review_round = rounds.review_round_get_for_user(user=request.user, pk=pk, write=True)
    form = RoundCloseForm(request.POST, review_round=review_round)
    if form.is_valid():
        try:
            services.review_round_close(
                review_round=review_round,
                decision_number=form.cleaned_data["decision_number"],
                decision_date=form.cleaned_data["decision_date"],
                by=request.user,
            )
        except ValidationError as error:
            service_errors(form, error)
        else:
            messages.success(
                request, _("%(round)s is closed: its results are frozen.") % {"round": review_round}
            )
            return redirect("households:round", pk=review_round.pk)
    return _render_round(request, rounds.round_page(review_round), close_form=form, status=400)


@login_required
@require_POST
def round_candidate_add(request, pk):
    review_round = rounds.review_round_get_for_user(user=request.user, pk=pk, write=True)
    form = CandidateForm(request.POST)
    if form.is_valid():
        household = rounds.round_household_by_code(review_round=review_round, code=form.cleaned_data["code"])
        if household is None:
            form.add_error(
                "code",
                _("There is no household with the code '%(code)s' in the commune.")
                % {"code": form.cleaned_data["code"]},
            )
        else:
            try:
                services.round_candidate_add(
                    review_round=review_round,
                    household=household,
                    source=form.cleaned_data["source"],
                    note=form.cleaned_data["note"],
                    by=request.user,
                )
            except ValidationError as error:
                service_errors(form, error)
            else:
                messages.success(
                    request, _("%(household)s is on the survey list.") % {"household": household}
                )
                return redirect(_round_url(review_round) + "#survey")
    return _render_round(request, rounds.round_page(review_round), candidate_form=form, status=400)


@login_required
@require_POST
def round_candidate_remove(request, pk, household_pk):
    review_round = rounds.review_round_get_for_user(user=request.user, pk=pk, write=True)
    household = rounds.round_household_get(review_round=review_round, pk=household_pk)
    try:
        services.round_candidate_remove(review_round=review_round, household=household, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(household)s is off the survey list.") % {"household": household})
    return redirect(_round_url(review_round) + "#survey")


@login_required
@require_http_methods(["GET", "POST"])
def round_meeting(request, pk, village_pk):
    review_round = rounds.review_round_get_for_user(user=request.user, pk=pk, write=True)
    page_data = rounds.meeting_page(review_round, village_pk)
    meeting = page_data.meeting
    initial = {"held_on": meeting.held_on, "attendance": meeting.attendance} if meeting else {}
    if meeting:
        initial["minutes_reference"] = meeting.minutes_reference
        initial["chair_name"] = meeting.chair_name
        initial["secretary_name"] = meeting.secretary_name
    for result in page_data.results:
        initial[f"votes_{result.pk}"] = result.votes_for
    form = MeetingForm(request.POST or None, results=page_data.results, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.village_meeting_record(
                review_round=review_round,
                village=page_data.village,
                held_on=form.cleaned_data["held_on"],
                attendance=form.cleaned_data["attendance"],
                minutes_reference=form.cleaned_data["minutes_reference"],
                chair_name=form.cleaned_data["chair_name"],
                secretary_name=form.cleaned_data["secretary_name"],
                votes=form.votes(),
                by=request.user,
            )
        except ValidationError as error:
            service_errors(form, error)
        else:
            messages.success(
                request, _("The meeting of %(village)s is recorded.") % {"village": page_data.village.name}
            )
            return redirect(_round_url(review_round) + "#meetings")
    rows = [(result, form[f"votes_{result.pk}"]) for result in page_data.results]
    return render(
        request,
        "households/round_meeting.html",
        {"page": page_data, "review_round": review_round, "form": form, "rows": rows},
        status=400 if form.is_bound else 200,
    )


def _result_initial(data) -> dict:
    result = data.result
    initial = {"causes": data.causes, "needs": data.needs}
    if result is None:
        return initial
    initial.update(
        income=result.income_per_capita_month,
        b1_score=result.b1_score,
        reviewed_on=result.reviewed_on,
        deprived=[indicator.code for indicator in result.deprivations.all()],
        classification=result.classification if result.is_adjusted else "",
        adjustment_reason=result.adjustment_reason,
        votes_for=result.votes_for,
    )
    return initial


def _explained(data, income, deprived):
    if data.standard is None or income is None:
        return None
    return rounds.classification_explained(
        household=data.household,
        standard=data.standard,
        indicators=data.indicators,
        income=income,
        deprived=deprived,
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_result(request, pk, household_pk):
    review_round = rounds.review_round_get_for_user(user=request.user, pk=pk, write=True)
    household = rounds.round_household_get(review_round=review_round, pk=household_pk)
    data = rounds.result_form_data(review_round, household)
    back = "household" if request.GET.get("back") == "household" else "round"
    form = ResultForm(request.POST or None, data_for=data, initial=_result_initial(data))
    explanation = None
    if request.method == "POST" and data.standard is not None and form.is_valid():
        arguments = form.record_arguments()
        explanation = _explained(data, arguments["income_per_capita_month"], arguments["deprived"])
        if "preview" not in request.POST:
            try:
                services.assessment_record(
                    household=household,
                    meeting=data.meeting if arguments["votes_for"] is not None else None,
                    assessment=data.result,
                    by=request.user,
                    **arguments,
                )
            except ValidationError as error:
                service_errors(form, error, ResultForm.SERVICE_NAMES)
            else:
                messages.success(
                    request, _("The review result of %(household)s is saved.") % {"household": household}
                )
                if back == "household":
                    return redirect("households:detail", pk=household.pk)
                return redirect(_round_url(review_round) + f"#household-{household.pk}")
    elif data.result is not None and not form.is_bound:
        explanation = _explained(
            data, data.result.income_per_capita_month, [i.code for i in data.result.deprivations.all()]
        )
    return render(
        request,
        "households/round_result.html",
        {
            "data": data,
            "review_round": review_round,
            "household": household,
            "form": form,
            "explanation": explanation,
            "explanation_sentences": describe(explanation) if explanation else [],
            "explanation_summary": rounds.deprived_summary(explanation) if explanation else "",
            "indicator_rows": [
                (indicator, str(indicator.code) in (form["deprived"].value() or []))
                for indicator in data.indicators
            ],
            "back": back,
            "closed_message": services.closed_round_message(review_round) if review_round.is_closed else "",
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_GET
def round_classify(request, pk, household_pk):
    """The rule's classification of what the review form holds, explained (the form's live answer)."""
    review_round = rounds.review_round_get_for_user(user=request.user, pk=pk, write=True)
    household = rounds.round_household_get(review_round=review_round, pk=household_pk)
    standard, indicators = rounds.round_standard(review_round)
    if standard is None:
        raise Http404
    typed = request.GET.get("income", "").strip()
    if not typed:
        return JsonResponse({"level": None, "message": _("Type the income to see the classification.")})
    try:
        income = parse_vnd(typed)
    except AmountError as refused:
        return JsonResponse({"level": None, "error": refused.message}, status=400)
    explanation = rounds.classification_explained(
        household=household,
        standard=standard,
        indicators=indicators,
        income=income,
        deprived=request.GET.getlist("deprived"),
    )
    return JsonResponse(
        {
            "level": explanation.level.value,
            "label": str(explanation.level.label),
            "summary": rounds.deprived_summary(explanation),
            "sentences": describe(explanation),
        }
    )


@login_required
@require_GET
def household_review(request, pk):
    """From the household page: the review form of the commune's open round (a choice when several)."""
    household = selectors.household_get_for_user(user=request.user, pk=pk, write=True)
    if not permissions.review_rounds_visible_to(user=request.user):
        raise PermissionDenied
    open_rounds = rounds.open_rounds_for_household(household)
    if len(open_rounds) == 1:
        url = reverse("households:round_result", args=[open_rounds[0].pk, household.pk])
        return redirect(f"{url}?back=household")
    return render(
        request, "households/household_review.html", {"household": household, "open_rounds": open_rounds}
    )
