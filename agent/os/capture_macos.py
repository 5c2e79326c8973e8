"""Camera and microphone on macOS, from the child's TCC database (the record behind System Settings → Privacy &
Security → Camera/Microphone): every app that asked for kTCCServiceCamera or kTCCServiceMicrophone has a row in
its `access` table (client = bundle id or path, auth_value 2 = allowed, 0 = denied).

macOS has no public API naming the app using the camera right now, so the reminder comes when an app first asks
(a new row), which is the moment the child is deciding. The service needs Full Disk Access to read the database
(installers/macos); opened read-only, never written.
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from agent.os.capture import CaptureUse

SERVICES = {"kTCCServiceCamera": "camera", "kTCCServiceMicrophone": "microphone"}


def tcc_db_path(home: Path) -> Path:
    return home / "Library" / "Application Support" / "com.apple.TCC" / "TCC.db"


def app_name(client: str) -> str:
    """"com.hnc.Discord" → "Discord"; "us.zoom.xos" → "zoom"; "/Applications/Foo.app/Contents/MacOS/Foo" → "Foo"."""
    if client.startswith("/"):
        return Path(client).name
    parts = [p for p in client.split(".") if p and p.lower() not in _GENERIC]
    return parts[-1] if parts else client


_GENERIC = {"com", "org", "net", "us", "io", "app", "xos", "mac", "macos", "osx", "desktop", "client"}


class TccCapture:
    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path

    def in_use(self) -> list[CaptureUse]:
        if not self.db_path.exists():
            return []
        uri = f"file:{self.db_path}?mode=ro"
        with contextlib.closing(sqlite3.connect(uri, uri=True, timeout=1.0)) as db:
            marks = ",".join("?" * len(SERVICES))
            rows = db.execute(f"SELECT service, client FROM access WHERE service IN ({marks}) ORDER BY rowid",
                              tuple(SERVICES)).fetchall()
        found: dict[CaptureUse, None] = {}
        for service, client in rows:
            found[CaptureUse(app_name(str(client)), SERVICES[service])] = None
        return list(found)
