"""Foreground app on macOS: NSWorkspace.frontmostApplication (pyobjc, imported only on a Mac). Window titles need
the Screen Recording permission on recent macOS, so the title is always None here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from agent.os.foreground import Foreground
from agent.os.procname import process_name


def _shared_workspace() -> Any:
    from AppKit import NSWorkspace  # pyobjc-framework-Cocoa: only installed in the macOS build

    return NSWorkspace.sharedWorkspace()


class MacForeground:
    def __init__(self, workspace: Any | None = None,
                 name_of: Callable[[int], str | None] = process_name) -> None:
        self._workspace = workspace if workspace is not None else _shared_workspace()
        self._name_of = name_of

    def current(self) -> Foreground | None:
        app = self._workspace.frontmostApplication()
        if app is None:
            return None
        pid = int(app.processIdentifier())
        if pid <= 0:
            return None
        # the executable's name is what the catalog knows ("RobloxPlayer"); the localized app name is the fallback
        name = self._name_of(pid) or str(app.localizedName() or "")
        return Foreground(pid, name, None) if name else None
