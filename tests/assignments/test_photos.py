"""Support photos as big as an official may send: refused from the header, or decoded within 150 MB."""

import json
import os
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from assignments.models import SupportAction
from assignments.photos import photo_process
from tests.payloads import support_data

ROOT = Path(__file__).resolve().parents[2]
PEAK_BOUND_MB = 150  # the issue's bound for one upload, above what the process held before


def encoded(fmt: str, size: tuple[int, int], mode: str = "RGB", **options) -> bytes:
    """A picture of one colour: its file is small, its decoded pixels as large as any photo's."""
    image = Image.new(mode, size, (40, 120, 80) if mode in ("RGB", "RGBA") else 3)
    if mode == "P":
        image.putpalette([value for index in range(256) for value in (index, 255 - index, 90)])
        image.info["transparency"] = 7
    buffer = BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def upload_of(data: bytes, name: str = "anh") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def stored(result) -> Image.Image:
    image = Image.open(BytesIO(result.read()))
    image.load()
    return image


# At each format's limit the photo is kept; one row of pixels more and it is refused from its header.
LIMITS = [
    ("JPEG", (10_000, 5_000), {"quality": 80}),
    ("JPEG", (4_000, 3_000), {"progressive": True}),
    ("PNG", (4_000, 3_000), {}),
    ("GIF", (4_000, 3_000), {}),
    ("WEBP", (3_000, 2_000), {}),
]


@pytest.mark.parametrize("fmt, size, options", LIMITS, ids=lambda value: str(value))
def test_a_photo_at_its_formats_pixel_limit_is_kept_and_one_row_more_is_refused(fmt, size, options):
    width, height = size
    result = photo_process(upload_of(encoded(fmt, size, **options)))
    assert max(stored(result).size) == 1600

    with pytest.raises(ValidationError) as refused:
        photo_process(upload_of(encoded(fmt, (width, height + 1), **options)))
    assert refused.value.code == "photo_too_many_pixels"
    assert f"{width} × {height + 1}" in refused.value.messages[0]


def test_the_issues_png_of_7000_by_7000_pixels_is_refused_with_what_to_do(
    client, case_worker, household, media
):
    client.force_login(case_worker)
    upload = SimpleUploadedFile("anh.png", encoded("PNG", (7000, 7000)), content_type="image/png")
    assert upload.size < 200_000  # ~150 KB: well under the upload limit in bytes
    response = client.post(
        reverse("assignments:support_new", args=[household.pk]), {**support_data(), "photo": upload}
    )
    assert response.status_code == 200
    assert "Ảnh quá lớn (7000 × 7000 điểm ảnh). Hãy chụp lại hoặc gửi ảnh JPEG." in response.content.decode()
    assert SupportAction.objects.count() == 0
    assert not any(media.rglob("*.jpg"))


def test_a_jpeg_over_50_megapixels_asks_for_a_lower_resolution():
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        photo_process(upload_of(encoded("JPEG", (10_000, 5_001))))
    assert refused.value.messages == [
        "Ảnh quá lớn (10000 × 5001 điểm ảnh). Hãy chụp lại với độ phân giải thấp hơn."
    ]


def test_a_big_phone_photo_is_decoded_small_and_stored_upright():
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: the phone was held upright, the sensor wrote it sideways
    data = encoded("JPEG", (8160, 6120), quality=85, exif=exif.tobytes())
    picture = stored(photo_process(upload_of(data)))
    assert picture.size == (1200, 1600)
    assert len(picture.getexif()) == 0


def test_the_transparent_parts_of_a_picture_are_stored_white():
    image = Image.new("RGBA", (3200, 1600), (200, 0, 0, 0))  # red, but fully transparent
    image.paste((0, 0, 200, 255), (0, 0, 1600, 1600))  # the left half opaque blue
    buffer = BytesIO()
    image.save(buffer, "PNG")
    picture = stored(photo_process(upload_of(buffer.getvalue())))
    assert picture.size == (1600, 800)
    left, right = picture.getpixel((200, 400)), picture.getpixel((1400, 400))
    assert left[2] > 180 and left[0] < 30
    assert min(right) > 240


CHILD = """
import json, sys
from pathlib import Path
import django
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from assignments.photos import photo_process

def status_kb(field):
    with open("/proc/self/status") as status:
        return int(next(line for line in status if line.startswith(field + ":")).split()[1])

upload = SimpleUploadedFile("anh", Path(sys.argv[1]).read_bytes())
with open("/proc/self/clear_refs", "w") as clear:
    clear.write("5")  # the peak mark starts again from what the process holds now
before = status_kb("VmRSS")
size = len(photo_process(upload).read())
print(json.dumps({"peak_mb": (status_kb("VmHWM") - before) / 1024, "stored": size}))
"""

# The largest picture each decoder accepts, in the mode that costs it most.
LARGEST = [
    ("JPEG", (10_000, 5_000), "RGB", {"quality": 80}),
    ("JPEG", (4_000, 3_000), "RGB", {"progressive": True, "subsampling": 0}),
    ("PNG", (4_000, 3_000), "RGBA", {}),
    ("PNG", (4_000, 3_000), "P", {}),
    ("WEBP", (3_000, 2_000), "RGBA", {}),
]


@pytest.mark.parametrize("fmt, size, mode, options", LARGEST, ids=lambda value: str(value))
def test_the_largest_photo_accepted_costs_under_150_mb_in_a_fresh_process(tmp_path, fmt, size, mode, options):
    path = tmp_path / f"largest.{fmt.lower()}"
    path.write_bytes(encoded(fmt, size, mode, **options))
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "povertyplan.settings",
        "DEBUG": "0",
        "SECRET_KEY": "x",
    }
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["stored"] > 0
    assert figures["peak_mb"] < PEAK_BOUND_MB, figures
