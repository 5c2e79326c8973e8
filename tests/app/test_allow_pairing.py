"""A second parent pairs without anyone at the child's PC: a paired console opens pairing with `sprout-console
allow-pairing DEVICE` (the agent's `pair_allow`), the child's companion then shows a code for one pairing. A console
that is not (or no longer) paired cannot open it. The real `sprout-agent run`, the real `sprout-console`, the
companion socket asked as the companion asks it."""

from __future__ import annotations

import json
import socket
from pathlib import Path

from tests.support.agent_process import BIN, console, run
from tests.support.journeys import start_agent


def companion_status(sock: Path) -> dict:
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(10)
    try:
        s.connect(str(sock))
        s.sendall(b'{"id": 1, "op": "status"}\n')
        buf = b""
        while b"\n" not in buf:
            chunk = s.recv(65536)
            if not chunk:
                break
            buf += chunk
    finally:
        s.close()
    reply = json.loads(buf)
    assert reply["ok"] is True, reply
    return reply["result"]


def test_a_paired_console_lets_a_second_parent_pair_from_afar(tmp_path: Path) -> None:
    gen = start_agent(tmp_path, "en")
    agent = next(gen)
    try:
        mom, dad, rogue = tmp_path / "mom", tmp_path / "dad", tmp_path / "rogue"
        assert "Paired" in console(mom, "--name", "mom", "pair", "--code", agent.pairing_code(), "--host",
                                   agent.host).stdout
        device = console(mom, "devices").stdout.split()[0]
        assert companion_status(agent.socket).get("pairing") is None  # the family paired: no code for the child
        # A console of the child's own, never paired, cannot open pairing.
        p = console(rogue, "allow-pairing", device, ok=False)
        assert p.returncode == 2 and "sprout-console allow-pairing: " in p.stderr and "Traceback" not in p.stderr
        assert companion_status(agent.socket).get("pairing") is None
        # Mum opens pairing from her console; the companion shows a code; Dad pairs with it.
        out = console(mom, "allow-pairing", device).stdout
        assert "10 minutes" in out and agent.host in out
        vi = run(BIN / "sprout-console", "--state", mom, "--lang", "vi", "allow-pairing", device).stdout
        assert "đang hiện mã ghép nối trong 10 phút" in vi
        shown = companion_status(agent.socket)["pairing"]
        assert "Paired" in console(dad, "--name", "dad", "pair", "--code", shown["code"], "--host", agent.host).stdout
        assert companion_status(agent.socket).get("pairing") is None  # one pairing, then closed again
        # Once Mum's console is removed at the PC, it can no longer open pairing.
        listed = run(BIN / "sprout-agent", "pair", "--state", agent.state, "--list").stdout
        mom_id = next(line.split("  ")[0] for line in listed.splitlines() if "mom" in line)
        run(BIN / "sprout-agent", "pair", "--state", agent.state, "--unpair", mom_id)
        p = console(mom, "allow-pairing", device, ok=False)
        assert p.returncode == 2 and "revoked" in p.stderr, p.stderr
        assert companion_status(agent.socket).get("pairing") is None
    finally:
        for _ in gen:
            pass
