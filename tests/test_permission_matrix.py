"""Every route × every role → the expected status, and no route left out of the matrix.

Out of scope is 404 (the record's existence is not revealed); a role that may not use a route is
403; nobody signed in is sent to the sign-in page (pages) or answered 401 (the JSON API).
POSTs send valid data, so 302 (pages) or 201 (API) means "done".
"""

import datetime
import io
import json

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from households import services
from plans.models import Plan
from tests import factories
from tests.payloads import support_data

pytestmark = pytest.mark.django_db

# Every route of these namespaces, and these project-level routes, must be in the matrix.
CHECKED_NAMESPACES = ("households", "reports", "assignments", "api")
CHECKED_ROOT_NAMES = ("home", "manifest", "service_worker")

ROLES = (
    "commune_admin",
    "case_worker",
    "other_case_worker",
    "viewer",
    "outsider",
    "administrator",
    "no_role",
    "anonymous",
)


def statuses(**given) -> dict:
    return {role: given.get(role, given.get("default")) for role in ROLES}


# The household of the `household` fixture is in commune_admin's commune, assigned to case_worker;
# viewer is the upper office of its district; outsider a commune officer elsewhere.
SCOPED_WRITE = dict(other_case_worker=404, viewer=403, outsider=404, no_role=404, anonymous=302)
EXPECTED = {
    ("home", "get"): statuses(default=302),
    ("manifest", "get"): statuses(default=200),
    ("service_worker", "get"): statuses(default=200),
    ("households:list", "get"): statuses(default=200, anonymous=302),
    ("households:detail", "get"): statuses(
        commune_admin=200,
        case_worker=200,
        other_case_worker=404,
        viewer=200,
        outsider=404,
        administrator=200,
        no_role=404,
        anonymous=302,
    ),
    ("households:export", "get"): statuses(
        commune_admin=200,
        case_worker=403,
        other_case_worker=403,
        viewer=200,
        outsider=200,  # their own commune's rows (none here), never ours
        administrator=200,
        no_role=403,
        anonymous=302,
    ),
    ("households:causes_needs", "post"): statuses(
        commune_admin=302, case_worker=302, administrator=302, **SCOPED_WRITE
    ),
    # Imports: the commune officer into their commune, the administrator into the one they pick;
    # every other role is refused every import URL. The URLs name the household's commune.
    ("households:imports", "get"): statuses(
        default=403,
        commune_admin=200,
        outsider=200,  # their own commune's page
        administrator=200,
        anonymous=302,
    ),
    ("households:imports", "post"): statuses(
        default=403, commune_admin=302, outsider=404, administrator=302, anonymous=302
    ),
    ("households:import_template", "get"): statuses(
        default=403, commune_admin=200, outsider=404, administrator=200, anonymous=302
    ),
    **{
        (name, method): statuses(default=403, commune_admin=ok, outsider=404, administrator=ok, anonymous=302)
        for name, method, ok in (
            ("households:import_job", "get", 200),
            ("households:import_status", "get", 200),
            ("households:import_rejected", "get", 200),
            ("households:import_confirm", "post", 302),
            ("households:import_recheck", "post", 302),
            ("households:import_cancel", "post", 302),
        )
    },
    # Review rounds: the commune officer and the administrator write; the upper office reads the list
    # and a round's page; officials and users without a role have none of it.
    ("households:rounds", "get"): statuses(
        default=403, commune_admin=200, viewer=200, outsider=200, administrator=200, anonymous=302
    ),
    ("households:round", "get"): statuses(
        default=403, commune_admin=200, viewer=200, outsider=404, administrator=200, anonymous=302
    ),
    # The round's documents: whoever reads the round's page.
    **{
        (name, "get"): statuses(
            default=403, commune_admin=200, viewer=200, outsider=404, administrator=200, anonymous=302
        )
        for name in ("reports:round_minutes", "reports:round_decision", "reports:round_lists")
    },
    **{
        (name, method): statuses(default=403, commune_admin=ok, outsider=404, administrator=ok, anonymous=302)
        for name, method, ok in (
            ("households:round_open", "get", 200),  # the URL names the household's commune
            ("households:round_open", "post", 302),
            ("households:round_close", "post", 302),
            ("households:round_candidate_add", "post", 302),
            ("households:round_candidate_remove", "post", 302),
            ("households:round_meeting", "get", 200),
            ("households:round_meeting", "post", 302),
            ("households:round_result", "get", 200),
            ("households:round_result", "post", 302),
            ("households:round_classify", "get", 200),
        )
    },
    # The commune officer's plan pages: the commune officer and the administrator; read-only roles 403.
    **{
        (name, method): statuses(
            default=403, commune_admin=ok, outsider=404, no_role=404, administrator=ok, anonymous=302
        )
        for name, method, ok in (
            ("assignments:plan_next", "get", 200),
            ("assignments:plan_next", "post", 302),
            ("assignments:plan_households", "get", 200),
            ("assignments:plan_households", "post", 302),
        )
    },
    ("households:review", "get"): statuses(
        commune_admin=302, case_worker=403, administrator=302, **SCOPED_WRITE
    ),
    ("reports:statistics", "get"): statuses(
        commune_admin=200,
        case_worker=403,  # officials follow their own households, not the commune's figures
        other_case_worker=403,
        viewer=200,
        outsider=200,  # their own commune's statistics (empty here), never ours
        administrator=200,
        no_role=403,
        anonymous=302,
    ),
    ("reports:centre", "get"): statuses(
        commune_admin=200,
        case_worker=403,
        other_case_worker=403,
        viewer=200,
        outsider=200,  # their own commune's centre, never ours
        administrator=200,
        no_role=403,
        anonymous=302,
    ),
    ("reports:download", "get"): statuses(
        commune_admin=200,
        case_worker=403,
        other_case_worker=403,
        viewer=200,
        outsider=404,
        administrator=200,
        no_role=403,
        anonymous=302,
    ),
    ("reports:job_status", "get"): statuses(
        commune_admin=200,
        case_worker=403,
        other_case_worker=403,
        viewer=200,
        outsider=404,
        administrator=200,
        no_role=403,
        anonymous=302,
    ),
    ("reports:job_retry", "post"): statuses(
        commune_admin=302,
        case_worker=403,
        other_case_worker=403,
        viewer=302,
        outsider=404,
        administrator=302,
        no_role=403,
        anonymous=302,
    ),
    ("assignments:my_households", "get"): statuses(default=200, anonymous=302),
    # Support is always logged under an official's name: the administrator has no official profile.
    ("assignments:support_new", "get"): statuses(
        commune_admin=200, case_worker=200, administrator=403, **SCOPED_WRITE
    ),
    ("assignments:support_new", "post"): statuses(
        commune_admin=302, case_worker=302, administrator=403, **SCOPED_WRITE
    ),
    ("assignments:support_photo", "get"): statuses(
        commune_admin=200,
        case_worker=200,
        other_case_worker=404,
        viewer=200,
        outsider=404,
        administrator=200,
        no_role=404,
        anonymous=302,
    ),
    ("api:my_households", "get"): statuses(default=200, anonymous=401),
    ("api:support_actions", "post"): statuses(
        commune_admin=201, case_worker=201, administrator=403, **{**SCOPED_WRITE, "anonymous": 401}
    ),
    ("api:schema", "get"): statuses(default=200),
}

