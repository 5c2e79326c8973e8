"""Protected stop/uninstall: the parent PIN (scrypt, rate-limited), console approvals, the OEM token, reports."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from agent.protocol.identity import Identity
from agent.service.protect import (
    FIRST_LOCK_S,
    FREE_TRIES,
    Guard,
    ProtectError,
    drain_reports,
    sign_approval,
)

REPO = Path(__file__).resolve().parents[3]


class FakeWallClock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def guard(tmp_path: Path) -> Guard:
    return Guard(tmp_path, clock=FakeWallClock())


def test_pin_is_stored_as_scrypt_never_in_clear(guard: Guard) -> None:
    guard.set_pin("482913")
    raw = guard.pin_path.read_text()
    assert "482913" not in raw
    assert json.loads(raw)["scheme"] == "scrypt"
    assert guard.pin_path.stat().st_mode & 0o777 == 0o600
    assert guard.verify_pin("482913", action="uninstall").allowed
    assert not guard.verify_pin("482914", action="uninstall").allowed


def test_pin_format_and_change_need_the_current_pin(guard: Guard) -> None:
    with pytest.raises(ProtectError, match="pin: must be 4 to 32 digits"):
        guard.set_pin("12a4")
    guard.set_pin("1234")
    with pytest.raises(ProtectError, match="already set"):
        guard.set_pin("5678")
    with pytest.raises(ProtectError, match="current PIN is wrong"):
        guard.set_pin("5678", current_pin="0000")
    guard.set_pin("5678", current_pin="1234")
    assert guard.verify_pin("5678", action="stop").allowed


def test_wrong_pins_lock_out_with_growing_waits_even_for_the_right_pin(guard: Guard) -> None:
    clock = guard.clock
    guard.set_pin("1234")
    for _ in range(FREE_TRIES):
        assert not guard.verify_pin("0000", action="uninstall").allowed
    assert guard.locked_for() == 0
    assert not guard.verify_pin("0000", action="uninstall").allowed  # first locking failure
    assert guard.locked_for() == pytest.approx(FIRST_LOCK_S)
    refused = guard.verify_pin("1234", action="uninstall")
    assert not refused.allowed and "too many wrong PINs" in refused.reason
    clock.now += FIRST_LOCK_S + 1
    assert not guard.verify_pin("9999", action="uninstall").allowed
    assert guard.locked_for() == pytest.approx(2 * FIRST_LOCK_S)  # doubles
    clock.now += 2 * FIRST_LOCK_S + 1
    assert guard.verify_pin("1234", action="uninstall").allowed
    assert guard.locked_for() == 0  # a right PIN clears the counter


def test_every_attempt_is_reported_and_drained_once(guard: Guard, tmp_path: Path) -> None:
    guard.set_pin("1234")
    guard.verify_pin("0000", action="uninstall")
    guard.verify_pin("1234", action="stop")
    reports = drain_reports(tmp_path)
    assert [(r["action"], r["allowed"], r["kind"]) for r in reports] == [
        ("set-pin", True, "protected-action"), ("uninstall", False, "tamper"), ("stop", True, "protected-action")]
    assert drain_reports(tmp_path) == []


def test_damaged_report_is_reported_not_lost(tmp_path: Path) -> None:
    folder = tmp_path / "protect" / "reports"
    folder.mkdir(parents=True)
    (folder / "1.json").write_text("{not json")
    [report] = drain_reports(tmp_path)
    assert report["kind"] == "tamper" and "damaged report" in report["reason"]


def test_grant_is_single_use_for_one_action_and_expires(guard: Guard) -> None:
    guard.set_pin("1234")
    guard.grant(guard.verify_pin("1234", action="uninstall"))
    assert not guard.consume_grant("stop").allowed  # other action: refused and used up
    guard.grant(guard.verify_pin("1234", action="uninstall"))
    assert guard.consume_grant("uninstall").allowed
    assert not guard.consume_grant("uninstall").allowed
    guard.grant(guard.verify_pin("1234", action="uninstall"))
    guard.clock.now += 601
    assert "expired" in guard.consume_grant("uninstall").reason
    with pytest.raises(ProtectError):
        guard.grant(guard.verify_pin("0000", action="uninstall"))


def test_console_approval_verifies_signature_pinning_action_expiry_and_replay(guard: Guard) -> None:
    console, stranger = Identity.generate("Mum"), Identity.generate("Other")
    pinned = {console.device_id: console.public}
    lookup = pinned.get
    now = guard.clock()
    ok = sign_approval(console.sign, console.device_id, "uninstall", now=now)
    assert guard.verify_approval(ok, action="uninstall", peer_lookup=lookup).allowed
    assert "already used" in guard.verify_approval(ok, action="uninstall", peer_lookup=lookup).reason
    other = sign_approval(stranger.sign, stranger.device_id, "uninstall", now=now)
    assert "not paired" in guard.verify_approval(other, action="uninstall", peer_lookup=lookup).reason
    forged = sign_approval(stranger.sign, console.device_id, "uninstall", now=now)
    assert "does not verify" in guard.verify_approval(forged, action="uninstall", peer_lookup=lookup).reason
    wrong = sign_approval(console.sign, console.device_id, "stop", now=now)
    assert "not 'uninstall'" in guard.verify_approval(wrong, action="uninstall", peer_lookup=lookup).reason
    late = sign_approval(console.sign, console.device_id, "uninstall", ttl_s=60, now=now - 120)
    assert "expired" in guard.verify_approval(late, action="uninstall", peer_lookup=lookup).reason
    tampered = sign_approval(console.sign, console.device_id, "uninstall", now=now)
    tampered["body"]["expires"] += 1000
    assert not guard.verify_approval(tampered, action="uninstall", peer_lookup=lookup).allowed
    assert "malformed" in guard.verify_approval({"body": 3}, action="uninstall", peer_lookup=lookup).reason


def test_approval_from_a_console_pinned_in_the_real_link_state(tmp_path: Path) -> None:
    from agent.link.state import LinkState

    console = Identity.generate("Dad")
    state = LinkState(tmp_path / "link.sqlite")
    state.pin(console.public)
    state.close()
    guard = Guard(tmp_path)
    assert guard.verify_approval(sign_approval(console.sign, console.device_id, "stop"), action="stop").allowed


def test_oem_token_is_compared_by_hash(tmp_path: Path) -> None:
    guard = Guard(tmp_path, oem_token_sha256=hashlib.sha256(b"factory-secret").hexdigest())
    assert guard.verify_oem_token("factory-secret", action="uninstall").allowed
    assert not guard.verify_oem_token("factory-secreT", action="uninstall").allowed
    assert not Guard(tmp_path).verify_oem_token("factory-secret", action="uninstall").allowed


def _unlock(state: Path, *args: str, stdin: str = "", env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    code = ("import sys; from agent import cli; cli.COMMANDS.setdefault('unlock', 'agent.service.protect'); "
            "sys.exit(cli.main(sys.argv[1:]))")
    import os

    full_env = {**os.environ, "SPROUT_OEM": str(state / "no-oem.toml"), **(env or {})}
    return subprocess.run([sys.executable, "-c", code, "unlock", "--state", str(state), *args], input=stdin,
                          capture_output=True, text=True, cwd=REPO, env=full_env, timeout=60)


def test_unlock_cli_set_pin_unlock_and_check_like_prerm(tmp_path: Path) -> None:
    assert _unlock(tmp_path, "--check").returncode == 1  # nothing unlocked: prerm refuses
    r = _unlock(tmp_path, "--set-pin", "--pin-stdin", stdin="2468\n")
    assert r.returncode == 0, r.stderr
    r = _unlock(tmp_path, "--pin-stdin", stdin="1111\n")
    assert r.returncode == 2 and r.stderr.strip().endswith("pin: wrong PIN") and "Traceback" not in r.stderr
    r = _unlock(tmp_path, "--pin-stdin", stdin="2468\n")
    assert r.returncode == 0, r.stderr
    assert _unlock(tmp_path, "--check").returncode == 0
    refused = _unlock(tmp_path, "--check")
    assert refused.returncode == 1 and "PIN" in refused.stderr
    kinds = [r["allowed"] for r in drain_reports(tmp_path)]
    assert kinds == [False, True, False, True, True, False]


def test_unlock_cli_oem_token_from_env(tmp_path: Path) -> None:
    oem = tmp_path / "oem.toml"
    oem.write_text(f'[uninstall]\ntoken_sha256 = "{hashlib.sha256(b"t0k3n").hexdigest()}"\n')
    env = {"SPROUT_OEM": str(oem), "SPROUT_UNINSTALL_TOKEN": "t0k3n"}
    assert _unlock(tmp_path, "--check", env=env).returncode == 0
    assert _unlock(tmp_path, "--check", env={**env, "SPROUT_UNINSTALL_TOKEN": "nope"}).returncode == 1
