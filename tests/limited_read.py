"""The reader run on a file in a child process limited to 500 MB of address space.

python-calamine aborts the process when an allocation fails (Rust does not raise): in a child, such a
crash is an outcome to report ("crashed"), not the end of the test run. The child reports the
outcome, the message, the time the read took (wall and CPU) and its peak resident memory (VmHWM,
which counts from the child's start: Python with Django loaded is about 85 MB of it). Used by the
tests of hostile files and by bench/hostile_files.py, which can point `root` at another checkout.
"""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ADDRESS_SPACE = 500 * 1024 * 1024
# the columns of tests/households/test_import_reading.py: the sheet may use 5 + 20 of them
KNOWN = ["Mã hộ", "Họ và tên chủ hộ", "Làng", "Thu nhập", "Ngày sinh"]
REQUIRED = ["Mã hộ", "Họ và tên chủ hộ", "Làng"]

CHILD = """
import json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
import django
django.setup()
from django.conf import settings
from django.utils import translation
from households.imports.reading import ImportFileError, read_table
path, language, known, required = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), json.loads(sys.argv[4])
data = open(path, "rb").read()
translation.activate(language)
started, cpu = time.perf_counter(), time.process_time()
try:
    result = read_table(data, "ho.xlsx", required_columns=required, known_columns=known,
                        max_rows=settings.IMPORT_MAX_ROWS, max_bytes=settings.IMPORT_MAX_BYTES)
    outcome, message = "read", "%d rows" % len(result.rows)
except ImportFileError as error:
    outcome, message = "refused", error.message
seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
status = open("/proc/self/status").read().split("VmHWM:")[1]
print(json.dumps({{"outcome": outcome, "message": message, "seconds": seconds, "cpu_seconds": cpu_seconds,
                  "peak_mb": int(status.split()[0]) / 1024}}))
"""


def read_in_limited_child(
    path: Path, *, language: str = "vi", known=KNOWN, required=REQUIRED, root: Path = ROOT
) -> dict:
    """{"outcome": "read" | "refused" | "crashed", "message", "seconds", "cpu_seconds", "peak_mb"},
    read with the code of the checkout at `root` and the settings' IMPORT_MAX_ROWS and _BYTES."""
    completed = subprocess.run(
        [
            sys.executable,
            "-c",
            CHILD.format(limit=ADDRESS_SPACE),
            str(path),
            language,
            json.dumps(known),
            json.dumps(required),
        ],
        cwd=root,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "povertyplan.settings", "DEBUG": "1"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    if completed.returncode != 0:
        last_line = (completed.stderr.strip().splitlines() or [""])[0]
        return {"outcome": "crashed", "message": f"exit {completed.returncode}: {last_line}", "peak_mb": None}
    return json.loads(completed.stdout.strip().splitlines()[-1])
