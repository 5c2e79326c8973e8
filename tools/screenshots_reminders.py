"""Render the companion's reminders about private information offscreen, in Vietnamese and English, into
docs/screenshots/: a social site's first visit for each age band (6–8, 9–11, 12–14, 15–17), an app first using the
camera (9–11) and the microphone (12–14).

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/screenshots_reminders.py [--out docs/screenshots]

The window is the real one (agent/companion/reminder_window.py) with the notice the service posts
(agent/service/privacy_reminders.py) and Sprout's own words (resources/privacy-reminders).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402
from shots import cli, grab  # noqa: E402

from agent.companion.i18n import Language  # noqa: E402
from agent.companion.look import apply_look  # noqa: E402
from agent.companion.reminder_window import ReminderWindow  # noqa: E402

# (file stem, the notice's reason, its target, the skills band, the companion's policy band)
SHOTS = [
    ("site-6-8", "site", "tiktok.com", "6-8", "7-10"),
    ("site-9-11", "site", "facebook.com", "9-11", "7-10"),
    ("site-12-14", "site", "instagram.com", "12-14", "11-13"),
    ("site-15-17", "site", "omegle.com", "15-17", "16-17"),
    ("camera-9-11", "camera", "Zoom", "9-11", "7-10"),
    ("microphone-12-14", "microphone", "Discord", "12-14", "11-13"),
]


def render(out: Path) -> list[Path]:
    app = QApplication.instance() or QApplication([])
    apply_look(app)  # type: ignore[arg-type]
    out.mkdir(parents=True, exist_ok=True)
    language = Language()
    made = []
    for lang in ("vi", "en"):
        language.switch(lang)
        for stem, reason, target, band, policy_band in SHOTS:
            notice = {"id": 1, "kind": "privacy_reminder", "reason": reason, "target": target, "band": band,
                      "left_s": None, "until": None}
            made.append(grab(ReminderWindow(notice, policy_band), out / f"companion-reminder-{stem}-{lang}.png"))
    language.switch("en")
    return made


def main() -> int:
    return cli(render, __doc__)


if __name__ == "__main__":
    sys.exit(main())
