"""Support photos: only real images, never larger than needed, with no hidden metadata."""

import uuid
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "MPO"}  # MPO: what some phone cameras write
MAX_EDGE = 1600
MAX_PIXELS = 50_000_000  # a decompression bomb is refused before it is decoded


def photo_process(upload) -> ContentFile:
    """Check an uploaded photo and re-encode it as a JPEG of at most MAX_EDGE pixels a side.

    Re-encoding drops EXIF (GPS position, phone model): the photo shows a household's home.
    """
    limit = settings.SUPPORT_PHOTO_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The photo is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": round(upload.size / 1_000_000, 1), "limit": limit // 1_000_000},
            code="photo_too_large",
        )
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            if probe.format not in ACCEPTED_FORMATS or probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(_("Send a photo in JPEG, PNG or WebP format."), code="photo_format")
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            picture = ImageOps.exif_transpose(image).convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise ValidationError(
            _("The file is not a photo that can be read."), code="photo_unreadable"
        ) from error
    picture.thumbnail((MAX_EDGE, MAX_EDGE))
    buffer = BytesIO()
    picture.save(buffer, "JPEG", quality=82, optimize=True)
    return ContentFile(buffer.getvalue(), name=f"{uuid.uuid4().hex}.jpg")


THUMBNAIL_EDGE = 240  # pixels: a 96 px thumbnail on a screen of up to 2.5 device pixels per px


def photo_thumbnail(photo) -> bytes:
    """A small JPEG of a stored support photo, for the timeline."""
    with photo.open("rb"), Image.open(photo) as image:
        image.draft("RGB", (THUMBNAIL_EDGE, THUMBNAIL_EDGE))  # JPEG: decode at a reduced size, fast
        picture = ImageOps.exif_transpose(image).convert("RGB")
    picture.thumbnail((THUMBNAIL_EDGE, THUMBNAIL_EDGE))
    buffer = BytesIO()
    picture.save(buffer, "JPEG", quality=70)
    return buffer.getvalue()
