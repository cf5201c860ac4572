"""The installable app's manifest, icons and service worker, served from the site root."""

import json
import struct
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders

MANIFEST = Path(settings.BASE_DIR) / "static" / "pwa" / "manifest.webmanifest"


def png_size(path: str) -> tuple[int, int]:
    header = Path(path).read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", header[16:24])


def test_manifest_is_served_as_a_web_app_manifest(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "Giảm nghèo – Hộ tôi phụ trách"
    assert manifest["short_name"] and len(manifest["short_name"]) <= 12  # fits under a home-screen icon
    assert manifest["start_url"] == "/my-households/"
    assert manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["lang"] == "vi"
    assert manifest["theme_color"].lower() == "#0b5d4b"
    assert manifest["background_color"].startswith("#")


def test_manifest_icons_exist_with_the_sizes_they_claim():
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    purposes = set()
    for icon in manifest["icons"]:
        assert icon["src"].startswith("/static/")
        path = finders.find(icon["src"].removeprefix("/static/"))
        assert path, f"{icon['src']} is missing"
        width, height = png_size(path)
        assert icon["sizes"] == f"{width}x{height}"
        assert Path(path).stat().st_size < 20_000  # small: they travel over 3G
        purposes.add(icon.get("purpose", "any"))
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes  # what Chrome on Android needs to offer installing
    assert {"any", "maskable"} <= purposes


def test_service_worker_is_served_from_the_root_and_never_cached(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    body = response.content.decode()
    assert "const VERSION" in body
    assert 'addEventListener("fetch"' in body


def test_offline_script_is_a_static_file_with_vietnamese_first_texts():
    path = finders.find("js/offline.js")
    assert path
    body = Path(path).read_text(encoding="utf-8")
    for text in (
        "{n} đang chờ gửi",
        "Gửi ngay",
        "Mất kết nối — hỗ trợ sẽ được lưu trên máy",
        "Ảnh chỉ gửi được khi có mạng",
    ):
        assert text in body
    assert "http://" not in body and "https://" not in body  # no CDN, no third-party host
