"""A child who tries to pair a console of its own once the family has paired: asks the companion for a code after the
parent removed the only console, waits for an abandoned attempt to be swept, lets codes expire. As a child would:
the child's real account asks the service's real companion socket (service mode, counting that account); the parent
pairs with the real `sprout-console` over the real link; the PC's administrator uses the real `sprout-agent pair`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest

from agent.assembly import ServiceOptions, build_core
from agent.ledger.clock import SimulatedClock
from agent.link.state import CODE_TTL_S, MAX_BURNS, LinkState
from agent.protocol.identity import Identity
from agent.protocol.pairing import ConsolePairing, new_code
from tests.support.agent_process import BIN, CODE_RE, console, run
from tests.support.companion_ask import ASK
from tests.support.link_in_process import Agent, Console
from tests.support.os_accounts import ROOT_ONLY, SYSTEM_PYTHON, account


def childs_companion_status(kid, socket_path: Path) -> dict:  # type: ignore[no-untyped-def]
    out = subprocess.run(["setpriv", f"--reuid={kid.pw_uid}", f"--regid={kid.pw_gid}", "--clear-groups",
                          SYSTEM_PYTHON, "-I", "-c", ASK, str(socket_path)], capture_output=True, text=True, timeout=20)
    assert out.returncode == 0, out.stderr
    reply = json.loads(out.stdout)
    assert reply["ok"] is True, reply
    return reply["result"]


@ROOT_ONLY
def test_after_the_parent_removed_the_last_console_the_child_gets_no_code(tmp_path: Path) -> None:
    if not shutil.which("setpriv") or not os.access(SYSTEM_PYTHON, os.X_OK):
        pytest.skip("needs setpriv and the system python to connect as the child")
    from agent.service.companion_channel import start_companion_channel
    from agent.service.parent_link import start_parent_link

    kid = account("sprout-kid-test", person=True)
    base = Path(tempfile.mkdtemp(prefix="sprout-pair-"))
    os.chmod(base, 0o755)
    state = tmp_path / "state"
    opts = ServiceOptions(state_dir=state, user_mode=False, child_uid=kid.pw_uid, key_file_fallback=True,
                          socket_path=base / "run" / "c.sock", link_listen="127.0.0.1:0")
    core = build_core(opts, clock=SimulatedClock(wall=1_795_000_000.0),
                      adapters={"processes": SimpleNamespace(snapshot=list), "closer": print})
    # loopback only, no zeroconf advertisement from a test
    stop_link = start_parent_link(core, SimpleNamespace(**{**vars(opts), "user_mode": True}))
    stop_channel = start_companion_channel(core, opts)
    host = (state / "link.address").read_text().strip()
    mom = tmp_path / "mom"
    try:
        # First boot: the companion shows the code, the parent types it.
        shown = childs_companion_status(kid, opts.socket_path)["pairing"]
        assert "Paired" in console(mom, "--name", "mom", "pair", "--code", shown["code"], "--host", host).stdout
        assert childs_companion_status(kid, opts.socket_path).get("pairing") is None
        # The parent removes the only console (here with the administrator's `sprout-agent pair --unpair`).
        listed = run(BIN / "sprout-agent", "pair", "--state", state, "--list").stdout
        run(BIN / "sprout-agent", "pair", "--state", state, "--unpair", listed.split("  ")[0])
        # The child asks the companion for a code, again and again: none is shown, none is open.
        for _ in range(3):
            assert childs_companion_status(kid, opts.socket_path).get("pairing") is None
        p = console(tmp_path / "rogue", "--name", "Bố mẹ", "pair", "--code", shown["code"], "--host", host, ok=False)
        assert p.returncode != 0 and "Paired" not in p.stdout
        # The parent at the PC (the administrator) opens pairing: now the companion shows that code.
        code = CODE_RE.search(run(BIN / "sprout-agent", "pair", "--state", state).stdout).group(1)
        assert childs_companion_status(kid, opts.socket_path)["pairing"]["code"] == code
        assert "Paired" in console(tmp_path / "dad", "--name", "dad", "pair", "--code", code, "--host", host).stdout
        assert childs_companion_status(kid, opts.socket_path).get("pairing") is None
    finally:
        stop_channel()
        stop_link()
        shutil.rmtree(base, ignore_errors=True)


def test_a_swept_session_never_reopens_pairing_after_the_family_paired(tmp_path: Path) -> None:
    agent = Agent(tmp_path)
    code, _ = agent.state.open_pairing()
    # The child starts a pairing with the open code and abandons it; the parent pairs right after with a new code.
    c = ConsolePairing(code, Identity.generate().public)
    assert agent.post("/v1/pair/start", c.start_message())[0] == 200
    Console(agent, "mom")  # opens a code and pairs
    agent.service.monotonic = lambda: 1e12  # the abandoned session is swept on the next pairing request
    status, reply = agent.post("/v1/pair/start", ConsolePairing(new_code(), Identity.generate().public)
                               .start_message())
    assert status == 409 and reply["error"] == "pairing_closed"
    assert agent.state.current_code()[0] is None  # the sweep burnt it without opening a fresh one
    assert agent.state.offer_code() is None  # and the companion's poll shows none


def test_burned_or_expired_codes_never_reset_the_burn_count(tmp_path: Path) -> None:
    clock = [1_800_000_000.0]
    state = LinkState(tmp_path / "link.sqlite", lambda: clock[0])
    first = state.offer_code()
    assert first is not None  # a new PC: the companion shows a code
    for _ in range(MAX_BURNS - 1):
        state.spend_code()
        state.burn("wrong code")
        clock[0] += CODE_TTL_S + 1  # the code expires; the companion's next poll shows a new one
        assert state.offer_code() is not None
    state.spend_code()
    state.burn("wrong code")  # the fifth failure in a row
    clock[0] += CODE_TTL_S + 1
    assert state.offer_code() is None  # closed: polling or waiting never opens it again
    assert state.current_code()[2].startswith("closed after")
    state.open_pairing()  # only the parent's act at the PC does
    assert state.offer_code() is not None
