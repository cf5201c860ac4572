"""Support photos: only real images, never larger than needed, with no hidden metadata."""

import uuid
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "MPO"}  # MPO: what some phone cameras write
SCALED_FORMATS = {"JPEG", "MPO"}  # decoded straight to about the size kept (draft), at 1/2, 1/4 or 1/8
MAX_EDGE = 1600
# Pixel limits, checked on the header before anything is decoded, so that one upload stays under
# 150 MB at its peak (bench/photos.py, docs/benchmarks.md). A baseline JPEG (what phone cameras
# write) is decoded at a reduced scale: a 50 MP photo costs about 30 MB. The others are decoded
# whole: PNG and GIF about 10 bytes a pixel, WebP about 16 (the decoder's own copies), and a
# progressive JPEG keeps every coefficient of the full-size picture (up to 6 bytes a pixel).
MAX_PIXELS = 50_000_000
MAX_PIXELS_DECODED_WHOLE = {"PNG": 12_000_000, "GIF": 12_000_000, "WEBP": 6_000_000}
MAX_PIXELS_PROGRESSIVE_JPEG = 12_000_000


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
            if probe.format not in ACCEPTED_FORMATS:
                raise ValidationError(_("Send a photo in JPEG, PNG or WebP format."), code="photo_format")
            _check_pixels(probe)
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            picture = _reduced(image)
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise ValidationError(
            _("The file is not a photo that can be read."), code="photo_unreadable"
        ) from error
    buffer = BytesIO()
    picture.save(buffer, "JPEG", quality=82, optimize=True)
    return ContentFile(buffer.getvalue(), name=f"{uuid.uuid4().hex}.jpg")


def _check_pixels(image) -> None:
    """Refuse, from the header alone, a picture too big to decode within the memory bound."""
    jpeg = image.format in SCALED_FORMATS
    if not jpeg:
        limit = MAX_PIXELS_DECODED_WHOLE[image.format]
    elif image.info.get("progressive"):
        limit = MAX_PIXELS_PROGRESSIVE_JPEG
    else:
        limit = MAX_PIXELS
    if image.width * image.height <= limit:
        return
    size = {"width": image.width, "height": image.height}
    if jpeg:
        message = _(
            "The photo is too large (%(width)s × %(height)s pixels). Take it again at a lower resolution."
        )
    else:
        message = _(
            "The photo is too large (%(width)s × %(height)s pixels). Take it again or send it as a JPEG."
        )
    raise ValidationError(message % size, code="photo_too_many_pixels")


def _reduced(image: Image.Image) -> Image.Image:
    """The picture upright, in RGB, at most MAX_EDGE a side, with as few full-size copies as possible:
    a JPEG is decoded at the smallest scale that still covers the size kept, and every picture is
    shrunk in place before it is turned or converted (each of those copies it)."""
    width, height = image.size
    ratio = min(1.0, MAX_EDGE / max(width, height))
    if image.format in SCALED_FORMATS:
        # The size actually kept, not the square box: a 3:2 photo then decodes at 1/4, not 1/2.
        image.draft("RGB", (max(1, int(width * ratio)), max(1, int(height * ratio))))
    if image.mode not in {"RGB", "RGBA", "L", "LA", "CMYK"}:
        # Palette, 1-bit and 16-bit pictures would be shrunk by nearest neighbour: convert first.
        converted = image.convert("RGBA" if "transparency" in image.info else "RGB")
        image.close()  # frees the original's pixels now, not when the upload is closed
        image = converted
    image.thumbnail((MAX_EDGE, MAX_EDGE))
    ImageOps.exif_transpose(image, in_place=True)
    if image.mode in {"RGBA", "LA"}:  # transparent parts show as white, not as whatever colour they hide
        flat = Image.new("RGBA", image.size, "white")
        flat.alpha_composite(image.convert("RGBA"))
        image = flat
    return image.convert("RGB")


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
