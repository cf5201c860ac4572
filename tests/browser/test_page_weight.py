"""An official's pages stay light on a prepaid 3G plan, and never call another host.

Bytes are what Chromium counts on the wire (CDP Network.loadingFinished encodedDataLength:
headers and body), with the browser cache and the service worker off, so each page is measured
as a first visit. The test server sends nothing compressed, so production (WhiteNoise's brotli
and gzip files) is lighter than what is measured here.
"""

from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

BUDGET_BYTES = 150 * 1024


class Meter:
    def __init__(self, context, page):
        self.sizes: dict[str, int] = {}
        self.urls: dict[str, str] = {}
        self.hosts: set[str] = set()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.on("Network.requestWillBeSent", self._request)
        cdp.on("Network.loadingFinished", self._finished)
        page.on("request", lambda request: self.hosts.add(urlsplit(request.url).netloc))

    def _request(self, event):
        self.urls[event["requestId"]] = event["request"]["url"]

    def _finished(self, event):
        self.sizes[event["requestId"]] = event["encodedDataLength"]

    def load(self, page, path: str) -> tuple[int, list[str]]:
        self.sizes.clear()
        self.urls.clear()
        response = page.goto(path, wait_until="networkidle")
        assert response.status == 200, f"{path} answered {response.status}"
        total = sum(self.sizes.values())
        detail = sorted(
            (f"{size:>7} {self.urls.get(request_id, request_id)}" for request_id, size in self.sizes.items()),
            reverse=True,
        )
        return total, detail


def test_first_load_of_an_officials_pages_stays_under_150_kb(new_context, demo, live_server):
    context = new_context(service_workers="block")
    page = context.new_page()
    meter = Meter(context, page)
    report = [("/accounts/login/", *meter.load(page, "/accounts/login/"))]
    sign_in(page, "canbo01")

    # The household with the most members and support is the heaviest page of canbo01's.
    heaviest = max(demo.own, key=lambda h: (h.members.count() + h.support_actions.count(), h.pk))
    for path in ("/my-households/", f"/households/{heaviest.pk}/"):
        report.append((path, *meter.load(page, path)))
    print("\n".join(f"{path}: {total / 1024:.1f} KB" for path, total, _ in report))
    for path, total, detail in report:
        assert total <= BUDGET_BYTES, f"{path}: {total / 1024:.1f} KB > 150 KB\n" + "\n".join(detail)

    own_host = urlsplit(live_server.url).netloc
    assert meter.hosts - {own_host, ""} == set(), "requests to another host (a CDN?)"
