"""The service core's simulated world: scripted processes (`Proc`, `ScriptedProcesses`), a closer that records what it closed, and `run_for` to tick a simulated stretch of time."""

from __future__ import annotations

import os
from dataclasses import dataclass

UID = os.getuid()


@dataclass(frozen=True)
class Proc:
    pid: int
    ppid: int
    name: str
    exe: str | None = None
    uid: int = UID
    create_time: float = 1.0
    parent_name: str | None = None


class ScriptedProcesses:
    """The process source, injected: the test says what is running."""

    def __init__(self) -> None:
        self.procs: list[Proc] = []

    def snapshot(self) -> list[Proc]:
        return list(self.procs)


class RecordingCloser:
    """Stands in for agent.os.terminate.close_process (real closing is tested in test_service_enforcement.py)."""

    def __init__(self, source: ScriptedProcesses) -> None:
        self.source = source
        self.calls: list[tuple[int, int | None]] = []

    def __call__(self, pid, *, allowed_uid, grace_s, create_time=None):
        self.calls.append((pid, allowed_uid))
        self.source.procs = [p for p in self.source.procs if p.pid != pid]
        return "closed"


def run_for(core, clock, seconds: int) -> list:
    out = []
    for _ in range(seconds):
        clock.advance(1)
        out += core.tick()
    return out
