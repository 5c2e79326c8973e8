"""A child who renames and copies programs: a game that hit its limit copied to ~/homework/mathsolver, a game or any
program renamed to a school app's name. As a child would: a real unprivileged account copies and starts real
executables in a folder it owns; the service-mode core (counting that account) with its real process source and
closer. The game is a unique executable (a copy of `sleep` with its own trailing bytes: ELF ignores them), so its
content is its own, as a real game's is.

The only stand-in is the desktop's answer to "which window is focused" (no window manager runs here): `FocusOn`
names the child's process, as the X11 adapter does for a focused window (tests/agent/os/test_x11.py covers that part).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path
from types import SimpleNamespace

from agent.catalog import Catalog
from agent.catalog.content import ContentIndex
from agent.ledger.sample import AppRef
from tests.support.child_core import kid_space as kid_space  # a fixture
from tests.support.child_core import service_core
from tests.support.child_programs import as_kid, kid_copies, kid_home, today, unique_program
from tests.support.child_programs import kid as kid  # a fixture
from tests.support.enforcement import SLEEP, run_until
from tests.support.os_accounts import ROOT_ONLY


class FocusOn:
    """Stand-in for the desktop: the focused window belongs to this process (None: nothing focused)."""

    def __init__(self) -> None:
        self.pid: int | None = None

    def current(self) -> SimpleNamespace | None:
        return SimpleNamespace(pid=self.pid, name=None) if self.pid else None


@ROOT_ONLY
def test_a_game_copied_to_homework_after_its_limit_is_still_that_game(tmp_path: Path, kid, kid_space) -> None:  # type: ignore[no-untyped-def]
    home = kid_home(kid_space, kid)
    game = unique_program(home, kid, "Minecraft")
    core = service_core(tmp_path, kid.pw_uid, None)
    first = as_kid(kid, str(game), "600")
    copy = None
    try:
        run_until(core, lambda ds: any(d.kind == "close" for d in ds), timeout=30)
        first.wait(timeout=10)
        played = today(core).per_game_s["minecraft"]
        assert played >= 120
        # The limit is reached. The child copies the game into homework under another name and starts it.
        kid_copies(kid, game, home / "homework" / "mathsolver")
        copy = as_kid(kid, str(home / "homework" / "mathsolver"), "600")
        time.sleep(0.3)
        decisions = run_until(core, lambda ds: any(d.kind == "close" for d in ds), timeout=30)
        assert {d.target for d in decisions if d.kind == "close"} == {"minecraft"}
        copy.wait(timeout=10)  # closed: it is the same game, whose time is up
        for _ in range(20):  # the closing worker reports back on a later tick
            core.tick()
            done = [e.payload for e in core.store.events() if e.kind == "enforced"]
            if any(d["pid"] == copy.pid for d in done):
                break
            time.sleep(0.1)
        assert {(d["pid"], d["target"]) for d in done} >= {(first.pid, "minecraft"), (copy.pid, "minecraft")}
        assert core.sampler.content.learned  # learned from the game's first run under its own name
    finally:
        first.kill()
        if copy is not None:
            copy.kill()


@ROOT_ONLY
def test_a_program_renamed_to_a_school_app_earns_no_free_time(tmp_path: Path, kid, kid_space) -> None:  # type: ignore[no-untyped-def]
    home = kid_home(kid_space, kid)
    game = unique_program(home, kid, "Minecraft")
    other = unique_program(home, kid, "someplayer")
    focus = FocusOn()
    core = service_core(tmp_path, kid.pw_uid, None)
    core.sampler.foreground = focus
    procs: list[subprocess.Popen] = []
    try:
        # The game once under its own name (learned), then renamed to GeoGebra's Linux name and focused.
        procs.append(as_kid(kid, str(game), "600"))
        time.sleep(0.3)
        focus.pid = procs[-1].pid
        core.tick()
        procs[-1].kill()
        procs[-1].wait()
        kid_copies(kid, game, home / "homework" / "geogebra")
        procs.append(as_kid(kid, str(home / "homework" / "geogebra"), "600"))
        time.sleep(0.3)
        focus.pid = procs[-1].pid
        games_before = today(core).games_s
        run_until(core, lambda ds: any(d.kind == "close" and d.target == "minecraft" for d in ds), timeout=30)
        procs[-1].wait(timeout=10)
        assert today(core).games_s - games_before >= 60  # game time ran: it is Minecraft whatever its name
        # Any other program renamed to Anki (a school app) and focused: ordinary screen time, not free time.
        kid_copies(kid, other, home / "homework" / "anki")
        procs.append(as_kid(kid, str(home / "homework" / "anki"), "600"))
        time.sleep(0.3)
        focus.pid = procs[-1].pid
        screen_before = today(core).screen_s
        run_until(core, lambda ds: today(core).screen_s - screen_before >= 60, timeout=30)
        assert today(core).per_app_s.get("anki", 0) >= 60 and "anki" not in {a for a in today(core).per_game_s}
    finally:
        for p in procs:
            p.kill()


def test_the_real_school_app_still_counts_as_school(tmp_path: Path) -> None:
    """Where the child cannot write (root-owned, not group/other-writable, all the way up): the real program."""
    catalog = Catalog.load()
    folder = tmp_path / "opt" / "anki"
    folder.mkdir(parents=True)
    for d in (tmp_path, tmp_path / "opt", folder):
        os.chmod(d, 0o755)
    exe = folder / "anki"
    shutil.copy(SLEEP, exe)
    os.chmod(exe, 0o755)
    index = ContentIndex(catalog.entries(), child_uid=4242, service_uids=(os.geteuid(),))
    ref = AppRef("anki", "school", "anki")
    assert index.refine(1, 1.0, str(exe), ref).kind == "school"
    os.chmod(folder, 0o777)  # anyone may now replace the file: no longer trusted
    index2 = ContentIndex(catalog.entries(), child_uid=4242, service_uids=(os.geteuid(),))
    assert index2.refine(1, 1.0, str(exe), ref).kind == "app"
    assert index2.refine(2, 1.0, None, ref).kind == "app"  # unknown file: never school by name alone


def test_generic_runtimes_and_system_copies_are_never_learned(tmp_path: Path) -> None:
    catalog = Catalog.load()
    index = ContentIndex(catalog.entries(), child_uid=None)
    java = tmp_path / "javaw"
    shutil.copy(SLEEP, java)
    # javaw running Minecraft (classified by its launcher): java's bytes run everything, never learned
    assert index.refine(1, 1.0, str(java), AppRef("minecraft", "game", "javaw")).id == "minecraft"
    assert index.learned == {}
    # a copy of a system program named like a game: learned, then forgotten when the system's own copy runs
    fake = tmp_path / "Minecraft"
    shutil.copy(SLEEP, fake)
    index.refine(2, 1.0, str(fake), AppRef("minecraft", "game", "minecraft"))
    assert len(index.learned) == 1
    assert index.refine(3, 1.0, SLEEP, AppRef("sleep", "app", "sleep")).id == "sleep"
    assert index.learned == {}
    assert index.refine(4, 1.0, str(tmp_path / "nothing"), AppRef("x", "app", "x")).id == "x"


def test_files_are_read_once_and_only_after_a_game_is_learned(tmp_path: Path) -> None:
    catalog = Catalog.load()
    index = ContentIndex(catalog.entries(), child_uid=None)
    exe = tmp_path / "tool"
    shutil.copy(SLEEP, exe)
    for pid in range(100):
        index.refine(pid, 1.0, str(exe), AppRef("tool", "app", "tool"))
    assert index.hashed == 0  # nothing learned yet: nothing read
    game = tmp_path / "Minecraft"
    shutil.copy(SLEEP, game)
    with open(game, "ab") as f:
        f.write(b"own bytes")
    index.refine(1000, 1.0, str(game), AppRef("minecraft", "game", "minecraft"))
    for pid in range(100, 400):
        index.refine(pid, 1.0, str(exe), AppRef("tool", "app", "tool"))
    assert index.hashed == 2  # the game once, the tool once for 300 processes
