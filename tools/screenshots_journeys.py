"""Screenshots of every family journey in vi and en → docs/screenshots/journeys/<journey>-<step>-<lang>.png.

The pictures are the ones the journey tests (tests/journeys/test_*.py) take while they drive the real agent and
the real windows, so a picture in docs/ is what a passing journey saw. Run under Xvfb for real fonts:
    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python tools/screenshots_journeys.py [pytest -k filter]
Without Xvfb the tests' offscreen platform is used (same widgets, Qt's own font rendering).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots" / "journeys"


def main(argv: list[str]) -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, SPROUT_JOURNEY_SHOTS=str(OUT))
    env["QT_QPA_PLATFORM"] = "xcb" if env.get("DISPLAY") else "offscreen"
    tests = sorted(str(p) for p in (ROOT / "tests").glob("journeys/test_*.py"))
    extra = ["-k", argv[0]] if argv else []
    code = subprocess.call([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests, *extra],
                           cwd=ROOT, env=env)
    write_index()
    return code


def write_index() -> None:
    """docs/screenshots/journeys/README.md: every journey's pictures, Vietnamese beside English."""
    steps: dict[str, dict[str, str]] = {}
    for png in sorted(OUT.glob("*.png")):
        stem, _, lang = png.stem.rpartition("-")
        if lang not in ("vi", "en"):
            stem, lang = png.stem, "vi"
        steps.setdefault(stem, {})[lang] = png.name
    lines = ["# Journeys, as a family meets them / Những hành trình của một gia đình", "",
             "Taken by the journey tests (`tests/journeys/test_*.py`) while they drive the real agent and the real "
             "windows; regenerate with `xvfb-run -a .venv/bin/python tools/screenshots_journeys.py`.", "",
             "| step | Tiếng Việt | English |", "|---|---|---|"]
    for stem, langs in steps.items():
        cells = [f"![{stem} {lang}]({langs[lang]})" if lang in langs else "" for lang in ("vi", "en")]
        lines.append(f"| {stem} | {cells[0]} | {cells[1]} |")
    (OUT / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
