"""Session control: the exact command lines per OS (recorded by FakeRunner), fallbacks, and the real runner."""

from __future__ import annotations

import sys
from collections.abc import Sequence

import pytest

from agent.os.runner import CommandResult, SubprocessRunner
from agent.os.session import LinuxSession, MacSession, make_session_control
from agent.os.session_windows import WindowsSession


class FakeRunner:
    """Records each command line; answers from a table of argv prefixes (default: success)."""

    def __init__(self, answers: dict[tuple[str, ...], CommandResult] | None = None) -> None:
        self.calls: list[list[str]] = []
        self.answers = answers or {}

    def run(self, argv: Sequence[str], *, timeout: float = 5.0) -> CommandResult:
        self.calls.append(list(argv))
        for prefix, result in self.answers.items():
            if tuple(argv[: len(prefix)]) == prefix:
                return result
        return CommandResult(0)


def test_linux_lock_of_a_named_session() -> None:
    runner = FakeRunner()
    result = LinuxSession(runner, session_id="c2").lock()
    assert runner.calls == [["loginctl", "lock-session", "c2"]]
    assert result.ok and result.action == "lock" and result.detail == "loginctl lock-session c2"


def test_linux_logout_terminates_the_session() -> None:
    runner = FakeRunner()
    result = LinuxSession(runner, session_id="7").logout()
    assert runner.calls == [["loginctl", "terminate-session", "7"]] and result.ok


def test_service_finds_the_childs_graphical_session_by_uid() -> None:
    runner = FakeRunner({("loginctl", "show-user"): CommandResult(0, "5\n")})
    result = LinuxSession(runner, uid=1001).lock()
    assert runner.calls == [["loginctl", "show-user", "1001", "-p", "Display", "--value"],
                            ["loginctl", "lock-session", "5"]]
    assert result.ok


def test_service_logout_without_a_graphical_session_ends_the_users_sessions() -> None:
    runner = FakeRunner({("loginctl", "show-user"): CommandResult(1, "", "User 1001 is not logged in.")})
    result = LinuxSession(runner, uid=1001).logout()
    assert runner.calls[-1] == ["loginctl", "terminate-user", "1001"] and result.ok


def test_user_mode_lock_falls_back_to_the_desktops_locker() -> None:
    runner = FakeRunner({("loginctl",): CommandResult(1, "", "Failed to connect to bus"),
                         ("xdg-screensaver",): CommandResult(127, "", "xdg-screensaver: command not found")})
    result = LinuxSession(runner).lock()
    assert [c[0] for c in runner.calls] == ["loginctl", "xdg-screensaver", "dm-tool"]
    assert result.ok and result.detail == "dm-tool lock"


def test_all_lockers_failing_is_reported_with_each_reason() -> None:
    runner = FakeRunner({(): CommandResult(1, "", "nope")})
    result = LinuxSession(runner).lock()
    assert not result.ok and len(result.tried) == 3
    assert "loginctl: nope" in result.detail and "dm-tool: nope" in result.detail


def test_user_mode_logout_without_session_says_why() -> None:
    result = LinuxSession(FakeRunner()).logout()
    assert not result.ok and "XDG_SESSION_ID" in result.detail


def test_macos_lock_and_logout_run_in_the_childs_gui_session() -> None:
    runner = FakeRunner()
    session = MacSession(runner, uid=501)
    assert session.lock().ok and session.logout().ok
    assert runner.calls[0] == ["launchctl", "asuser", "501", "pmset", "displaysleepnow"]
    assert runner.calls[1][:5] == ["launchctl", "asuser", "501", "osascript", "-e"]
    assert "aevtrlgo" in runner.calls[1][5] and "loginwindow" in runner.calls[1][5]


def test_macos_user_mode_runs_directly() -> None:
    runner = FakeRunner()
    MacSession(runner).lock()
    assert runner.calls == [["pmset", "displaysleepnow"]]


class FakeWtsApi:
    def __init__(self, ok: bool = True) -> None:
        self.ok = ok
        self.calls: list[str] = []

    def lock_workstation(self) -> bool:
        self.calls.append("LockWorkStation")
        return self.ok

    def exit_windows_logoff(self) -> bool:
        self.calls.append("ExitWindowsEx")
        return self.ok

    def wts_disconnect(self, session_id: int) -> bool:
        self.calls.append(f"WTSDisconnectSession:{session_id}")
        return self.ok

    def wts_logoff(self, session_id: int) -> bool:
        self.calls.append(f"WTSLogoffSession:{session_id}")
        return self.ok

    def last_error(self) -> int:
        return 5  # ERROR_ACCESS_DENIED


def test_windows_inside_the_session_uses_lockworkstation_and_exitwindowsex() -> None:
    api = FakeWtsApi()
    s = WindowsSession(api)
    assert s.lock().ok and s.logout().ok
    assert api.calls == ["LockWorkStation", "ExitWindowsEx"]


def test_windows_service_acts_on_the_childs_session_through_wts() -> None:
    api = FakeWtsApi()
    s = WindowsSession(api, session_id=3)
    assert s.lock().detail == "WTSDisconnectSession(3)"
    assert s.logout().detail == "WTSLogoffSession(3)"
    assert api.calls == ["WTSDisconnectSession:3", "WTSLogoffSession:3"]


def test_windows_failure_carries_the_error_code() -> None:
    result = WindowsSession(FakeWtsApi(ok=False)).lock()
    assert not result.ok and "Windows error 5" in result.detail


def test_factory_per_platform() -> None:
    assert isinstance(make_session_control("linux", runner=FakeRunner(), session_id="1"), LinuxSession)
    assert isinstance(make_session_control("darwin", runner=FakeRunner(), uid=501), MacSession)


# -- the real runner: timeouts and missing programs are results, not exceptions ----------------------------------

@pytest.mark.skipif(sys.platform == "win32", reason="POSIX commands")
def test_subprocess_runner_reports_exit_codes_and_output() -> None:
    runner = SubprocessRunner()
    assert runner.run(["sh", "-c", "echo hi; exit 3"]) == CommandResult(3, "hi\n", "")
    assert runner.run(["no-such-program-sprout"]).returncode == 127
    slow = runner.run(["sleep", "5"], timeout=0.2)
    assert slow.returncode == 124 and "no answer" in slow.stderr


@pytest.mark.skipif(sys.platform != "linux", reason="Linux")
def test_real_loginctl_failure_is_a_clear_result_here() -> None:
    """This machine has no logind; the real call must come back as a failed result the service can record."""
    result = LinuxSession(SubprocessRunner(), session_id="999999").lock()
    assert result.action == "lock" and isinstance(result.ok, bool) and result.detail
