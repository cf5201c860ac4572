"""The installable web app's manifest and service worker.

The service worker is served from the site root (not /static/) so that its scope covers every
page; both files live in static/pwa/ and are read once per process.
"""

from functools import cache

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

PWA_DIR = settings.BASE_DIR / "static" / "pwa"


@cache
def _read(name: str) -> bytes:
    return (PWA_DIR / name).read_bytes()


@require_GET
@cache_control(max_age=3600, public=True)
def manifest(request):
    return HttpResponse(_read("manifest.webmanifest"), content_type="application/manifest+json")


@require_GET
@cache_control(no_cache=True)  # browsers must see a new worker as soon as it is deployed
def service_worker(request):
    response = HttpResponse(_read("sw.js"), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response
