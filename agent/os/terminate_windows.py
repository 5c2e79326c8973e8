"""Closing a program on Windows: WM_CLOSE to its top-level windows (the polite ask, like SIGTERM), then
OpenProcess(PROCESS_TERMINATE) + TerminateProcess. The owner is compared as DOMAIN\\user, case-insensitively."""

from __future__ import annotations

import ctypes
from typing import Any, Protocol

import psutil

from agent.os.terminate import ProcessGone

PROCESS_TERMINATE = 0x0001
SYNCHRONIZE = 0x00100000
WM_CLOSE = 0x0010
EXIT_CODE = 1


class Win32ProcessApi(Protocol):
    def top_level_windows(self, pid: int) -> list[int]: ...

    def post_close(self, hwnd: int) -> bool: ...

    def terminate(self, pid: int, exit_code: int) -> bool: ...


class CtypesProcessApi:
    def __init__(self) -> None:
        from ctypes import wintypes

        self._wt = wintypes
        self._u = ctypes.WinDLL("user32", use_last_error=True)  # type: ignore[attr-defined]
        self._k = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
        self._k.OpenProcess.restype = wintypes.HANDLE
        self._k.OpenProcess.argtypes = [wintypes.DWORD, wintypes.BOOL, wintypes.DWORD]
        self._k.TerminateProcess.argtypes = [wintypes.HANDLE, wintypes.UINT]

    def top_level_windows(self, pid: int) -> list[int]:
        found: list[int] = []
        proc = ctypes.WINFUNCTYPE(self._wt.BOOL, self._wt.HWND, self._wt.LPARAM)  # type: ignore[attr-defined]

        def collect(hwnd: Any, _lparam: Any) -> bool:
            owner = self._wt.DWORD(0)
            self._u.GetWindowThreadProcessId(hwnd, ctypes.byref(owner))
            if owner.value == pid and self._u.IsWindowVisible(hwnd):
                found.append(int(hwnd))
            return True

        self._u.EnumWindows(proc(collect), 0)
        return found

    def post_close(self, hwnd: int) -> bool:
        return bool(self._u.PostMessageW(hwnd, WM_CLOSE, 0, 0))

    def terminate(self, pid: int, exit_code: int) -> bool:
        handle = self._k.OpenProcess(PROCESS_TERMINATE | SYNCHRONIZE, False, pid)
        if not handle:
            return False
        try:
            return bool(self._k.TerminateProcess(handle, exit_code))
        finally:
            self._k.CloseHandle(handle)


class WindowsHandle:
    def __init__(self, pid: int, api: Win32ProcessApi | None = None, proc: Any | None = None) -> None:
        self.pid = pid
        try:
            self._p = proc if proc is not None else psutil.Process(pid)
        except psutil.NoSuchProcess:
            raise ProcessGone(pid) from None
        self._api = api if api is not None else CtypesProcessApi()

    def create_time(self) -> float:
        return float(self._p.create_time())

    def owned_by(self, allowed: int | str) -> bool:
        try:
            owner = self._p.username()
        except psutil.AccessDenied:
            return False  # we cannot even see who owns it: not ours to close
        return isinstance(allowed, str) and owner.lower() == allowed.lower()

    def owner_text(self) -> str:
        try:
            return str(self._p.username())
        except psutil.AccessDenied:
            return "an account the agent cannot see"

    def ask_to_close(self) -> None:
        for hwnd in self._api.top_level_windows(self.pid):
            self._api.post_close(hwnd)
        # a program without windows gets no polite ask on Windows; the grace period still applies

    def force_kill(self) -> None:
        if not self._api.terminate(self.pid, EXIT_CODE) and self.alive():
            raise psutil.AccessDenied(self.pid)

    def alive(self) -> bool:
        try:
            return bool(self._p.is_running())
        except psutil.NoSuchProcess:
            return False
