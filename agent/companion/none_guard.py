"""Keep PySide6 6.12.0 from aborting the companion on Python 3.11.

Measured here: every call of a Qt method that returns nothing (QLabel.setText, QPainter.drawLine, ...) drops one
reference to None that it never took (the abi3 wheel behaves as if None were immortal, as it is only from Python
3.12). None starts with a few thousand references, so after some thousand calls CPython aborts with
"Fatal Python error: none_dealloc". A companion runs all day, so we hold a reserve of references to None and a
daemon thread tops it up long before it could run out. Cost: 8 bytes per leaked reference (about 100 KB an hour
for the companion). Inactive where None is immortal (Python >= 3.12) or where the bug is not detected.
Remove when PySide6 is fixed (tests/test_companion_none_guard.py says when the bug is gone).
"""

from __future__ import annotations

import sys
import threading

FLOOR = 300_000  # top up below this: more than a tight loop of void Qt calls can drop between two checks
CHUNK = 500_000  # references added per top-up (4 MB of list slots)
CHECK_EVERY_S = 0.1

_lock = threading.Lock()
_reserve: list[list[None]] = []
_thread: threading.Thread | None = None


def leaks_none() -> bool:
    """True if calling a void Qt method really drops a reference to None on this interpreter."""
    if sys.version_info >= (3, 12):
        return False
    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(200):
        probe.setObjectName("probe")
    return before - sys.getrefcount(None) >= 150


def top_up() -> int:
    """Add references until None has at least FLOOR of them; return how many were added."""
    added = 0
    with _lock:
        while sys.getrefcount(None) < FLOOR:
            _reserve.append([None] * CHUNK)
            added += CHUNK
    return added


def _watch() -> None:
    stop = threading.Event()
    while not stop.wait(CHECK_EVERY_S):
        top_up()


def install() -> bool:
    """Start the guard once per process if the bug is present. Returns whether it is active."""
    global _thread
    if _thread is not None:
        return True
    if not leaks_none():
        return False
    top_up()
    _thread = threading.Thread(target=_watch, name="pyside-none-guard", daemon=True)
    _thread.start()
    return True


def active() -> bool:
    return _thread is not None