MATRIX = [
    (url, method, role, status)
    for (url, method), by_role in EXPECTED.items()
    for role, status in by_role.items()
]


IMPORT_JOB_ROUTES = (
    "households:import_job",
    "households:import_status",
    "households:import_rejected",
    "households:import_confirm",
    "households:import_recheck",
    "households:import_cancel",
)


ROUND_ROUTES = {
    "households:round": (),
    "households:round_close": (),
    "households:round_candidate_add": (),
    "households:round_candidate_remove": ("household",),
    "households:round_meeting": ("village",),
    "households:round_result": ("household",),
    "households:round_classify": ("household",),
    "reports:round_minutes": ("village",),
    "reports:round_decision": (),
    "reports:round_lists": (),
}

ROUND_POSTS = {
    "households:round_open": lambda household: {
        "commune": household.commune.code,
        "kind": "periodic",
        "year": "2024",
    },
    "households:round_close": lambda household: {
        "decision_number": "45/QĐ-UBND",
        "decision_date": "2023-12-20",
    },
    "households:round_candidate_add": lambda household: {"code": household.code, "source": "applied"},
    "households:round_meeting": lambda household: {"held_on": "2023-11-20", "attendance": "40"},
    "households:round_result": lambda household: {"income": "1.200.000", "deprived": ["latrine"]},
}


def _plan_next_post(household, review_round) -> dict:
    """Valid data to start 2024 from 2023: the round of 2023 is closed first."""
    from households import services as household_services
    from plans.services import plan_next_text

    household_services.review_round_close(
        review_round=review_round, decision_number="45/QĐ-UBND", decision_date=datetime.date(2023, 12, 20)
    )
    plan = Plan.objects.get(commune=household.commune, year=2023)
    return {**plan_next_text(plan), "registered_on": "2024-01-15"}


PLAN_ROUTES = {
    "assignments:plan_next": _plan_next_post,
    "assignments:plan_households": lambda household, review_round: {
        "action": "register",
        "households": [household.pk],
        "day": "2023-02-10",
    },
}


