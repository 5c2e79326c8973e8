"""Screenshots of every parent-console screen in vi and en → docs/screenshots/console-<screen>-<lang>.png.

Run under Xvfb (real X server, real fonts):
    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python tools/screenshots_console.py
A real agent (`sprout-agent run --user-mode`, loopback only) is started and paired, so the overview shows a live
device and a real time request; 30 days of past summaries are added to the console's store for the reports page.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
OUT = ROOT / "docs" / "screenshots"
ENV = dict(os.environ, PYTHONPATH=str(ROOT), LANG="en_US.UTF-8")


def start_agent(state: Path) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen([str(BIN / "sprout-agent"), "run", "--user-mode", "--state", str(state), "--link",
                             "127.0.0.1:0", "--lang", "vi"], env=ENV, cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    addr = state / "link.address"
    deadline = time.monotonic() + 30
    while not (addr.exists() and addr.read_text().strip()):
        if proc.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("the agent did not start")
        time.sleep(0.1)
    return proc, addr.read_text().strip()


def main() -> int:
    from PySide6.QtCore import QThreadPool
    from PySide6.QtWidgets import QApplication

    from agent.companion.ipc_client import IpcClient
    from app.gui import i18n
    from app.gui.app import make_app
    from app.gui.main_window import MainWindow
    from app.gui.notify import NoticeWindow, Notifier
    from app.gui.session import Session
    from app.gui.wizard import FirstRunWizard

    app = make_app()
    OUT.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="sprout-shots-"))
    proc, host = start_agent(tmp / "agent")
    try:
        code = re.search(r"\b([0-9A-Z]{4}-[0-9A-Z]{4})\b", subprocess.run(
            [str(BIN / "sprout-agent"), "pair", "--state", str(tmp / "agent")], capture_output=True, text=True,
            env=ENV, cwd=ROOT).stdout).group(1)
        session = Session(tmp / "console", use_keyring=False, name="Mẹ")
        session.store.set_pin("2468")
        kid = session.add_child("Minh Anh", dt.date.today().year - 12, True)
        dev = session.pair(host, code, kid.id)
        session.push_policy(kid.id, session.policy(kid.id))
        session.store.rename_device(dev["device_id"], "Máy của Minh Anh")
        client = IpcClient(tmp / "agent" / "companion.sock")
        client.submit_request(30, "Con cần làm nốt bài tập nhóm", "screen", reconnect_for=10)
        client.close()
        session.fetch_all()
        # history for the reports page, after the real fetch (storing moves the device's report cursor)
        today = dt.date.today()
        past = [{"seq": 100000 + n, "kind": "daily_summary", "at": 0, "payload": {
            "day": (today - dt.timedelta(days=n)).isoformat(), "screen_s": 60 * (70 + (n * 37) % 80),
            "games_s": 60 * (20 + (n * 23) % 60), "per_game_s": {"minecraft": 60 * (15 + n % 30), "roblox": 600},
            "per_app_s": {"microsoft-word": 1800, "zalo": 900 + 60 * (n % 10), "chrome": 2400},
            "blocked": {"social": n % 3, "games": n % 2}}} for n in range(1, 31)]
        past.append({"seq": 100031, "kind": "alert", "at": time.time(),
                     "payload": {"kind": "timezone_change", "day": today.isoformat(), "timezone": "UTC"}})
        past.append({"seq": 100032, "kind": "alert", "at": time.time(),
                     "payload": {"kind": "child_account_missing", "day": today.isoformat(),
                                 "how": "sudo sprout-agent set-child NAME"}})
        session.family.store_items(dev["device_id"], past)

        def settle(ms: int = 400) -> None:
            end = time.monotonic() + ms / 1000
            while time.monotonic() < end:
                app.processEvents()
                time.sleep(0.02)

        def shot(widget, name: str, lang: str) -> None:
            settle()
            widget.grab().save(str(OUT / f"console-{name}-{lang}.png"))
            print(OUT / f"console-{name}-{lang}.png")

        for lang in ("vi", "en"):
            i18n.switch(lang)
            # the wizard on a fresh console folder, so each page looks as a new parent sees it
            fresh = Session(tmp / f"fresh-{lang}", use_keyring=False)
            wiz = FirstRunWizard(fresh, lan_search=False)
            wiz.resize(720, 520)
            wiz.show()
            shot(wiz, "wizard-language", lang)
            wiz.next()
            wiz.pages[1].pin.setText("2468")
            wiz.pages[1].again.setText("2468")
            shot(wiz, "wizard-pin", lang)
            wiz.next()
            wiz.pages[2].name.setText("Minh Anh")
            shot(wiz, "wizard-child", lang)
            wiz.next()
            wiz.pages[3].found.setEditText(host)
            wiz.pages[3].code.setText("ABCD-1234")
            shot(wiz, "wizard-pair", lang)
            wiz.close()
            fresh.close()

            win = MainWindow(session, notifier=Notifier(tray=False))
            win.resize(1180, 760)
            win.show()
            win.overview.refresh()
            QThreadPool.globalInstance().waitForDone(10_000)
            settle(600)
            shot(win, "overview", lang)
            win.tabs.setCurrentIndex(1)
            for i, name in enumerate(("rules-screen", "rules-games", "rules-apps", "rules-web", "rules-privacy")):
                win.rules.tabs.setCurrentIndex(i)
                shot(win, name, lang)
            win.rules.tabs.setCurrentIndex(2)
            win.rules.blocked.setPlainText("zalo\nTikTok.exe")
            win.rules.push()
            shot(win, "rules-invalid", lang)
            win.tabs.setCurrentIndex(2)
            win.reports.period.setCurrentIndex(2)
            shot(win, "reports", lang)
            win.tabs.setCurrentIndex(3)
            shot(win, "settings", lang)
            notice = NoticeWindow(win.notifier.request_text({"payload": {"minutes": 30}}, "Minh Anh"))
            notice.show()
            shot(notice, "notice", lang)
            notice.close()
            win.hide()
            win.deleteLater()
            settle(100)
        QThreadPool.globalInstance().waitForDone(10_000)
        session.close()
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(15)
    QApplication.instance().quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
