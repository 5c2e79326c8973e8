"""Idle and lock state on Windows: GetLastInputInfo / GetTickCount, and the input desktop's name ("Winlogon"
while the lock screen shows). These calls answer for the calling session, so they run in the child's session
(the companion relays them to the service, which lives in session 0)."""

from __future__ import annotations

import ctypes
from typing import Protocol

TICK_WRAP = 2**32  # GetTickCount is a DWORD of milliseconds: it wraps every 49.7 days


class IdleApi(Protocol):
    def last_input_tick(self) -> int | None: ...

    def tick_count(self) -> int: ...

    def input_desktop_name(self) -> str | None: ...  # None when the input desktop cannot be opened


class CtypesIdleApi:
    def __init__(self) -> None:
        from ctypes import wintypes

        class LASTINPUTINFO(ctypes.Structure):
            _fields_ = [("cbSize", wintypes.UINT), ("dwTime", wintypes.DWORD)]

        self._info_type = LASTINPUTINFO
        self._wt = wintypes
        self._u = ctypes.WinDLL("user32", use_last_error=True)  # type: ignore[attr-defined]
        self._k = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
        self._k.GetTickCount.restype = wintypes.DWORD
        self._u.OpenInputDesktop.restype = wintypes.HANDLE

    def last_input_tick(self) -> int | None:
        info = self._info_type()
        info.cbSize = ctypes.sizeof(info)
        if not self._u.GetLastInputInfo(ctypes.byref(info)):
            return None
        return int(info.dwTime)

    def tick_count(self) -> int:
        return int(self._k.GetTickCount())

    def input_desktop_name(self) -> str | None:
        desktop_readobjects = 0x0001
        uoi_name = 2
        handle = self._u.OpenInputDesktop(0, False, desktop_readobjects)
        if not handle:
            return None  # access denied: the secure (lock / UAC) desktop is showing
        try:
            buf = ctypes.create_unicode_buffer(256)
            needed = self._wt.DWORD(0)
            if not self._u.GetUserObjectInformationW(handle, uoi_name, buf, ctypes.sizeof(buf), ctypes.byref(needed)):
                return None
            return buf.value
        finally:
            self._u.CloseDesktop(handle)


class WindowsIdle:
    def __init__(self, api: IdleApi | None = None) -> None:
        self._api = api if api is not None else CtypesIdleApi()

    def idle_seconds(self) -> float | None:
        last = self._api.last_input_tick()
        if last is None:
            return None
        return ((self._api.tick_count() - last) % TICK_WRAP) / 1000.0

    def locked(self) -> bool | None:
        name = self._api.input_desktop_name()
        if name is None:
            return True  # we run as the user: only the secure desktop refuses us
        return name.lower() != "default"