def url_for(url_name, household, action, job, import_job=None, review_round=None) -> str:
    if url_name in ROUND_ROUTES:
        related = {"household": household.pk, "village": household.village_id}
        return reverse(url_name, args=[review_round.pk, *(related[name] for name in ROUND_ROUTES[url_name])])
    if url_name == "households:round_open":
        return f"{reverse(url_name)}?commune={household.commune.code}"
    if url_name == "households:review":
        return reverse(url_name, args=[household.pk])
    if url_name in PLAN_ROUTES:
        return reverse(url_name, args=[Plan.objects.get(commune=household.commune, year=2023).pk])
    if url_name == "households:imports":
        return reverse(url_name)  # a POST names the commune in its form
    if url_name == "households:import_template":
        url = reverse(url_name, kwargs={"kind": "households"})
        return f"{url}?commune={household.commune.code}"
    if url_name in IMPORT_JOB_ROUTES:
        return reverse(url_name, args=[import_job.pk])
    if url_name == "households:export":
        return reverse(url_name, kwargs={"list_name": "members", "fmt": "csv"})
    if url_name == "reports:download":  # the administrator sees two communes: it names one
        url = reverse(url_name, kwargs={"year": 2023, "slug": "village-stats", "fmt": "xlsx"})
        return f"{url}?commune={household.commune.code}"
    if url_name in ("reports:job_status", "reports:job_retry"):
        return reverse(url_name, args=[job.pk])
    if url_name in ("households:detail", "households:causes_needs", "assignments:support_new"):
        return reverse(url_name, args=[household.pk])
    if url_name == "assignments:support_photo":
        return reverse(url_name, args=[action.pk])
    return reverse(url_name)


def hit(client, url_name, method, household, action, job, import_job=None, review_round=None):
    if url_name == "reports:round_minutes":  # the minutes of the village's meeting
        services.village_meeting_record(
            review_round=review_round,
            village=household.village,
            held_on=datetime.date(2023, 11, 20),
            attendance=40,
        )
    url = url_for(url_name, household, action, job, import_job, review_round)
    if method == "get":
        return client.get(url)
    if url_name in ROUND_POSTS:
        return client.post(url, ROUND_POSTS[url_name](household))
    if url_name == "households:round_candidate_remove":
        return client.post(url)
    if url_name in PLAN_ROUTES:
        return client.post(url, PLAN_ROUTES[url_name](household, review_round))
    if url_name == "households:imports":
        upload = io.BytesIO(bytes(import_job.data))
        upload.name = "ho.xlsx"
        return client.post(url, {"kind": "households", "file": upload, "commune": household.commune.code})
    if url_name == "api:support_actions":
        payload = {**support_data(value_vnd=250_000, quantity=2), "household": household.pk}
        return client.post(url, json.dumps(payload), content_type="application/json")
    if url_name == "assignments:support_new":
        return client.post(url, support_data())
    if url_name in ("reports:job_retry", *IMPORT_JOB_ROUTES):
        return client.post(url)
    return client.post(url, {"causes": [], "needs": []})


@pytest.fixture
def job(household):
    """A failed background report of the household's commune."""
    from reports.models import ReportFile

    return ReportFile.objects.create(
        commune=household.commune,
        slug="progress",
        fmt="pdf",
        plan_year=2023,
        review_year=2022,
        language="vi",
        fingerprint="x",
        status=ReportFile.Status.FAILED,
    )


@pytest.fixture
def import_job(household, commune_admin):
    """A checked import of the household's commune, uploaded by commune_admin: one new household."""
    from households.imports import jobs
    from tests.households.test_import_jobs import households_xlsx, new_row

    data = households_xlsx(household.commune, commune_admin, [new_row("KLK-0900", household.village)])
    return jobs.import_job_create(
        kind="households", commune=household.commune, user=commune_admin, filename="ho.xlsx", data=data
    )


@pytest.fixture
def review_round(household):
    """The open periodic review of 2023 in the household's commune."""
    from households import services

    return services.review_round_open(commune=household.commune, year=2023)


@pytest.fixture
def everyone(personas):
    return {**personas, "no_role": factories.UserFactory(), "anonymous": None}


@pytest.mark.parametrize("url_name, method, role, expected", MATRIX)
def test_permission_matrix(
    client,
    everyone,
    household,
    action_with_photo,
    job,
    import_job,
    review_round,
    url_name,
    method,
    role,
    expected,
):
    if everyone[role] is not None:
        client.force_login(everyone[role])
    response = hit(client, url_name, method, household, action_with_photo, job, import_job, review_round)
    assert response.status_code == expected
    if expected == 302 and role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


def _url_names(resolver, namespace=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _url_names(pattern, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_route_of_the_checked_apps_is_in_the_matrix():
    routed = {
        name
        for name in _url_names(get_resolver())
        if name.split(":")[0] in CHECKED_NAMESPACES or name in CHECKED_ROOT_NAMES
    }
    assert {"households:list", "api:support_actions", "home"} <= routed, "is the walk of the resolver broken?"
    in_matrix = {url for url, _method in EXPECTED}
    assert routed - in_matrix == set()
    assert in_matrix - routed == set(), "the matrix names a route that no longer exists"


def test_post_only_routes_refuse_get(client, commune_admin, household):
    client.force_login(commune_admin)
    assert client.get(reverse("households:causes_needs", args=[household.pk])).status_code == 405
