"""Fails when the Vietnamese catalogue is incomplete, fuzzy, or out of step with its .mo.

With GNU gettext installed (CI installs it), it also runs makemessages and fails when the code
has msgids the catalogue lacks. Without it, a newcomer's machine still checks the .po and .mo.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = [ROOT / "locale" / "vi" / "LC_MESSAGES" / name for name in ("django.po",)]


def entries(catalogue) -> dict:
    return {
        (entry.msgctxt, entry.msgid): (entry.msgstr, tuple(sorted(entry.msgstr_plural.items())))
        for entry in catalogue
    }


def check_catalogue(po_path: Path) -> list[str]:
    problems = []
    po = polib.pofile(str(po_path))
    for entry in po:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            problems.append(f"{po_path.name}: fuzzy: {entry.msgid!r}")
        elif not entry.translated():
            problems.append(f"{po_path.name}: untranslated: {entry.msgid!r}")
    mo_path = po_path.with_suffix(".mo")
    if not mo_path.exists():
        problems.append(f"{mo_path.name} is missing: run bin/translations")
    else:
        live = {key: value for key, value in entries(po).items() if key[1]}
        compiled = {key: value for key, value in entries(polib.mofile(str(mo_path))).items() if key[1]}
        if live != compiled:
            problems.append(f"{mo_path.name} does not match {po_path.name}: run bin/translations")
    return problems


def missing_msgids(po_path: Path) -> list[str]:
    """Msgids the code uses that the catalogue lacks (needs xgettext)."""
    backup = po_path.read_bytes()
    before = {(e.msgctxt, e.msgid) for e in polib.pofile(str(po_path)) if not e.obsolete}
    try:
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "makemessages",
                "-l",
                "vi",
                "--no-location",
                "--ignore=.venv/*",
                "-v0",
            ],
            cwd=ROOT,
            check=True,
        )
        after = {(e.msgctxt, e.msgid) for e in polib.pofile(str(po_path)) if not e.obsolete}
    finally:
        po_path.write_bytes(backup)
    return [
        f"{po_path.name}: msgid in the code but not in the catalogue: {msgid!r}"
        for _ctx, msgid in sorted(after - before, key=str)
    ]


def main() -> int:
    problems = []
    for po_path in CATALOGUES:
        problems += check_catalogue(po_path)
        if shutil.which("xgettext"):
            problems += missing_msgids(po_path)
        else:
            print("xgettext not found: skipping the check for msgids missing from the catalogue.")
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
