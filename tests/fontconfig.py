"""The tests render every PDF as a machine with no report fonts installed would.

Fontconfig is pointed at a configuration that sees DejaVu only (or nothing, where DejaVu is not
installed), before anything in the test process starts Pango. A PDF then comes out in Liberation
Serif only if it uses the face shipped in static/reports/fonts, and the font checks of the PDF
tests catch any fallback.
"""

import os
import tempfile
from pathlib import Path

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


def use_dejavu_only() -> Path:
    """Writes the configuration and sets FONTCONFIG_FILE for this process and its children."""
    folder = Path(tempfile.mkdtemp(prefix="povertyplan-fontconfig-"))
    font_dir = f"<dir>{DEJAVU}</dir>" if DEJAVU.is_dir() else ""
    config = folder / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
        f"<fontconfig>{font_dir}<cachedir>{folder / 'cache'}</cachedir></fontconfig>\n",
        encoding="utf-8",
    )
    os.environ["FONTCONFIG_FILE"] = str(config)
    return config
