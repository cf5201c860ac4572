"""Support photos: the time and memory `assignments.photos.photo_process` takes per uploaded image.

    .venv/bin/python bench/photos.py [--json FILE] [--keep FOLDER]

Builds each image once (in this process), then hands it to a fresh child process that sets Django
up, resets its peak-memory mark (`/proc/self/clear_refs` 5), runs photo_process on the upload and
reports the wall time and the peak resident memory above what it held before (`VmHWM` − `VmRSS` from
`/proc/self/status`). Figures and commands: docs/benchmarks.md.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# (label, format, width, height, mode, save options)
CASES = [
    ("phone photo 12 MP", "JPEG", 4000, 3000, "RGB", {"quality": 90}),
    ("phone photo 50 MP", "JPEG", 8660, 5773, "RGB", {"quality": 90}),
    ("JPEG 50 MP, 4:4:4", "JPEG", 8660, 5773, "RGB", {"quality": 85, "subsampling": 0}),
    ("JPEG 3199 × 3199 (decoded at full scale)", "JPEG", 3199, 3199, "RGB", {"quality": 90}),
    ("JPEG 50 MP, progressive", "JPEG", 8660, 5773, "RGB", {"quality": 90, "progressive": True}),
    ("JPEG 12 MP, progressive 4:4:4", "JPEG", 4000, 3000, "RGB", {"progressive": True, "subsampling": 0}),
    (
        "JPEG 3199 × 3199, progressive 4:4:4",
        "JPEG",
        3199,
        3199,
        "RGB",
        {"progressive": True, "subsampling": 0},
    ),
    ("PNG 7000 × 7000, one colour (the issue's)", "PNG", 7000, 7000, "RGB", {}),
    ("PNG screenshot 1080 × 2400", "PNG", 1080, 2400, "RGB", {}),
    ("PNG 12 MP RGB", "PNG", 4000, 3000, "RGB", {}),
    ("PNG 12 MP RGBA", "PNG", 4000, 3000, "RGBA", {}),
    ("PNG 12 MP palette, transparent", "PNG", 4000, 3000, "PA", {}),
    ("PNG 12 MP 16-bit grey", "PNG", 4000, 3000, "I;16", {}),
    ("GIF 12 MP", "GIF", 4000, 3000, "P", {}),
    ("WebP 6 MP RGB", "WEBP", 3000, 2000, "RGB", {"quality": 80}),
    ("WebP 6 MP RGBA", "WEBP", 3000, 2000, "RGBA", {"quality": 80}),
    ("WebP 12 MP RGB", "WEBP", 4000, 3000, "RGB", {"quality": 80}),
]


def picture(width: int, height: int, mode: str):
    """A smooth picture (gradients, so that a 50 MP JPEG stays under the upload limit)."""
    from PIL import Image

    across = Image.linear_gradient("L").rotate(90).resize((width, height))
    down = Image.linear_gradient("L").resize((width, height))
    image = Image.merge("RGB", (across, down, Image.new("L", (width, height), 90)))
    del across, down
    if mode == "RGBA":
        image.putalpha(200)
    elif mode in ("P", "PA"):
        image = image.quantize(64)
        if mode == "PA":
            image.info["transparency"] = 0
    elif mode == "I;16":
        image = image.convert("L").convert("I;16")
    return image


def encode(fmt: str, width: int, height: int, mode: str, options: dict) -> bytes:
    from PIL import Image

    if (width, height) == (7000, 7000):  # the photo: one colour, ~150 KB
        image = Image.new(mode, (width, height), (40, 120, 80))
    else:
        image = picture(width, height, mode)
    buffer = BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def status_kb(field: str) -> int:
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith(field + ":"))
    return int(line.split()[1])


def child(path: str) -> None:
    """In the child: photo_process on the file at `path`; prints one JSON line."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "povertyplan.settings")
    os.environ["DEBUG"] = "0"  # as in production
    os.environ.setdefault("SECRET_KEY", "benchmark-only-key")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from assignments.photos import photo_process

    upload = SimpleUploadedFile(Path(path).name, Path(path).read_bytes())
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")  # the peak mark starts again from what the process holds now
    before = status_kb("VmRSS")
    started = time.perf_counter()
    try:
        result = photo_process(upload)
        outcome = {"stored_kb": round(len(result.read()) / 1024)}
    except ValidationError as error:
        outcome = {"refused": " ".join(error.messages)}
    seconds = time.perf_counter() - started
    peak = status_kb("VmHWM")
    print(
        json.dumps(
            {"seconds": seconds, "peak_mb": (peak - before) / 1024, "rss_peak_mb": peak / 1024, **outcome}
        )
    )


def measure(path: Path) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(path)], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--json", help="write the figures to this file as JSON")
    parser.add_argument("--keep", help="keep the images in this folder")
    args = parser.parse_args()
    if args.child:
        return child(args.child)

    folder = Path(args.keep or tempfile.mkdtemp(prefix="bench-photos-"))
    folder.mkdir(parents=True, exist_ok=True)
    figures = []
    print(f"{'image':44} {'file':>9} {'time':>7} {'peak':>9}  outcome")
    for label, fmt, width, height, mode, options in CASES:
        path = folder / f"{width}x{height}-{mode}-{len(figures)}.{fmt.lower()}"
        path.write_bytes(encode(fmt, width, height, mode, options))
        result = {"image": label, "file_kb": round(path.stat().st_size / 1024), **measure(path)}
        figures.append(result)
        outcome = result.get("refused") or f"stored {result['stored_kb']} KB"
        print(
            f"{label:44} {result['file_kb']:>6} KB {result['seconds']:>6.2f}s"
            f" {result['peak_mb']:>6.0f} MB  {outcome}",
            flush=True,
        )
        if not args.keep:
            path.unlink()
    if not args.keep:
        folder.rmdir()
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
