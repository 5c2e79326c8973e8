"""Render the child's companion offscreen, in Vietnamese and English, into docs/screenshots/companion-*.png.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/screenshots_companion.py [--out docs/screenshots]

The windows are the real ones, fed with example data shaped like the service's answers (no service needed).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from agent.companion.ask_time import AskTimeWindow  # noqa: E402
from agent.companion.i18n import Language  # noqa: E402
from agent.companion.look import apply_look, sprout_pixmap  # noqa: E402
from agent.companion.notice_window import NoticeWindow  # noqa: E402
from agent.companion.pairing_window import PairingWindow  # noqa: E402
from agent.companion.privacy_window import PrivacyWindow  # noqa: E402
from agent.companion.report_harmful import ReportHarmfulWindow  # noqa: E402
from agent.companion.status_window import StatusWindow  # noqa: E402

STATUS = {"screen_used_s": 5400, "screen_left_s": 2100, "games_used_s": 3000, "games_left_s": 600,
          "current_game": "minecraft", "age_band": "7-10", "lang": "vi", "child_name": "An", "next_window": None,
          "locked_reason": None}

NOTICES: list[tuple[str, dict[str, Any]]] = [
    ("warn", {"kind": "warn", "target": "screen", "left_s": 900}),
    ("warn-games", {"kind": "warn", "target": "minecraft", "title": "Minecraft", "left_s": 300}),
    ("remind", {"kind": "remind", "target": "minecraft", "title": "Minecraft"}),
    ("close", {"kind": "close", "target": "minecraft", "title": "Minecraft", "until": "tomorrow"}),
    ("block", {"kind": "block", "target": "tiktok", "title": "TikTok"}),
    ("lock", {"kind": "lock", "target": "screen", "left_s": 60, "until": "07:00"}),
    ("web-block", {"kind": "web_block", "target": "casino-example.com", "category": "gambling"}),
    ("grant", {"kind": "grant", "target": "screen", "left_s": 1800}),
    ("decline", {"kind": "decline", "target": "games", "message": ""}),
]

PRIVACY = {
    "sent": {"time_totals": True, "apps_used": True, "window_titles": False, "full_web_addresses": False,
             "web_categories_blocked": True, "time_requests": True, "tamper_alerts": True},
    "never_sent": ["screenshots", "keystrokes", "messages", "passwords", "camera", "microphone"],
    "example_today": {"day": "2026-11-29", "screen_s": 5400, "games_s": 3000, "per_game_s": {"minecraft": 3000},
                      "grant_screen_s": 0, "grant_games_s": 0, "per_app_s": {"minecraft": 3000, "word": 2400},
                      "requests": 1},
    "retention_days": 30,
    "recipients": "the parents' consoles paired with this PC, encrypted end to end; no company server",
}


class NoService:
    """The screenshots never press Send; if something does, say so instead of pretending."""

    def submit_request(self, minutes: int, reason: str, scope: str) -> dict[str, Any]:
        raise RuntimeError("screenshots do not talk to a service")

    def report_harmful(self, what: str, note: str) -> dict[str, Any]:
        raise RuntimeError("screenshots do not talk to a service")


def save(widget: QWidget, path: Path) -> None:
    widget.adjustSize()
    widget.show()
    QApplication.processEvents()
    if not widget.grab().save(str(path)):
        raise SystemExit(f"could not write {path}")
    widget.close()
    print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


def render(out: Path, icons: Path) -> None:
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    apply_look(app)
    language = Language()
    out.mkdir(parents=True, exist_ok=True)
    for lang in ("vi", "en"):
        language.switch(lang)
        status = StatusWindow()
        status.update_status(dict(STATUS, lang=lang), connected=True)
        save(status, out / f"companion-status-{lang}.png")
        for name, notice in NOTICES:
            save(NoticeWindow(notice, "7-10"), out / f"companion-notice-{name}-{lang}.png")
        # The same moment worded for the youngest and the oldest children.
        save(NoticeWindow(NOTICES[0][1], "0-6"), out / f"companion-notice-warn-age0-6-{lang}.png")
        save(NoticeWindow(NOTICES[6][1], "16-17"), out / f"companion-notice-web-block-age14-17-{lang}.png")
        ask = AskTimeWindow(NoService(), "11-13")
        ask.reason.setText("Con đang làm nốt bài tập" if lang == "vi" else "I am finishing my homework")
        save(ask, out / f"companion-ask-{lang}.png")
        save(PrivacyWindow(PRIVACY), out / f"companion-privacy-{lang}.png")
        save(ReportHarmfulWindow(NoService()), out / f"companion-report-{lang}.png")
        save(PairingWindow({"code": "7KQ2-M9XD", "expires_in_s": 540}), out / f"companion-pairing-{lang}.png")
    icons.mkdir(parents=True, exist_ok=True)
    for size in (16, 32, 48, 64, 128, 256):
        sprout_pixmap(size).save(str(icons / f"sprout-{size}.png"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--icons", type=Path, default=ROOT / "resources" / "icons", help="where the PNG icons go")
    args = parser.parse_args()
    render(args.out.resolve(), args.icons.resolve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
