"""Foreground app on Windows: GetForegroundWindow → GetWindowThreadProcessId. Store (UWP) apps are drawn inside
ApplicationFrameHost.exe, so for those the real app is the child window owned by another process."""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from typing import Any, Protocol

from agent.os.foreground import Foreground
from agent.os.procname import process_name

FRAME_HOST = "applicationframehost.exe"


class User32Api(Protocol):
    def foreground_window(self) -> int: ...  # HWND, 0 when none (e.g. the secure desktop is showing)

    def window_pid(self, hwnd: int) -> int: ...

    def window_title(self, hwnd: int) -> str | None: ...

    def child_window_pids(self, hwnd: int) -> list[int]: ...


class CtypesUser32:
    """The real calls (only importable on Windows: ctypes.WinDLL exists there alone)."""

    def __init__(self) -> None:
        from ctypes import wintypes

        self._wt = wintypes
        self._u = ctypes.WinDLL("user32", use_last_error=True)  # type: ignore[attr-defined]
        self._u.GetForegroundWindow.restype = wintypes.HWND
        self._u.GetWindowThreadProcessId.argtypes = [wintypes.HWND, ctypes.POINTER(wintypes.DWORD)]
        self._u.GetWindowThreadProcessId.restype = wintypes.DWORD
        self._u.GetWindowTextLengthW.argtypes = [wintypes.HWND]
        self._u.GetWindowTextW.argtypes = [wintypes.HWND, wintypes.LPWSTR, ctypes.c_int]

    def foreground_window(self) -> int:
        return int(self._u.GetForegroundWindow() or 0)

    def window_pid(self, hwnd: int) -> int:
        pid = self._wt.DWORD(0)
        self._u.GetWindowThreadProcessId(hwnd, ctypes.byref(pid))
        return int(pid.value)

    def window_title(self, hwnd: int) -> str | None:
        length = self._u.GetWindowTextLengthW(hwnd)
        if length <= 0:
            return None
        buf = ctypes.create_unicode_buffer(length + 1)
        self._u.GetWindowTextW(hwnd, buf, length + 1)
        return buf.value or None

    def child_window_pids(self, hwnd: int) -> list[int]:
        pids: list[int] = []
        proc = ctypes.WINFUNCTYPE(self._wt.BOOL, self._wt.HWND, self._wt.LPARAM)  # type: ignore[attr-defined]

        def collect(child: Any, _lparam: Any) -> bool:
            pids.append(self.window_pid(child))
            return True

        self._u.EnumChildWindows(hwnd, proc(collect), 0)
        return pids


class WindowsForeground:
    def __init__(self, api: User32Api | None = None,
                 name_of: Callable[[int], str | None] = process_name) -> None:
        self._api = api if api is not None else CtypesUser32()
        self._name_of = name_of

    def current(self) -> Foreground | None:
        hwnd = self._api.foreground_window()
        if not hwnd:
            return None  # lock screen, UAC prompt or nothing focused: unknown this tick
        pid = self._api.window_pid(hwnd)
        if pid <= 0:
            return None
        name = self._name_of(pid)
        if name is None:
            return None
        if name.lower() == FRAME_HOST:
            for child_pid in self._api.child_window_pids(hwnd):
                child_name = self._name_of(child_pid) if child_pid != pid else None
                if child_name:
                    pid, name = child_pid, child_name
                    break
        return Foreground(pid, name, self._api.window_title(hwnd))
