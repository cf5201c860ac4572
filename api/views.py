"""The offline client's JSON API: session sign-in, CSRF on writes, JSON answers even for errors.

Every answer is JSON, errors included: {"message": ..., "errors": {field: [...]}}, in the
interface language (Vietnamese unless the user switched). Bad input is a 4xx, never a 500.
"""

import logging
from functools import wraps
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from accounts.selectors import scope_for_user
from api import schema as api_schema
from api import selectors as api_selectors
from api import serializers
from assignments import selectors as assignment_selectors
from assignments import services as assignment_services
from households import selectors as household_selectors

logger = logging.getLogger(__name__)

SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")


def _json(data, status: int = 200, headers: dict | None = None) -> JsonResponse:
    # ASCII escapes (the default) even for Vietnamese: an unknown field name echoed back may hold
    # a lone surrogate, which cannot be encoded as UTF-8 but can be escaped.
    return JsonResponse(data, status=status, safe=False, headers=headers)


def _error(
    status: int, message: str, errors: dict | None = None, headers: dict | None = None
) -> JsonResponse:
    body = {"message": message}
    if errors:
        body["errors"] = errors
    return _json(body, status=status, headers=headers)


class _CsrfCheck(CsrfViewMiddleware):
    """Django's own CSRF check, handing back the reason instead of rendering the HTML failure page."""

    def _reject(self, request, reason):
        return reason


def _csrf_failure(request) -> str | None:
    check = _CsrfCheck(lambda request: None)
    check.process_request(request)
    return check.process_view(request, None, (), {})


def api_view(*methods: str, public: bool = False):
    """Method, sign-in and CSRF checks with JSON answers (405, 401, 403), then the view.

    The view is exempt from the CSRF middleware only so that the same check can run here and
    fail as JSON: unsafe methods are still checked, with Django's own rules.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method not in methods:
                return _error(
                    405, _("This method is not allowed here."), headers={"Allow": ", ".join(methods)}
                )
            if not public and not request.user.is_authenticated:
                return _error(
                    401,
                    _("Sign in to use the API."),
                    headers={"WWW-Authenticate": 'Session realm="povertyplan"'},
                )
            if request.method not in SAFE_METHODS:
                reason = _csrf_failure(request)
                if reason is not None:
                    logger.warning("Forbidden (%s): %s", reason, request.path)
                    return _error(
                        403,
                        _(
                            "The security check (CSRF) failed: send the X-CSRFToken header with "
                            "the value of the csrftoken cookie."
                        ),
                    )
            try:
                return view(request, *args, **kwargs)
            except RequestDataTooBig:
                return _error(413, _("The request body is too large."))
            except Http404:
                return _error(404, _("Not found."))
            except PermissionDenied:
                return _error(403, _("You may not do this."))

        return csrf_exempt(wrapped)

    return decorator


@api_view("GET")
def my_households(request):
    offset, limit, errors = serializers.paging_from(request.GET)
    if errors:
        return _error(400, _("Check the paging parameters."), errors)
    households = household_selectors.household_list_annotated(
        household_selectors.household_list_for_user(user=request.user)
    )
    rows, has_more = api_selectors.household_rows(households, offset=offset, limit=limit)
    get_token(request)  # hands the client the csrftoken cookie its POSTs need
    headers = {}
    if has_more:
        next_page = urlencode({"offset": offset + limit, "limit": limit})
        headers["Link"] = f'<{request.path}?{next_page}>; rel="next"'
    return _json(rows, headers=headers)


@api_view("POST")
def support_actions(request):
    if request.content_type not in ("application/json", ""):  # a form or a file upload is not JSON
        return _error(415, _("Send the request body as JSON (Content-Type: application/json)."))
    try:
        payload = serializers.json_object_from_body(request.body)
    except serializers.PayloadError as refused:
        return _error(400, refused.message)
    summary = _("The support was not recorded: check the fields.")
    errors = serializers.support_action_shape_errors(payload)

    client_uuid = serializers.client_uuid_from(payload)
    if not errors and client_uuid is not None:
        # A UUID already stored answers with the stored record before any rule that depends on
        # today's date runs, so a queue re-sent days later still gets its 200.
        repeat = _repeat_answer(request, client_uuid)
        if repeat is not None:
            return repeat

    household = reason = plan = None
    if "household" not in errors:
        try:
            household, reason = assignment_selectors.household_for_support(
                user=request.user, pk=payload["household"]
            )
        except Http404:
            return _error(
                404, _("Not found."), {"household": [_("No household with this id that you may log for.")]}
            )
        except PermissionDenied:
            return _error(403, _("You may not record support for this household."))
        plan = assignment_selectors.current_plan_for(household)

    cleaned, form_errors = serializers.support_action_clean(payload, plan=plan, skip=set(errors))
    errors = {**form_errors, **errors}
    if errors:
        return _error(400, summary, errors)

    action, created = assignment_services.support_action_record(
        household=household,
        official=scope_for_user(request.user).official,
        plan=plan,
        by=request.user,
        review_reason=reason,
        **cleaned,
    )
    if not created:  # another request with this UUID got there first
        return _repeat_answer(request, action.client_uuid)
    return _json(serializers.support_action_to_dict(action), status=201)


def _repeat_answer(request, client_uuid) -> JsonResponse | None:
    """200 with the stored record of this UUID, 404/403 if it is not the caller's to see, None if new."""
    try:
        stored = assignment_selectors.support_action_for_repeat(user=request.user, client_uuid=client_uuid)
    except Http404:
        return _error(
            404, _("Not found."), {"client_uuid": [_("This identifier is already used by another record.")]}
        )
    except PermissionDenied:
        return _error(403, _("You may not record support for this household."))
    if stored is None:
        return None
    return _json(serializers.support_action_to_dict(stored), status=200)


@api_view("GET", public=True)
def schema(request):
    """The OpenAPI document. Public: it describes the API and holds no data."""
    return _json(api_schema.openapi_document())
