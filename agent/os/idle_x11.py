"""Input idle time on X11 from the MIT-SCREEN-SAVER extension (what xprintidle reads)."""

from __future__ import annotations

import logging
from typing import Any

from Xlib import error
from Xlib.ext import screensaver

from agent.os.x11 import open_display

log = logging.getLogger(__name__)


class X11Idle:
    def __init__(self, display_name: str | None = None) -> None:
        self._name = display_name
        self._disp: Any = None
        self._down = False

    def _display(self) -> Any:
        if self._disp is None:
            disp = open_display(self._name)
            if not disp.has_extension(screensaver.extname):
                disp.close()
                raise RuntimeError(f"X display {self._name} lacks the {screensaver.extname} extension")
            self._disp = disp
        return self._disp

    def close(self) -> None:
        if self._disp is not None:
            self._disp.close()
            self._disp = None

    def idle_seconds(self) -> float | None:
        try:
            disp = self._display()
            info = disp.screen().root.screensaver_query_info()
        except (error.ConnectionClosedError, error.DisplayError, OSError, RuntimeError) as exc:
            if not self._down:
                log.warning("X idle time unavailable (%s): will retry each tick", exc)
            self._down = True
            self._disp = None
            return None
        self._down = False
        return info.idle / 1000.0

    def locked(self) -> bool | None:
        return None  # X11 has no lock concept; logind's LockedHint answers this
