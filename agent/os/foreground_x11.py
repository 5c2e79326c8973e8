"""Foreground app on X11: the active window (_NET_ACTIVE_WINDOW, or the input focus where no window manager
sets it) → its owner's pid (_NET_WM_PID, else the X-Resource extension, which knows every local client's pid)."""

from __future__ import annotations

import logging
from typing import Any

import psutil
from Xlib import X, Xatom, error
from Xlib.ext import res

from agent.os.foreground import Foreground
from agent.os.x11 import open_display, prop, window_title

log = logging.getLogger(__name__)
MAX_WALK = 16  # window tree depth we climb from the focused widget to its top-level window


class X11Foreground:
    def __init__(self, display_name: str | None = None) -> None:
        self._name = display_name
        self._disp: Any = None
        self._down = False  # log a lost display once, not every tick until it is back

    def _display(self) -> Any:
        if self._disp is None:
            self._disp = open_display(self._name)
        return self._disp

    def close(self) -> None:
        if self._disp is not None:
            self._disp.close()
            self._disp = None

    def current(self) -> Foreground | None:
        try:
            fg = self._current()
        except (error.ConnectionClosedError, error.DisplayError, OSError) as exc:
            # X restarted (log out / in): reconnect next tick rather than fail forever
            if not self._down:
                log.warning("X display %s lost (%s): foreground unknown until it is back", self._name, exc)
            self._down = True
            self._disp = None
            return None
        except error.XError as exc:
            log.debug("X error while reading the active window: %s", exc)
            return None
        if self._down:
            log.info("X display %s is back", self._name)
            self._down = False
        return fg

    def _current(self) -> Foreground | None:
        disp = self._display()
        root = disp.screen().root
        window = self._active_window(disp, root)
        if window is None:
            return None
        pid: int | None = None
        title: str | None = None
        wm_class: str | None = None
        node = window
        for _ in range(MAX_WALK):  # the focus is often an inner widget: climb to the window carrying the facts
            if pid is None:
                value = prop(disp, node, "_NET_WM_PID", Xatom.CARDINAL)
                pid = int(value[0]) if value is not None and len(value) else None
            if title is None:
                title = window_title(disp, node)
            if wm_class is None:
                wm_class = _class_of(prop(disp, node, "WM_CLASS", Xatom.STRING))
            if pid is not None and title is not None and wm_class is not None:
                break
            tree = node.query_tree()
            if tree.parent == 0 or tree.parent.id == root.id:
                break
            node = tree.parent
        if pid is None:
            pid = self._pid_from_xres(disp, window)
        if pid is None:
            return None
        try:
            name = psutil.Process(pid).name()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            name = wm_class or ""
        return Foreground(pid, name, title, wm_class, self._fullscreen(disp, root, node))

    @staticmethod
    def _fullscreen(disp: Any, root: Any, window: Any) -> bool:
        """_NET_WM_STATE_FULLSCREEN where a window manager sets it, else a window as large as its screen."""
        state = prop(disp, window, "_NET_WM_STATE", Xatom.ATOM)
        if state is not None and disp.intern_atom("_NET_WM_STATE_FULLSCREEN") in list(state):
            return True
        try:
            geo = window.get_geometry()
            screen = root.get_geometry()
        except error.XError:
            return False
        return geo.width >= screen.width and geo.height >= screen.height

    @staticmethod
    def _active_window(disp: Any, root: Any) -> Any | None:
        value = prop(disp, root, "_NET_ACTIVE_WINDOW", Xatom.WINDOW)
        if value is not None and len(value) and value[0]:
            return disp.create_resource_object("window", int(value[0]))
        focus = disp.get_input_focus().focus
        if isinstance(focus, int) or focus in (X.NONE, X.PointerRoot) or focus.id == root.id:
            return None  # nothing focused (desktop) or focus follows the pointer: unknown this tick
        return focus

    @staticmethod
    def _pid_from_xres(disp: Any, window: Any) -> int | None:
        if not disp.has_extension(res.extname):
            return None
        try:
            reply = disp.res_query_client_ids([{"client": window.id, "mask": res.LocalClientPIDMask}])
        except error.XError:
            return None
        for item in reply.ids:
            if item.spec.mask & res.LocalClientPIDMask and item.value:
                return int(item.value[0])
        return None


def _class_of(raw: Any) -> str | None:
    """WM_CLASS is 'instance\\0class\\0': the class part (the instance where there is no class)."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "replace")
    if not isinstance(raw, bytes) or not raw:
        return None
    parts = [p.decode("utf-8", "replace") for p in raw.split(b"\0") if p]
    return parts[1] if len(parts) > 1 else (parts[0] if parts else None)
