"""What an interpreter runs is read from its command line once it has one: a java or python process caught inside
exec (its new name and file already in place, its arguments not yet: /proc/PID/cmdline reads empty for that moment,
which lasts tens of milliseconds on a loaded machine) is looked at again on the next tick, never remembered as the
bare interpreter for the rest of its life."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agent.catalog import Catalog
from agent.catalog.content import ContentIndex, fingerprint
from agent.ledger.apps import AppClassifier
from agent.ledger.clock import SimulatedClock
from agent.ledger.sample import AppRef
from agent.service.sampler import Sampler
from tests.support.scripted_processes import UID, Proc, ScriptedProcesses

pytestmark = pytest.mark.unit

JAVA = "/usr/lib/jvm/java-17-openjdk-amd64/bin/java"  # named java: its family is read from the name, nothing opened
MAIN = "net.minecraft.client.main.Main"
HOME = "/home/kid"


class Exec:
    """The command line of a process as /proc shows it while it execs: empty for the first `empty` reads, then the
    arguments it was started with."""

    def __init__(self, argv: list[str], cwd: str = HOME, empty: int = 1) -> None:
        self.argv, self.cwd, self.empty = argv, cwd, empty
        self.reads = 0

    def __call__(self, pid: int) -> tuple[list[str], str | None]:
        self.reads += 1
        return ([] if self.reads <= self.empty else list(self.argv)), self.cwd


def _ticks(sampler: Sampler, clock: SimulatedClock, pid: int, n: int) -> Iterator[str]:
    for _ in range(n):
        clock.advance(1)
        yield next(app for app, pids in sampler.observe().pids.items() if any(p == pid for p, _ in pids))


def test_a_java_game_first_seen_mid_exec_is_counted_as_its_game_from_the_next_tick() -> None:
    cmdline = Exec(["java", "-Xmx32m", "-cp", f"{HOME}/homework/notes.jar", MAIN])
    procs = ScriptedProcesses()
    procs.procs = [Proc(4242, 1, "java", JAVA, create_time=5.0)]
    clock = SimulatedClock(1_795_000_000.0)
    sampler = Sampler(clock=clock, processes=procs, foreground=None, idle=None, classifier=AppClassifier(),
                      child_uid=UID, content=ContentIndex(Catalog.load().entries(), child_uid=UID, cmdline=cmdline))
    seen = list(_ticks(sampler, clock, 4242, 4))
    assert seen[1:] == ["minecraft"] * 3, seen
    assert cmdline.reads == 2  # read again only until it had arguments; then remembered for the process's life


def test_a_jar_first_seen_mid_exec_is_recognised_and_its_content_learned(tmp_path: Path) -> None:
    jar = tmp_path / ".minecraft" / "versions" / "1.20" / "1.20.jar"
    jar.parent.mkdir(parents=True)
    jar.write_bytes(b"PK\x03\x04 a game's jar")
    cmdline = Exec(["java", "-jar", str(jar)], empty=3)
    index = ContentIndex(Catalog.load().entries(), child_uid=None, cmdline=cmdline)
    java = AppRef("java", "app", "java")
    for _ in range(3):  # still inside exec: the bare interpreter, for now
        assert index.refine(77, 9.0, JAVA, java).id == "java"
    got = index.refine(77, 9.0, JAVA, java)
    assert (got.id, got.kind) == ("minecraft", "game")
    assert index.learned[fingerprint(str(jar))] == ("minecraft", "game")
    assert index.refine(77, 9.0, JAVA, java) is got and cmdline.reads == 4


def test_the_parents_count_it_key_of_an_interpreter_mid_exec_is_read_again(tmp_path: Path) -> None:
    script = tmp_path / "game.py"
    script.write_text("print('a game')\n")
    index = ContentIndex([], child_uid=None, cmdline=Exec(["python3", str(script)]))
    python = "/usr/bin/python3"
    assert index.mark_key(5, 1.0, python, "python3") is None  # no arguments yet: nothing to name
    assert index.mark_key(5, 1.0, python, "python3") == fingerprint(str(script))


def test_an_interpreter_whose_command_line_cannot_be_read_is_looked_at_once() -> None:
    reads: list[int] = []

    def gone(pid: int) -> None:
        reads.append(pid)
        return None

    index = ContentIndex(Catalog.load().entries(), child_uid=None, cmdline=gone)
    java = AppRef("java", "app", "java")
    assert index.refine(8, 1.0, JAVA, java) == java and index.refine(8, 1.0, JAVA, java) == java
    assert reads == [8]
