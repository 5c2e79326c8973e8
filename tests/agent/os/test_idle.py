"""Idle and lock state: logind hints parsed from loginctl (FakeRunner), Windows and macOS backends with their
platform calls faked, and the combining rules."""

from __future__ import annotations

from collections.abc import Sequence

from agent.os.idle import CombinedIdle, NoIdle, make_idle_source
from agent.os.idle_logind import LogindIdle
from agent.os.idle_macos import MacIdle
from agent.os.idle_windows import WindowsIdle
from agent.os.runner import CommandResult


class FakeRunner:
    def __init__(self, outputs: list[CommandResult]) -> None:
        self.outputs = outputs
        self.calls: list[list[str]] = []

    def run(self, argv: Sequence[str], *, timeout: float = 5.0) -> CommandResult:
        self.calls.append(list(argv))
        return self.outputs.pop(0) if self.outputs else CommandResult(1, "", "no more answers")


class FakeMonotonic:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_logind_idle_since_hint_gives_seconds() -> None:
    runner = FakeRunner([CommandResult(0, "IdleHint=yes\nIdleSinceHintMonotonic=100000000\nLockedHint=no\n"
                                          "Active=yes\n")])
    idle = LogindIdle(runner, session_id="4", monotonic=FakeMonotonic(130.0))
    assert idle.idle_seconds() == 30.0
    assert idle.locked() is False and idle.lock_hint() is False
    assert runner.calls == [["loginctl", "show-session", "4", "-p", "IdleHint", "-p", "IdleSinceHintMonotonic",
                             "-p", "LockedHint", "-p", "Active"]]  # one call serves every question


def test_logind_locked_hint_is_only_a_claim() -> None:
    # The session's owner may set LockedHint: it is reported as a claim, never as a lock.
    runner = FakeRunner([CommandResult(0, "IdleHint=no\nIdleSinceHintMonotonic=0\nLockedHint=yes\nActive=yes\n")])
    idle = LogindIdle(runner, session_id="4", monotonic=FakeMonotonic(5.0))
    assert idle.idle_seconds() == 0.0 and idle.locked() is False and idle.lock_hint() is True


def test_logind_session_off_its_seat_is_locked() -> None:
    # Another session or the greeter is on screen: the child cannot fake that from inside the session.
    runner = FakeRunner([CommandResult(0, "IdleHint=no\nLockedHint=yes\nActive=no\n")])
    idle = LogindIdle(runner, session_id="4", monotonic=FakeMonotonic(5.0))
    assert idle.locked() is True


def test_logind_asks_at_most_every_refresh_interval() -> None:
    clock = FakeMonotonic(10.0)
    runner = FakeRunner([CommandResult(0, "IdleHint=no\nLockedHint=no\nActive=yes\n"),
                         CommandResult(0, "IdleHint=no\nLockedHint=yes\nActive=no\n")])
    idle = LogindIdle(runner, session_id="4", refresh_s=5.0, monotonic=clock)
    assert idle.locked() is False
    clock.now = 14.0
    assert idle.locked() is False and len(runner.calls) == 1
    clock.now = 15.5
    assert idle.locked() is True and len(runner.calls) == 2


def test_logind_finds_the_childs_session_by_uid() -> None:
    runner = FakeRunner([CommandResult(0, "c3\n"), CommandResult(0, "IdleHint=no\nLockedHint=no\nActive=yes\n")])
    idle = LogindIdle(runner, uid=1001, monotonic=FakeMonotonic(1.0))
    assert idle.locked() is False
    assert runner.calls[0] == ["loginctl", "show-user", "1001", "-p", "Display", "--value"]
    assert runner.calls[1][:3] == ["loginctl", "show-session", "c3"]


def test_logind_unavailable_is_unknown() -> None:
    idle = LogindIdle(FakeRunner([CommandResult(1, "", "Failed to connect to bus")]), session_id="1")
    assert idle.idle_seconds() is None and idle.locked() is None
    assert LogindIdle(FakeRunner([]), session_id=None).locked() is None  # no session to ask about


def test_logind_garbage_is_unknown_not_a_crash() -> None:
    runner = FakeRunner([CommandResult(0, "IdleHint=yes\nIdleSinceHintMonotonic=soon\n")])
    assert LogindIdle(runner, session_id="1").idle_seconds() is None


class Fixed:
    def __init__(self, idle: float | None, locked: bool | None) -> None:
        self._idle, self._locked = idle, locked

    def idle_seconds(self) -> float | None:
        return self._idle

    def locked(self) -> bool | None:
        return self._locked


def test_combined_takes_the_first_source_that_knows() -> None:
    both = CombinedIdle(Fixed(12.0, None), Fixed(None, True))
    assert both.idle_seconds() == 12.0 and both.locked() is True
    assert CombinedIdle(Fixed(None, None)).idle_seconds() is None


def test_no_idle_says_so_once(caplog) -> None:  # type: ignore[no-untyped-def]
    src = NoIdle("headless")
    with caplog.at_level("WARNING"):
        assert src.idle_seconds() is None and src.locked() is None
    assert sum("idle and lock state unknown" in r.getMessage() for r in caplog.records) == 1


def test_factory_without_display_uses_logind_only() -> None:
    src = make_idle_source("linux", {"XDG_SESSION_ID": "9"})
    assert isinstance(src, CombinedIdle) and [type(s).__name__ for s in src.sources] == ["LogindIdle"]


class FakeIdleApi:
    def __init__(self, last: int | None, tick: int, desktop: str | None = "Default") -> None:
        self.last, self.tick, self.desktop = last, tick, desktop

    def last_input_tick(self) -> int | None:
        return self.last

    def tick_count(self) -> int:
        return self.tick

    def input_desktop_name(self) -> str | None:
        return self.desktop


def test_windows_idle_from_last_input_info() -> None:
    assert WindowsIdle(FakeIdleApi(last=1_000, tick=61_000)).idle_seconds() == 60.0


def test_windows_idle_survives_the_49_day_tick_wrap() -> None:
    # input 1 s before GetTickCount wrapped to 0, asked 2 s after: 3 s idle, not -49 days
    assert WindowsIdle(FakeIdleApi(last=2**32 - 1_000, tick=2_000)).idle_seconds() == 3.0


def test_windows_lock_from_the_input_desktop() -> None:
    assert WindowsIdle(FakeIdleApi(0, 0, "Default")).locked() is False
    assert WindowsIdle(FakeIdleApi(0, 0, "Winlogon")).locked() is True
    assert WindowsIdle(FakeIdleApi(0, 0, None)).locked() is True
    assert WindowsIdle(FakeIdleApi(None, 0)).idle_seconds() is None


def test_macos_idle_and_lock_with_faked_quartz() -> None:
    mac = MacIdle(seconds_since_input=lambda: 42.5, session_dict=lambda: {"CGSSessionScreenIsLocked": 1})
    assert mac.idle_seconds() == 42.5 and mac.locked() is True
    unlocked = MacIdle(seconds_since_input=lambda: 0.1, session_dict=lambda: {"kCGSSessionOnConsoleKey": True})
    assert unlocked.locked() is False


def test_macos_without_pyobjc_lock_is_unknown() -> None:
    def missing() -> dict:
        raise ImportError("No module named 'Quartz'")

    assert MacIdle(seconds_since_input=lambda: 1.0, session_dict=missing).locked() is None
