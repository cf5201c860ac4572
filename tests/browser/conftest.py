"""Playwright driving Debian's Chromium against Django's live server (see docs stack.md).

Without a Chromium binary the whole package is skipped with the reason, except when
REQUIRE_BROWSER=1 (CI): then every test fails instead, so a missing browser never passes silently.

Playwright's sync API keeps an asyncio loop running in the test thread from its start to the end
of the session. Two consequences, handled here:
- Django refuses ORM calls while a loop runs, unless DJANGO_ALLOW_ASYNC_UNSAFE is set. It is set
  only from Playwright's start, and these tests run last, so it never leaks into other tests (nor
  into the subprocesses some of them start: `check --deploy` fails on it).
- Django's connection handler is then keyed by context, not by thread: the test thread gets new
  connection objects, without the serialized test data that serialized_rollback restores after
  each transactional test's flush. The data is read before Playwright starts and handed over.
"""

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connections

from assignments.models import Assignment
from demo.data import DEMO_PASSWORD
from demo.loader import load_demo

BROWSER_DIR = Path(__file__).resolve().parent

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
REQUIRE_BROWSER = os.environ.get("REQUIRE_BROWSER", "") in {"1", "true", "yes"}
PHONE = {"width": 360, "height": 740}


def chromium_found() -> bool:
    path = Path(CHROMIUM)
    return (path.is_file() and os.access(path, os.X_OK)) or bool(shutil.which(CHROMIUM))


@pytest.hookimpl(trylast=True)  # after pytest-django's own ordering (db, transactional, others)
def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: BROWSER_DIR in Path(str(item.path)).parents)


@pytest.fixture(scope="session")
def _serialized_test_data(django_db_setup):
    return {
        conn.alias: conn._test_serialized_contents
        for conn in connections.all()
        if hasattr(conn, "_test_serialized_contents")
    }


@pytest.fixture(scope="session")
def playwright(_serialized_test_data, playwright):
    """pytest-playwright's fixture, made safe for Django's database handling (see above)."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    for alias, contents in _serialized_test_data.items():
        connections[alias]._test_serialized_contents = contents
    yield playwright
    connections.close_all()  # the loop's own connections: PostgreSQL cannot drop a database in use
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(autouse=True, scope="session")
def _chromium_or_skip():
    if chromium_found():
        return
    message = f"no Chromium at {CHROMIUM} (apt-get install chromium, or set CHROMIUM=/path)"
    if REQUIRE_BROWSER:
        pytest.fail(f"REQUIRE_BROWSER=1 but {message}", pytrace=False)
    pytest.skip(f"browser tests skipped: {message}")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def base_url(live_server):
    """Pages are addressed as "/…" on Django's live server."""
    return live_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A cheap Android phone: 360 × 740 CSS pixels, touch, Vietnamese.
    return {
        **browser_context_args,
        "viewport": PHONE,
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
        "locale": "vi-VN",
    }


@dataclass
class Demo:
    own: list  # canbo01's households, in the order of their codes
    other: object  # one of canbo02's households


@pytest.fixture
def demo(live_server):
    """The demo commune (about 1 s): canbo01 and canbo02 with their households."""
    load_demo()
    own = [
        a.household
        for a in Assignment.objects.filter(official__user__username="canbo01", ended_on__isnull=True)
        .select_related("household")
        .order_by("household__code")
    ]
    other = Assignment.objects.filter(official__user__username="canbo02", ended_on__isnull=True).first()
    assert len(own) >= 2 and other
    return Demo(own=own, other=other.household)


def sign_in(page, username: str = "canbo01") -> None:
    page.goto("/accounts/login/")
    page.fill('input[name="username"]', username)
    page.fill('input[name="password"]', DEMO_PASSWORD)
    with page.expect_navigation():
        page.click('button[type="submit"]')
    assert "/accounts/login/" not in page.url, "sign-in failed"


def worker_ready(page) -> None:
    """The service worker is active (precaching may still run: see wait_cached)."""
    assert page.evaluate("navigator.serviceWorker.ready.then((r) => Boolean(r.active))")


def wait_cached(page, path: str, *, present: bool = True, timeout_ms: int = 15000) -> None:
    """Wait until the worker has saved `path` (or, with present=False, dropped it)."""
    # Playwright's wait_for_function does not await a promise, so poll inside the page.
    done = page.evaluate(
        """async ([url, present, ms]) => {
            const end = Date.now() + ms;
            while (Date.now() < end) {
                if (Boolean(await caches.match(url, { ignoreVary: true })) === present) return true;
                await new Promise((resolve) => setTimeout(resolve, 50));
            }
            return false;
        }""",
        [path, present, timeout_ms],
    )
    assert done, f"{path} was {'not saved' if present else 'still kept'} for offline use"


def no_horizontal_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide on a {PHONE['width']}px screen"
