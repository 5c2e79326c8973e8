"""The system service before anyone has named the child's account (a PC fresh from its maker): it runs instead of
failing, counts nothing, greets whoever logs in, tells the parent what to do, and `sprout-agent set-child` names the
account — the running service then restarts itself to apply it. Real accounts (useradd, as root), a real service
process, real files."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from agent.assembly import ServiceOptions, build_core
from agent.cli import main
from agent.errors import CliError
from agent.ledger.clock import SimulatedClock
from agent.service import child_account as ca
from tests.support.os_accounts import ROOT_ONLY, SYSTEM_PYTHON, account

ROOT = Path(__file__).resolve().parents[3]


# ----- the environment file

def test_the_env_file_keeps_its_other_lines_and_names_the_child(tmp_path: Path) -> None:
    env = tmp_path / "agent.env"
    env.write_text("# written by the Sprout package\nSPROUT_AGENT_ARGS=--upstream 192.0.2.53:53\n", encoding="utf-8")
    assert ca.child_from_env(env) is None
    ca.write_child_env(env, "an", 1001)
    assert ca.child_from_env(env) == "an"
    ca.write_child_env(env, "binh", 1002)
    lines = env.read_text(encoding="utf-8").splitlines()
    assert lines == ["# written by the Sprout package", "SPROUT_AGENT_ARGS=--upstream 192.0.2.53:53",
                     'SPROUT_CHILD_ARGS="--child-user binh"']
    assert ca.child_from_env(env) == "binh" and oct(env.stat().st_mode & 0o777) == "0o644"
    ca.write_child_env(env, "odd name$(x)", 1003)  # never seen from useradd, but systemd must not misread it
    assert ca.child_from_env(env) == "1003" and '"--child-uid 1003"' in env.read_text(encoding="utf-8")
    assert ca.child_from_env(tmp_path / "missing.env") is None


def test_the_env_file_as_people_write_it_by_hand(tmp_path: Path) -> None:
    env = tmp_path / "agent.env"
    for text, expected in [("SPROUT_CHILD_ARGS=--child-user an\n", "an"),
                           ("SPROUT_CHILD_ARGS='--child-uid 1001'\n", "1001"),
                           ('  SPROUT_CHILD_ARGS = "--child-user an"  \n', "an"),
                           ('SPROUT_CHILD_ARGS="--child-user an\n', None),  # an open quote: ignored, not guessed
                           ("SPROUT_CHILD_ARGS=\n", None)]:
        env.write_text(text, encoding="utf-8")
        assert ca.child_from_env(env) == expected, text


def test_login_range_comes_from_login_defs(tmp_path: Path) -> None:
    defs = tmp_path / "login.defs"
    defs.write_text("# comment\nUID_MIN                  2000\nUID_MAX   3000\nGID_MIN 100\n", encoding="utf-8")
    assert ca.login_range(defs) == (2000, 3000)
    assert ca.login_range(tmp_path / "none") == (1000, 60000)


def test_root_and_system_accounts_are_not_people() -> None:
    assert not ca.is_person(0)
    assert not ca.is_person(65534)  # nobody
    assert not ca.is_person(1)  # daemon
    assert not ca.is_person(4_000_000)  # no such account
    with pytest.raises(CliError, match="not an account a person logs in with"):
        ca.resolve_account("root")
    with pytest.raises(CliError, match="no such account on this PC"):
        ca.resolve_account("no-such-child-account")


@ROOT_ONLY
def test_a_persons_account_is_one() -> None:
    kid = account("sprout-kid-test", person=True)
    assert ca.is_person(kid.pw_uid) and ca.resolve_account(kid.pw_name) == kid.pw_uid
    assert ca.resolve_account(str(kid.pw_uid)) == kid.pw_uid
    system = account("sprout-sys-test", person=False)
    assert not ca.is_person(system.pw_uid)


# ----- the service without a child account

def waiting_core(tmp_path: Path):  # type: ignore[no-untyped-def]
    clock = SimulatedClock(wall=1_795_000_000.0)  # a weekday afternoon in Asia/Ho_Chi_Minh
    opts = ServiceOptions(state_dir=tmp_path / "state", user_mode=False, child_uid=None, key_file_fallback=True)
    return build_core(opts, clock=clock), clock


def test_a_service_without_a_child_counts_nothing_and_tells_the_parent(tmp_path: Path) -> None:
    core, clock = waiting_core(tmp_path)
    before = core.status()
    assert before["awaiting_child"] is True and before["locked_reason"] is None
    for tick in range(6 * 60 * 12):  # six hours from 18:06, into the night's downtime, a tick every 5 s
        clock.advance(5)
        core.tick()
        if tick % 360 == 0:
            now = core.status()
            assert (now["screen_used_s"], now["games_used_s"], now["per_app_s"]) == (0, 0, {})  # nothing counted
            assert now["locked_reason"] is None  # and no one's session is said to be stopped
    assert core.notices_since(0) == []  # and nobody was told their time is up
    alerts = [o.payload for o in core.store.outbox_since(0, 100) if o.kind == "alert"]
    assert [a["kind"] for a in alerts] == ["child_account_missing"]
    assert alerts[0]["how"] == "sudo sprout-agent set-child NAME"


def test_a_service_with_a_child_is_not_waiting(tmp_path: Path) -> None:
    opts = ServiceOptions(state_dir=tmp_path / "state", user_mode=False, child_uid=os.getuid(),
                          key_file_fallback=True)
    core = build_core(opts, clock=SimulatedClock(wall=1_795_000_000.0))
    assert "awaiting_child" not in core.status()
    assert not any(o.payload.get("kind") == "child_account_missing" for o in core.store.outbox_since(0, 100))


@ROOT_ONLY
def test_every_persons_login_reaches_the_companion_while_waiting(tmp_path: Path) -> None:
    if not shutil.which("setpriv") or not os.access(SYSTEM_PYTHON, os.X_OK):
        pytest.skip("needs setpriv and the system python to connect as another user")
    from agent.service.companion_channel import start_companion_channel

    kid = account("sprout-kid-test", person=True)
    system = account("sprout-sys-test", person=False)
    core, _clock = waiting_core(tmp_path)
    base = Path(tempfile.mkdtemp(prefix="sprout-wait-"))
    os.chmod(base, 0o755)
    opts = ServiceOptions(state_dir=tmp_path / "state", user_mode=False, socket_path=base / "run" / "c.sock")
    stop = start_companion_channel(core, opts)
    script = ("import json, socket, sys\ns = socket.socket(socket.AF_UNIX); s.settimeout(5); s.connect(sys.argv[1])\n"
              "s.sendall(b'{\"id\": 1, \"op\": \"status\"}\\n')\nbuf = b''\n"
              "while b'\\n' not in buf:\n    d = s.recv(65536)\n    if not d: break\n    buf += d\n"
              "sys.stdout.write(buf.decode())\n")
    try:
        replies = {}
        for who in (kid, system):
            out = subprocess.run(["setpriv", f"--reuid={who.pw_uid}", f"--regid={who.pw_gid}", "--clear-groups",
                                  SYSTEM_PYTHON, "-I", "-c", script, str(opts.socket_path)],
                                 capture_output=True, text=True, timeout=20)
            assert out.returncode == 0, out.stderr
            replies[who.pw_name] = json.loads(out.stdout)
        assert replies[kid.pw_name]["ok"] is True
        assert replies[kid.pw_name]["result"]["awaiting_child"] is True
        assert replies[system.pw_name]["ok"] is False
        assert replies[system.pw_name]["error"]["code"] == "forbidden"
    finally:
        stop()
        shutil.rmtree(base, ignore_errors=True)


def test_child_watch_stops_the_service_when_the_account_is_named(tmp_path: Path) -> None:
    env = tmp_path / "agent.env"
    stopped: list[bool] = []
    watch = ca.ChildWatch(env, None, lambda: stopped.append(True), every_s=0.02)
    assert watch.check() is False  # no file yet
    env.write_text('SPROUT_CHILD_ARGS="--child-user no-such-child-account"\n', encoding="utf-8")
    assert watch.check() is False and stopped == []  # a name that is no account changes nothing
    env.write_text(f'SPROUT_CHILD_ARGS="--child-uid {os.getuid()}"\n', encoding="utf-8")
    if ca.is_person(os.getuid()):
        pytest.skip("this test's own account is a person's; the root-only tests cover the restart")
    assert watch.check() is False and stopped == []  # root is not a child's account either


@ROOT_ONLY
def test_child_watch_compares_accounts_not_spellings(tmp_path: Path) -> None:
    kid = account("sprout-kid-test", person=True)
    env = tmp_path / "agent.env"
    stopped: list[bool] = []
    env.write_text(f'SPROUT_CHILD_ARGS="--child-user {kid.pw_name}"\n', encoding="utf-8")
    assert ca.ChildWatch(env, kid.pw_uid, lambda: stopped.append(True)).check() is False  # same account
    env.write_text(f'SPROUT_CHILD_ARGS="--child-uid {kid.pw_uid}"\n', encoding="utf-8")
    assert ca.ChildWatch(env, kid.pw_uid, lambda: stopped.append(True)).check() is False  # by uid: the same
    watch = ca.ChildWatch(env, None, lambda: stopped.append(True))
    assert watch.check() is True and stopped == [True] and watch.changed_to == str(kid.pw_uid)


@ROOT_ONLY
def test_set_child_then_the_running_service_restarts_for_it(tmp_path: Path) -> None:
    """The whole path: a real `sprout-agent run` as a service with no child, `sprout-agent set-child`, and the
    service stopping on its own (systemd's Restart=always then starts it with the account)."""
    kid = account("sprout-kid-test", person=True)
    state = tmp_path / "state"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "agent.cli", "run", "--state", str(state),
                             "--no-companion-socket", "--key-file-fallback"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    try:
        time.sleep(3)
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""  # runs, does not fail
        out = subprocess.run([sys.executable, "-m", "agent.cli", "set-child", kid.pw_name, "--state",
                              str(state)], capture_output=True, text=True, env=env, cwd=ROOT, timeout=30)
        assert out.returncode == 0, out.stderr
        assert kid.pw_name in out.stdout and f"uid {kid.pw_uid}" in out.stdout
        assert ca.child_from_env(state / "agent.env") == kid.pw_name
        # It stops on its own (a bound, not a measure: its watch looks every CHECK_EVERY_S), and says why.
        code = proc.wait(timeout=ca.CHECK_EVERY_S + 60)
        assert code == 0
        err = proc.stderr.read() if proc.stderr else ""
        assert "no child account chosen yet" in err
        assert f"the child's account is now {kid.pw_name}" in err and "agent stopped cleanly" in err
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@ROOT_ONLY
def test_set_child_again_needs_the_parent_pin_once_one_is_set(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    from agent.service.protect import Guard

    kid = account("sprout-kid-test", person=True)
    other = account("sprout-kid2-test", person=True)
    state = tmp_path / "state"
    state.mkdir()
    assert main(["set-child", kid.pw_name, "--state", str(state)]) == 0
    assert main(["set-child", kid.pw_name, "--state", str(state)]) == 0
    assert "already the child's account" in capsys.readouterr().out
    Guard(state).set_pin("4321")
    assert main(["set-child", other.pw_name, "--state", str(state)]) == 2
    assert "run `sprout-agent unlock --action change-files` first" in capsys.readouterr().err
    assert ca.child_from_env(state / "agent.env") == kid.pw_name  # nothing changed
    assert main(["set-child", "root", "--state", str(state)]) == 2
    assert "not an account a person logs in with" in capsys.readouterr().err
    assert other.pw_uid != 0
