"""The /proc process source over a made-up /proc: a process with a long name caught inside exec (its comm already the
new, truncated one, its command line still empty) is named properly on the next snapshot, not kept truncated."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from agent.os.procfs import ProcfsProcessSource

pytestmark = [pytest.mark.unit, pytest.mark.skipif(not hasattr(os, "sysconf"), reason="POSIX only")]

PID = 4321


def _proc(root: Path, comm: str, cmdline: bytes, exe: str) -> None:
    (root / "self").mkdir(parents=True, exist_ok=True)
    (root / "uptime").write_text("100.00 50.00\n")
    d = root / str(PID)
    d.mkdir(exist_ok=True)
    # pid (comm) state ppid pgrp session tty tpgid flags ... starttime (the 22nd field)
    fields = ["S", "1", str(PID), str(PID), "0", "-1", "4194304"] + ["0"] * 12 + ["9000"]
    (d / "stat").write_text(f"{PID} ({comm}) {' '.join(fields)}\n")
    (d / "cmdline").write_bytes(cmdline)
    (d / "status").write_text(f"Name:\t{comm}\nUid:\t{os.getuid()}\t{os.getuid()}\t{os.getuid()}\t{os.getuid()}\n")
    if (d / "exe").is_symlink():
        (d / "exe").unlink()
    (d / "exe").symlink_to(exe)


def _name(source: ProcfsProcessSource) -> str:
    return next(p.name for p in source.snapshot() if p.pid == PID)


@pytest.mark.parametrize("young_s", [30.0, 0.0], ids=["young", "old"])
def test_a_long_name_read_mid_exec_is_read_again(tmp_path: Path, young_s: float) -> None:
    proc = tmp_path / "proc"
    exe = "/home/kid/games/MinecraftLauncher"
    _proc(proc, "MinecraftLaunch", b"", exe)  # the kernel's 15-byte comm is set; argv is not in place yet
    source = ProcfsProcessSource(str(proc), young_s=young_s, full_every=5)
    assert _name(source) == "MinecraftLaunch"  # all there is for now
    _proc(proc, "MinecraftLaunch", exe.encode() + b"\0--workDir\0/home/kid/.minecraft\0", exe)
    assert _name(source) == "MinecraftLauncher"  # the very next snapshot, however old the process
    (proc / str(PID) / "cmdline").write_bytes(b"")  # a settled name is kept: not read again every tick
    assert [_name(source) for _ in range(6)] == ["MinecraftLauncher"] * 6
