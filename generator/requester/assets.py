"""Static files of the requester pages: CSS, JS and the calendar data.

The site stage calls ``write_assets(docs_dir)`` once; pages link to the files
under ``assets/requester/`` with relative URLs, so nothing is loaded from
anywhere but the site itself.
"""

from __future__ import annotations

from pathlib import Path

from ..paths import REPO_ROOT, TEMPLATES
from .calculator import CALENDAR_SCRIPT, calendar_script
from .env import ASSETS

SOURCE = REPO_ROOT / TEMPLATES / "requester"
STATIC = ("requester.css", "calculator.js", "letter.js")


def write_assets(docs_dir: Path) -> list[Path]:
    """Write the CSS, the scripts and ``calendar-data.js`` into ``docs_dir/assets/requester``."""
    out = Path(docs_dir) / ASSETS
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in STATIC:
        target = out / name
        target.write_bytes((SOURCE / name).read_bytes())
        written.append(target)
    target = out / CALENDAR_SCRIPT
    target.write_text(calendar_script(), encoding="utf-8", newline="\n")
    return [*written, target]
