"""A child with firmware access moves the wall clock 24 h ahead and reboots the PC while no time server answers
(the PC offline, or the child's own DNS tricks): the day is held, and the first word from the parent's console — its
signed clock, carried by every request it sends — ends the hold at the true time. No fresh day's allowance; the
parent hears how far the PC's clock was off, and from which source.

The agent is the product's own assembly (build_core + start_extras: the real parent link on loopback, the real
encrypted store, the real TimeVerifier asking an SNTP port where nothing answers), restarted as a reboot restarts
it; its clock is injected (this machine's clock cannot be moved under other engineers' tests) and carries the boot's
identity. The console is the real `sprout-console`, whose clock is this machine's real clock.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from agent.assembly import ServiceOptions, build_core, start_extras
from agent.ledger.clock import SimulatedClock
from agent.policy import load_policy_doc
from agent.protocol.clock_proof import sign_clock, verify_clock
from agent.protocol.errors import ProtocolError
from agent.protocol.identity import Identity
from tests.support.agent_process import BIN, CODE_RE, console, run

DAY = 24 * 3600


def _midday_zone() -> str:
    """A time zone where it is about noon now, so the test never straddles the child's midnight."""
    offset = 12 - dt.datetime.now(dt.UTC).hour
    offset = max(-12, min(14, offset))
    return "Etc/GMT" + (f"-{offset}" if offset > 0 else f"+{-offset}" if offset < 0 else "")


def _opts(tmp_path: Path, zone: str) -> ServiceOptions:
    pfile = tmp_path / "policy.json"
    pfile.write_text(json.dumps(load_policy_doc({"version": 2, "timezone": zone, "screen": {"daily_minutes": dict.fromkeys(
        ("mon", "tue", "wed", "thu", "fri", "sat", "sun"), 60)}, "at_limit": {"screen": "lock"}})))
    return ServiceOptions(state_dir=tmp_path / "state", user_mode=True, policy_file=pfile, link_listen="127.0.0.1:0",
                          time_servers=["127.0.0.1:9"])  # nothing answers SNTP there


def _assemble(opts: ServiceOptions, clock: SimulatedClock):  # type: ignore[no-untyped-def]
    core = build_core(opts, clock=clock, adapters={"processes": SimpleNamespace(snapshot=list), "closer": print})
    return core, start_extras(core, opts)


def _stop(core, stoppers) -> None:  # type: ignore[no-untyped-def]
    for stop in reversed(stoppers):
        stop()
    core.save()
    core.enforcer.shutdown()


def alerts(core) -> list[dict]:  # type: ignore[no-untyped-def]
    return [o.payload for o in core.store.outbox_since(0, 1000) if o.kind == "alert"]


def test_once_a_console_is_heard_a_day_ahead_reboot_opens_no_new_day(tmp_path: Path) -> None:
    zone = _midday_zone()
    opts = _opts(tmp_path, zone)
    start = time.time() - 4000  # the child played the day's hour, ending a few minutes ago
    clock = SimulatedClock(start, mono=500.0, boot=500.0, boot_id="boot-A")
    core, stoppers = _assemble(opts, clock)
    mom = tmp_path / "mom"
    try:
        host = (opts.state_dir / "link.address").read_text().strip()
        code = CODE_RE.search(run(BIN / "sprout-agent", "pair", "--state", opts.state_dir).stdout).group(1)
        assert "Paired" in console(mom, "--name", "mom", "pair", "--code", code, "--host", host).stdout
        for _ in range(61 * 12):
            clock.advance(5)
            core.tick()
        assert core.status()["screen_left_s"] == 0
        used_day = core.status()["day"]
        assert used_day == dt.datetime.now(ZoneInfo(zone)).date().isoformat()
    finally:
        _stop(core, stoppers)

    # The child moves the firmware clock a day ahead and reboots; no time server answers.
    true_now = time.time()
    clock = SimulatedClock(true_now + DAY, mono=3.0, boot=3.0, boot_id="boot-B")
    core, stoppers = _assemble(opts, clock)
    try:
        assert core.time_held
        clock.advance(5)
        core.tick()
        assert core.status()["day"] == used_day and core.status()["screen_left_s"] == 0
        # The parent's console asks the PC anything (here: the waiting requests); its signed clock comes along.
        host = (opts.state_dir / "link.address").read_text().strip()
        _retarget(mom, host)
        console(mom, "requests")
        assert not core.time_held
        for _ in range(12):
            clock.advance(5)
            core.tick()
        st = core.status()
        assert st["day"] == used_day and st["screen_left_s"] == 0  # no fresh day: the hour is still used up
        told = [a for a in alerts(core) if a["kind"] == "time_confirmed"]
        assert len(told) == 1 and told[0]["source"].startswith("console ")
        assert abs(told[0]["wall_off_s"] - DAY) < 120  # the parent learns the PC's clock was a day ahead
    finally:
        _stop(core, stoppers)


def _retarget(state: Path, host: str) -> None:
    """The PC came back on another port (this test's link binds port 0): the console finds it there, as zeroconf
    tells a real console."""
    from app.family import Family

    fam = Family(state, use_keyring=False)
    try:
        for d in fam.devices():
            fam.add_device(fam.peer_keys(d["device_id"]), host)  # the address only; keys and counters stay
    finally:
        fam.close()


def test_a_forged_or_misdirected_console_clock_is_refused() -> None:
    mom, other = Identity.generate("mom"), Identity.generate("rogue")
    good = sign_clock(mom, "PC-1", 1_800_000_000.0)
    assert verify_clock(good, mom.public, "PC-1") == 1_800_000_000.0
    for bad, keys, device in [(good, other.public, "PC-1"),  # signed by someone else
                              (good, mom.public, "PC-2"),  # for another PC
                              ({**good, "at": good["at"] + DAY}, mom.public, "PC-1"),  # moved after signing
                              ({**good, "at": float("nan")}, mom.public, "PC-1"),
                              ("tomorrow", mom.public, "PC-1")]:
        try:
            verify_clock(bad, keys, device)
        except ProtocolError as exc:
            assert exc.code == "bad_clock"
        else:
            raise AssertionError(f"accepted {bad!r}")


def test_the_parent_reads_which_clock_confirmed_the_time(qtbot) -> None:  # type: ignore[no-untyped-def]
    from app.gui import i18n
    from app.gui.overview import alert_text

    try:
        for lang, who, held in (("vi", "bảng điều khiển của bạn", "giữ nguyên số giờ hôm nay"),
                                ("en", "your console", "kept today's totals")):
            i18n.switch(lang)
            text = alert_text({"day": "2026-12-01", "payload": {"kind": "time_confirmed", "source": "console 4K5GUNF",
                                                                "wall_off_s": DAY}})
            assert who in text and "1440" in text, text
            assert held in alert_text({"day": "2026-12-01", "payload": {"kind": "time_held"}})
    finally:
        i18n.switch("en")
