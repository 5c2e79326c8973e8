"""Windows and macOS adapters with the platform calls faked (Fake…): foreground app, closing a process, and the
factories' choices. The real ctypes/pyobjc code paths these fakes stand in for cannot run on Linux."""

from __future__ import annotations

import pytest

from agent.os.foreground import Foreground, UnknownForeground, make_foreground_source
from agent.os.foreground_macos import MacForeground
from agent.os.foreground_windows import WindowsForeground
from agent.os.terminate import close_process
from agent.os.terminate_windows import WindowsHandle


class FakeUser32:
    def __init__(self, hwnd: int, owners: dict[int, int], titles: dict[int, str], children: list[int] | None = None):
        self.hwnd, self.owners, self.titles, self.children = hwnd, owners, titles, children or []

    def foreground_window(self) -> int:
        return self.hwnd

    def window_pid(self, hwnd: int) -> int:
        return self.owners.get(hwnd, 0)

    def window_title(self, hwnd: int) -> str | None:
        return self.titles.get(hwnd)

    def child_window_pids(self, hwnd: int) -> list[int]:
        return self.children


NAMES = {100: "RobloxPlayerBeta.exe", 200: "ApplicationFrameHost.exe", 300: "Minecraft.Windows.exe"}


def test_windows_foreground_window_pid_and_title() -> None:
    api = FakeUser32(0x10, {0x10: 100}, {0x10: "Roblox"})
    assert WindowsForeground(api, name_of=NAMES.get).current() == Foreground(100, "RobloxPlayerBeta.exe", "Roblox")


def test_windows_store_app_is_found_behind_application_frame_host() -> None:
    api = FakeUser32(0x20, {0x20: 200}, {0x20: "Minecraft"}, children=[200, 300])
    fg = WindowsForeground(api, name_of=NAMES.get).current()
    assert fg == Foreground(300, "Minecraft.Windows.exe", "Minecraft")


@pytest.mark.parametrize("hwnd,owners", [(0, {}), (0x30, {0x30: 0}), (0x40, {0x40: 999})])
def test_windows_nothing_or_vanished_is_unknown(hwnd: int, owners: dict[int, int]) -> None:
    assert WindowsForeground(FakeUser32(hwnd, owners, {}), name_of=NAMES.get).current() is None


class FakeRunningApp:
    def __init__(self, pid: int, name: str) -> None:
        self._pid, self._name = pid, name

    def processIdentifier(self) -> int:
        return self._pid

    def localizedName(self) -> str:
        return self._name


class FakeWorkspace:
    def __init__(self, app: FakeRunningApp | None) -> None:
        self.app = app

    def frontmostApplication(self) -> FakeRunningApp | None:
        return self.app


def test_macos_frontmost_application() -> None:
    fg = MacForeground(FakeWorkspace(FakeRunningApp(501, "Roblox")), name_of={501: "RobloxPlayer"}.get).current()
    assert fg == Foreground(501, "RobloxPlayer", None)
    fallback = MacForeground(FakeWorkspace(FakeRunningApp(502, "Zalo")), name_of=lambda pid: None).current()
    assert fallback == Foreground(502, "Zalo", None)
    assert MacForeground(FakeWorkspace(None), name_of=NAMES.get).current() is None


def test_factory_on_windows_and_macos_without_their_libraries_falls_back() -> None:
    # ctypes.WinDLL and AppKit do not exist here: the factory must degrade to "unknown", not raise
    assert isinstance(make_foreground_source("win32", {}), UnknownForeground)
    assert isinstance(make_foreground_source("darwin", {}), UnknownForeground)
    assert isinstance(make_foreground_source("linux", {}), UnknownForeground)


# -- Windows close: WM_CLOSE to the windows, then TerminateProcess --------------------------------------------------

class FakeWin32Process:
    def __init__(self, windows: list[int], closes_on_wm_close: bool) -> None:
        self.windows = windows
        self.closes = closes_on_wm_close
        self.running = True
        self.calls: list[str] = []

    def top_level_windows(self, pid: int) -> list[int]:
        return self.windows

    def post_close(self, hwnd: int) -> bool:
        self.calls.append(f"WM_CLOSE:{hwnd:#x}")
        if self.closes:
            self.running = False
        return True

    def terminate(self, pid: int, exit_code: int) -> bool:
        self.calls.append(f"TerminateProcess:{pid}:{exit_code}")
        self.running = False
        return True


class FakePsutilProc:
    def __init__(self, api: FakeWin32Process, user: str) -> None:
        self.api, self.user = api, user

    def create_time(self) -> float:
        return 1.0

    def username(self) -> str:
        return self.user

    def is_running(self) -> bool:
        return self.api.running


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, s: float) -> None:
        self.now += s


def _close_on_windows(api: FakeWin32Process, owner: str, allowed: str, grace: float = 3.0):  # type: ignore[no-untyped-def]
    clock = FakeClock()
    handle = WindowsHandle(7777, api=api, proc=FakePsutilProc(api, owner))
    return close_process(7777, allowed_uid=allowed, grace_s=grace, clock=clock, sleep=clock.sleep,
                         opener=lambda pid: handle)


def test_windows_game_closes_on_wm_close() -> None:
    api = FakeWin32Process([0xA1, 0xA2], closes_on_wm_close=True)
    result = _close_on_windows(api, "PC-AN\\An", "pc-an\\an")
    assert result.outcome == "closed" and api.calls == ["WM_CLOSE:0xa1", "WM_CLOSE:0xa2"]


def test_windows_stubborn_game_gets_terminateprocess_after_grace() -> None:
    api = FakeWin32Process([0xB1], closes_on_wm_close=False)
    result = _close_on_windows(api, "PC-AN\\An", "PC-AN\\An", grace=3.0)
    assert result.outcome == "killed" and api.calls == ["WM_CLOSE:0xb1", "TerminateProcess:7777:1"]
    assert result.elapsed_s == pytest.approx(3.0, abs=0.06)


def test_windows_other_users_process_is_refused() -> None:
    api = FakeWin32Process([0xC1], closes_on_wm_close=True)
    result = _close_on_windows(api, "NT AUTHORITY\\SYSTEM", "PC-AN\\An")
    assert result.outcome == "refused" and api.calls == []
    uid_instead = _close_on_windows(api, "PC-AN\\An", 1000)  # type: ignore[arg-type]
    assert uid_instead.outcome == "refused"
