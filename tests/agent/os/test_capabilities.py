"""agent.os.capabilities: CapEff from /proc/PID/status, and `sprout-agent run`'s root-or-capabilities check."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import pytest

from agent.errors import CliError
from agent.os import capabilities
from agent.os.capabilities import decode, effective_capabilities, missing_for_service, parse_status

STATUS = """Name:\tsprout-agent
Umask:\t0077
Uid:\t998\t998\t998\t998
CapInh:\t0000000000000000
CapPrm:\t0000000000080424
CapEff:\t0000000000080424
CapBnd:\t0000000000080424
CapAmb:\t0000000000080424
NoNewPrivs:\t1
"""
UNIT_CAPS = {"CAP_DAC_READ_SEARCH", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_SYS_PTRACE"}


def test_the_units_capabilities_decode_by_name() -> None:
    assert parse_status(STATUS) == UNIT_CAPS
    assert parse_status(STATUS, "CapInh") == set()
    assert decode(0) == set()
    assert decode(1 | 1 << 40) == {"CAP_CHOWN", "CAP_CHECKPOINT_RESTORE"}
    assert decode(1 << 45) == {"CAP_45"}  # newer than our table: still reported, by bit
    assert len(decode((1 << 41) - 1)) == 41 == len(capabilities.NAMES)


def test_root_and_garbled_or_absent_status() -> None:
    assert len(parse_status("CapEff:\t000001ffffffffff\n")) == 41
    assert parse_status("CapEff:\tnot-hex\n") == set()
    assert parse_status("Name:\tx\n") == set()


def test_effective_capabilities_reads_a_status_file(tmp_path: Path) -> None:
    status = tmp_path / "status"
    status.write_text(STATUS)
    assert effective_capabilities(status) == UNIT_CAPS
    assert effective_capabilities(tmp_path / "missing") == set()  # macOS, Windows: no /proc
    assert missing_for_service(UNIT_CAPS) == []
    assert missing_for_service({"CAP_KILL"}) == ["CAP_NET_BIND_SERVICE"]
    assert missing_for_service(set()) == ["CAP_KILL", "CAP_NET_BIND_SERVICE"]


@pytest.mark.skipif(not sys.platform.startswith("linux") or os.geteuid() != 0, reason="Linux, as root")
def test_this_process_as_root_has_what_the_service_needs() -> None:
    assert missing_for_service(effective_capabilities()) == []


def _run_args() -> argparse.Namespace:
    from agent.service import cli_cmd

    parser = argparse.ArgumentParser()
    cli_cmd.register(parser.add_subparsers())
    return parser.parse_args(["run", "--child-uid", "1000", "--no-companion-socket"])


def _reach_serve(monkeypatch: pytest.MonkeyPatch, euid: int, caps: set[str]) -> str:
    """Runs the check with a given uid and capability set; serve() itself is replaced."""
    from agent import assembly
    from agent.service import cli_cmd

    monkeypatch.setattr(os, "geteuid", lambda: euid, raising=False)
    monkeypatch.setattr(capabilities, "effective_capabilities", lambda status=None: set(caps))
    monkeypatch.setattr(assembly, "serve", lambda opts: 0)
    try:
        cli_cmd._run(_run_args())
    except CliError as exc:
        return str(exc)
    return "started"


def test_run_accepts_root_or_the_capabilities(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _reach_serve(monkeypatch, 0, set()) == "started"
    assert _reach_serve(monkeypatch, 998, UNIT_CAPS) == "started"
    assert _reach_serve(monkeypatch, 998, {"CAP_KILL", "CAP_NET_BIND_SERVICE"}) == "started"


def test_run_names_the_missing_capabilities(monkeypatch: pytest.MonkeyPatch) -> None:
    message = _reach_serve(monkeypatch, 998, {"CAP_KILL", "CAP_SYS_PTRACE"})
    assert "\n" not in message
    assert message.startswith("the service needs root or the capabilities CAP_NET_BIND_SERVICE (missing)")
    assert "--user-mode" in message and "CAP_KILL," not in message
    message = _reach_serve(monkeypatch, 998, set())
    assert "CAP_KILL, CAP_NET_BIND_SERVICE (missing)" in message
