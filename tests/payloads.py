"""What a phone or a browser sends: form data and photos for the support tests."""

import uuid
from io import BytesIO

from PIL import Image

# A day in the year of the test household's plan (tests.factories.PlanFactory: 2023).
PLAN_DAY = "2023-03-01"


def support_data(**changes) -> dict:
    """A valid support form submission (a day of the 2023 plan, labour days), with `changes` applied."""
    data = {
        "client_uuid": str(uuid.uuid4()),
        "kind": "labour",
        "date": PLAN_DAY,
        "description": "Giúp gia đình làm chuồng bò",
        "quantity": "2",
        "unit": "ngày công",
        "value_vnd": "",
        "contributor": "official",
    }
    data.update(changes)
    return data


def png_bytes(size=(2400, 1200), exif_make="TestPhone GPS") -> bytes:
    """A real PNG as a phone camera might send it, with EXIF the server must drop."""
    image = Image.new("RGB", size, (40, 120, 80))
    exif = Image.Exif()
    exif[0x010F] = exif_make  # Make
    exif[0x0110] = "Model X"  # Model
    buffer = BytesIO()
    image.save(buffer, "PNG", exif=exif.tobytes())
    return buffer.getvalue()
