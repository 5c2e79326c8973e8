"""Screenshots of every family journey in vi and en → docs/screenshots/journeys/<journey>-<step>-<lang>.png.

The pictures are the ones the journey tests (tests/test_journey_*.py) take while they drive the real agent and
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
    tests = sorted(str(p) for p in (ROOT / "tests").glob("test_journey_*.py"))
    extra = ["-k", argv[0]] if argv else []
    return subprocess.call([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests, *extra],
                           cwd=ROOT, env=env)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
