"""Shared X11 connection helpers (python-xlib): open a display and read window properties safely."""

from __future__ import annotations

from typing import Any

from Xlib import X, Xatom, display, error


def open_display(name: str | None = None) -> display.Display:
    return display.Display(name)


def prop(disp: display.Display, window: Any, atom_name: str, kind: int = X.AnyPropertyType) -> Any | None:
    """A window property's value, or None if unset or the window is gone (windows close between two calls)."""
    try:
        got = window.get_full_property(disp.intern_atom(atom_name), kind)
    except (error.BadWindow, error.BadMatch, error.BadValue):
        return None
    return None if got is None else got.value


def window_title(disp: display.Display, window: Any) -> str | None:
    raw = prop(disp, window, "_NET_WM_NAME", disp.intern_atom("UTF8_STRING"))
    if raw is None:
        raw = prop(disp, window, "WM_NAME", Xatom.STRING)
    if raw is None:
        return None
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
