"""Lock or log out on Windows. Inside the child's session: LockWorkStation / ExitWindowsEx(EWX_LOGOFF). From the
service (session 0, where those calls do nothing): WTSDisconnectSession (back to the sign-in screen, programs keep
running, like a lock) / WTSLogoffSession."""

from __future__ import annotations

import ctypes
from typing import Protocol

from agent.os.session import SessionResult

EWX_LOGOFF = 0x0
EWX_FORCEIFHUNG = 0x10
SHTDN_REASON_FLAG_PLANNED = 0x80000000
WTS_CURRENT_SERVER_HANDLE = 0


class WtsApi(Protocol):
    def lock_workstation(self) -> bool: ...

    def exit_windows_logoff(self) -> bool: ...

    def wts_disconnect(self, session_id: int) -> bool: ...

    def wts_logoff(self, session_id: int) -> bool: ...

    def last_error(self) -> int: ...


class CtypesWtsApi:
    def __init__(self) -> None:
        self._u = ctypes.WinDLL("user32", use_last_error=True)  # type: ignore[attr-defined]
        self._w = ctypes.WinDLL("wtsapi32", use_last_error=True)  # type: ignore[attr-defined]

    def lock_workstation(self) -> bool:
        return bool(self._u.LockWorkStation())

    def exit_windows_logoff(self) -> bool:
        return bool(self._u.ExitWindowsEx(EWX_LOGOFF | EWX_FORCEIFHUNG, SHTDN_REASON_FLAG_PLANNED))

    def wts_disconnect(self, session_id: int) -> bool:
        return bool(self._w.WTSDisconnectSession(WTS_CURRENT_SERVER_HANDLE, session_id, False))

    def wts_logoff(self, session_id: int) -> bool:
        return bool(self._w.WTSLogoffSession(WTS_CURRENT_SERVER_HANDLE, session_id, False))

    def last_error(self) -> int:
        return int(ctypes.get_last_error())  # type: ignore[attr-defined]


class WindowsSession:
    """`session_id` set = we are the service acting on the child's session; None = we are inside it."""

    def __init__(self, api: WtsApi | None = None, *, session_id: int | None = None) -> None:
        self._api = api if api is not None else CtypesWtsApi()
        self._session = session_id

    def _result(self, action: str, call: str, ok: bool) -> SessionResult:
        detail = call if ok else f"{call} failed: Windows error {self._api.last_error()}"
        return SessionResult(action, ok, detail, (call,))

    def lock(self) -> SessionResult:
        if self._session is None:
            return self._result("lock", "LockWorkStation()", self._api.lock_workstation())
        call = f"WTSDisconnectSession({self._session})"
        return self._result("lock", call, self._api.wts_disconnect(self._session))

    def logout(self) -> SessionResult:
        if self._session is None:
            return self._result("logout", "ExitWindowsEx(EWX_LOGOFF)", self._api.exit_windows_logoff())
        call = f"WTSLogoffSession({self._session})"
        return self._result("logout", call, self._api.wts_logoff(self._session))
