"""Idle and lock state on macOS: CGEventSourceSecondsSinceLastEventType (CoreGraphics through ctypes) and the
session dictionary's CGSSessionScreenIsLocked (Quartz from pyobjc, imported only on a Mac)."""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Callable
from typing import Any

HID_SYSTEM_STATE = 1  # kCGEventSourceStateHIDSystemState
ANY_INPUT_EVENT = 0xFFFFFFFF  # kCGAnyInputEventType


def _core_graphics_idle() -> Callable[[], float]:
    path = ctypes.util.find_library("CoreGraphics") or ctypes.util.find_library("ApplicationServices")
    if not path:
        raise OSError("CoreGraphics framework not found")
    cg = ctypes.CDLL(path)
    fn = cg.CGEventSourceSecondsSinceLastEventType
    fn.argtypes = [ctypes.c_int32, ctypes.c_uint32]
    fn.restype = ctypes.c_double
    return lambda: float(fn(HID_SYSTEM_STATE, ANY_INPUT_EVENT))


def _session_dict() -> Any:
    from Quartz import CGSessionCopyCurrentDictionary  # pyobjc-framework-Quartz, macOS build only

    return CGSessionCopyCurrentDictionary()


class MacIdle:
    def __init__(self, seconds_since_input: Callable[[], float] | None = None,
                 session_dict: Callable[[], Any] | None = None) -> None:
        self._seconds = seconds_since_input if seconds_since_input is not None else _core_graphics_idle()
        self._session = session_dict if session_dict is not None else _session_dict

    def idle_seconds(self) -> float | None:
        value = self._seconds()
        return value if value >= 0 else None

    def locked(self) -> bool | None:
        try:
            info = self._session()
        except ImportError:
            return None
        if info is None:
            return None
        return bool(info.get("CGSSessionScreenIsLocked", False))
