"""A child with firmware access moves the wall clock 24 h ahead and gets the agent restarted, hoping for a fresh
day's allowance. The assembled core (build_core) over the real encrypted store, restarted as the service restarts;
the clock is injected (this machine's clock cannot be moved under other engineers' tests) and carries the boot's
identity, as the real clock does (/proc/sys/kernel/random/boot_id). The network time comes from a real SNTP server
on loopback, through the real TimeVerifier.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import struct
import threading
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

from agent.assembly import ServiceOptions, build_core
from agent.ledger.clock import SimulatedClock
from agent.os.timesource import NTP_EPOCH_OFFSET, TimeSourceError, TimeVerifier, sntp_time
from agent.policy import load_policy_doc

START = dt.datetime.fromisoformat("2026-12-01T18:00:00+07:00").timestamp()
DAY = 24 * 3600


def make_core(tmp_path: Path, clock: SimulatedClock):  # type: ignore[no-untyped-def]
    pfile = tmp_path / "policy.json"
    pfile.write_text(json.dumps(load_policy_doc({"version": 2, "screen": {"daily_minutes": dict.fromkeys(
        ("mon", "tue", "wed", "thu", "fri", "sat", "sun"), 60)}, "at_limit": {"screen": "lock"}})))
    opts = ServiceOptions(state_dir=tmp_path / "state", user_mode=True, policy_file=pfile)
    return build_core(opts, clock=clock, adapters={"processes": SimpleNamespace(snapshot=list), "closer": print})


def use_up_the_day(tmp_path: Path):  # type: ignore[no-untyped-def]
    clock = SimulatedClock(START, mono=500.0, boot=500.0, boot_id="boot-A")
    core = make_core(tmp_path, clock)
    for _ in range(61 * 12):
        clock.advance(5)
        core.tick()
    assert core.status()["screen_left_s"] == 0
    core.save()
    return clock


def alerts(core) -> list[dict]:  # type: ignore[no-untyped-def]
    return [o.payload for o in core.store.outbox_since(0, 1000) if o.kind == "alert"]


def test_a_restart_with_the_wall_clock_a_day_ahead_opens_no_new_day(tmp_path: Path) -> None:
    first = use_up_the_day(tmp_path)
    # Same boot, the agent restarted a minute later, the wall clock moved 24 h ahead meanwhile.
    clock = SimulatedClock(first.now().wall + DAY + 60, mono=first.now().mono + 60, boot=first.now().boot + 60,
                           boot_id="boot-A")
    core = make_core(tmp_path, clock)
    ticks = []
    for _ in range(12):
        clock.advance(5)
        ticks += core.tick()
    st = core.status()
    assert st["day"] == "2026-12-01" and st["screen_left_s"] == 0  # yesterday's totals still rule
    assert any(d.kind == "lock" for d in ticks)
    assert "clock_change" in [a["kind"] for a in alerts(core)]  # the parent hears the clock was moved


@pytest.fixture()
def sntp() -> Iterator[dict]:
    """A real SNTP server on loopback answering `now[0]` (the true time)."""
    srv = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    srv.bind(("127.0.0.1", 0))
    srv.settimeout(0.2)
    state = {"now": [0.0], "port": srv.getsockname()[1], "stop": threading.Event(), "asked": 0}

    def serve() -> None:
        while not state["stop"].is_set():
            try:
                req, addr = srv.recvfrom(512)
            except (TimeoutError, OSError):
                continue
            state["asked"] += 1
            t = state["now"][0] + NTP_EPOCH_OFFSET
            stamp = struct.pack("!II", int(t), int((t % 1) * 2**32))
            reply = bytes([0x24, 2, 0, 0]) + b"\x00" * 20 + req[40:48] + stamp + stamp
            srv.sendto(reply, addr)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield state
    state["stop"].set()
    thread.join(2)
    srv.close()


def test_after_a_reboot_the_day_waits_for_network_time(tmp_path: Path, sntp: dict) -> None:
    first = use_up_the_day(tmp_path)
    true_now = first.now().wall + 600  # ten minutes later in truth…
    clock = SimulatedClock(true_now + DAY, mono=3.0, boot=3.0, boot_id="boot-B")  # …the firmware clock says +24 h
    core = make_core(tmp_path, clock)
    assert core.time_held
    clock.advance(5)
    core.tick()
    assert core.status()["day"] == "2026-12-01" and core.status()["screen_left_s"] == 0  # held: nothing new
    assert [a["kind"] for a in alerts(core)].count("time_held") == 1
    # The network answers with the true time: the day stays, the parent learns how far the clock was off.
    sntp["now"][0] = true_now + 5
    verifier = TimeVerifier(lambda: core.time_held, core.confirm_time, [f"127.0.0.1:{sntp['port']}"])
    assert verifier.check() is True and not core.time_held
    clock.advance(5)
    core.tick()
    assert core.status()["day"] == "2026-12-01" and core.status()["screen_left_s"] == 0
    told = [a for a in alerts(core) if a["kind"] == "time_confirmed"]
    assert len(told) == 1 and abs(told[0]["wall_off_s"] - DAY) < 30
    assert verifier.check() is False  # nothing held: nothing asked


def test_a_real_night_off_opens_the_new_day_once_network_time_agrees(tmp_path: Path, sntp: dict) -> None:
    first = use_up_the_day(tmp_path)
    true_now = first.now().wall + 14 * 3600  # the PC was off all night: 09:00 next morning
    clock = SimulatedClock(true_now, mono=3.0, boot=3.0, boot_id="boot-B")
    core = make_core(tmp_path, clock)
    assert core.time_held and core.status()["day"] == "2026-12-01"
    sntp["now"][0] = true_now
    TimeVerifier(lambda: core.time_held, core.confirm_time, [f"127.0.0.1:{sntp['port']}"]).check()
    clock.advance(5)
    core.tick()
    assert core.status()["day"] == "2026-12-02" and core.status()["screen_left_s"] > 0


def test_sntp_refuses_answers_to_someone_elses_question() -> None:
    srv = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    srv.bind(("127.0.0.1", 0))

    def answer_wrongly() -> None:
        _, addr = srv.recvfrom(512)
        srv.sendto(bytes([0x24, 2, 0, 0]) + b"\x00" * 20 + os.urandom(8) + b"\x00" * 16, addr)

    threading.Thread(target=answer_wrongly, daemon=True).start()
    with pytest.raises(TimeSourceError, match="does not answer our request"):
        sntp_time("127.0.0.1", srv.getsockname()[1], timeout=5)
    srv.close()
