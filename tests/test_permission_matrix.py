"""Every page × every role → the expected status, and no page left out of the matrix.

Out of scope is 404 (the record's existence is not revealed); a role that may not use a page is
403; nobody signed in is sent to the sign-in page.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests import factories

pytestmark = pytest.mark.django_db

# Namespaces whose pages this matrix must cover (a new app's namespace is added here).
CHECKED_NAMESPACES = ("households", "reports")

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

EXPECTED = {
    # Everyone signed in has a household list, limited to what they may see (possibly empty).
    "households:list": dict.fromkeys(ROLES[:-1], 200),
    "households:detail": {
        "commune_admin": 200,
        "case_worker": 200,  # assigned to them
        "other_case_worker": 404,  # same commune, not assigned to them
        "viewer": 200,
        "outsider": 404,
        "administrator": 200,
        "no_role": 404,
    },
    "reports:statistics": {
        "commune_admin": 200,
        "case_worker": 403,  # officials follow their own households, not the commune's figures
        "other_case_worker": 403,
        "viewer": 200,
        "outsider": 200,  # their own commune's statistics (empty here), never ours
        "administrator": 200,
        "no_role": 403,
    },
}
for statuses in EXPECTED.values():
    statuses["anonymous"] = 302

MATRIX = [
    (url_name, role, status) for url_name, statuses in EXPECTED.items() for role, status in statuses.items()
]


def url_for(url_name, household) -> str:
    """The URL to hit for a route name: routes that take the household's pk get the fixture's."""
    if url_name == "households:detail":
        return reverse(url_name, args=[household.pk])
    return reverse(url_name)


@pytest.fixture
def everyone(personas):
    return {**personas, "no_role": factories.UserFactory(), "anonymous": None}


@pytest.mark.parametrize("url_name, role, expected", MATRIX)
def test_permission_matrix(client, everyone, household, url_name, role, expected):
    if everyone[role] is not None:
        client.force_login(everyone[role])
    response = client.get(url_for(url_name, household))
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith(reverse("login"))


def _url_names(resolver, namespace=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else None
            yield from _url_names(pattern, inner or pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name and namespace:
            yield f"{namespace}:{pattern.name}"


def test_every_page_of_the_checked_apps_is_in_the_matrix():
    routed = {name for name in _url_names(get_resolver()) if name.split(":")[0] in CHECKED_NAMESPACES}
    assert routed, "no URL found in the checked namespaces: is the walk of the resolver broken?"
    assert routed - set(EXPECTED) == set()
    assert set(EXPECTED) - routed == set(), "the matrix names a URL that no longer exists"


def test_every_page_in_the_matrix_has_a_status_for_every_role():
    for url_name, statuses in EXPECTED.items():
        assert set(statuses) == set(ROLES), url_name
