"""What an executable says about itself is part of what it is: the ELF build-id note (which survives bytes appended
to change its fingerprint) and the Windows version resource (ProductName / OriginalFilename, which survive a renamed
.exe). Read with pyelftools and pefile.

As a child would: a real unprivileged account copies a game that hit its limit, appends bytes to it so its content
fingerprint is new, renames it and runs it from homework; the service-mode core counts that account. The Windows
part reads a real PE file (built by tests/support/pe_sample.py, parsed by pefile); only the process table of a Windows PC
or of wine is a stand-in there (this machine runs neither).
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import time
from pathlib import Path

from agent.catalog import Catalog
from agent.catalog.binmeta import elf_build_id, identity_key, pe_version_info
from agent.catalog.content import ContentIndex, fingerprint
from agent.ledger.sample import AppRef
from tests.support.child_core import kid_space as kid_space  # a fixture
from tests.support.child_core import service_core
from tests.support.child_programs import as_kid, kid_copies, kid_home, today, unique_program
from tests.support.child_programs import kid as kid  # a fixture
from tests.support.enforcement import SLEEP, run_until
from tests.support.os_accounts import ROOT_ONLY
from tests.support.pe_sample import build_pe

MINECRAFT_PE = {"ProductName": "Minecraft", "FileDescription": "Minecraft", "OriginalFilename": "Minecraft.exe",
                "CompanyName": "Mojang Studios"}


def test_metadata_is_read_where_present_and_nothing_breaks_where_it_is_not(tmp_path: Path) -> None:
    assert elf_build_id(SLEEP) and len(elf_build_id(SLEEP) or "") >= 16
    exe = tmp_path / "game.exe"
    exe.write_bytes(build_pe(MINECRAFT_PE))
    assert pe_version_info(str(exe)) == MINECRAFT_PE
    assert identity_key(str(exe)) == "pe:minecraft|minecraft.exe|mojang studios"
    # not executables, truncated, garbage behind a valid magic, a folder, a missing file: simply no metadata
    (tmp_path / "text").write_text("hello")
    (tmp_path / "trunc").write_bytes(Path(SLEEP).read_bytes()[:100])
    (tmp_path / "fake.exe").write_bytes(b"MZ" + secrets.token_bytes(4000))
    (tmp_path / "fake-elf").write_bytes(b"\x7fELF" + secrets.token_bytes(4000))
    for name in ("text", "trunc", "fake.exe", "fake-elf", "nothing"):
        assert identity_key(str(tmp_path / name)) is None, name
    assert identity_key(str(tmp_path)) is None


@ROOT_ONLY
def test_a_game_with_bytes_appended_is_still_that_game_by_its_build_id(tmp_path: Path, kid, kid_space) -> None:  # type: ignore[no-untyped-def]
    home = kid_home(kid_space, kid)
    game = unique_program(home, kid, "Minecraft")
    other = unique_program(home, kid, "editor")
    core = service_core(tmp_path, kid.pw_uid, None)
    procs: list[subprocess.Popen] = []
    try:
        procs.append(as_kid(kid, str(game), "600"))
        run_until(core, lambda ds: any(d.kind == "close" and d.target == "minecraft" for d in ds), timeout=60)
        procs[-1].wait(timeout=30)
        assert today(core).per_game_s["minecraft"] >= 120
        assert core.sampler.content.learned_meta == {f"elf:{elf_build_id(str(game))}": ("minecraft", "game")}
        # The limit is reached. The child copies the game to homework as `notes`, appends bytes so its fingerprint
        # is new, and runs it.
        notes = home / "homework" / "notes"
        kid_copies(kid, game, notes)
        assert as_kid(kid, "sh", "-c", f"head -c 4096 /dev/urandom >> {notes}").wait(10) == 0
        assert fingerprint(str(notes)) != fingerprint(str(game))
        procs.append(as_kid(kid, str(notes), "600"))
        run_until(core, lambda ds: any(d.kind == "close" and d.target == "minecraft" for d in ds), timeout=60)
        procs[-1].wait(timeout=30)
        # A different program of the child's (its own build-id) is still just that program.
        procs.append(as_kid(kid, str(other), "600"))
        # Until the account switch (setpriv) has exec'd the program, the pid is setpriv's: wait for the program.
        deadline = time.monotonic() + 60
        while True:
            obs = core.sampler.observe()
            ids = {app for app, ps in obs.pids.items() if any(pid == procs[-1].pid for pid, _ in ps)}
            if (ids and ids != {"setpriv"}) or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        assert ids == {"editor"}
    finally:
        for p in procs:
            p.kill()


def test_a_system_programs_build_id_is_never_learned_as_a_game(tmp_path: Path) -> None:
    """A copy of `sleep` named Minecraft teaches sleep's build-id; the system's own sleep running then unteaches it,
    so no program built as `sleep` ever counts as Minecraft."""
    index = ContentIndex(Catalog.load().entries(), child_uid=None)
    fake = tmp_path / "Minecraft"
    shutil.copy(SLEEP, fake)
    with open(fake, "ab") as f:
        f.write(b"own bytes")
    index.refine(1, 1.0, str(fake), AppRef("minecraft", "game", "minecraft"))
    assert index.learned_meta
    assert index.refine(2, 1.0, SLEEP, AppRef("sleep", "app", "sleep")).id == "sleep"
    assert index.learned_meta == {}
    again = tmp_path / "again"
    shutil.copy(fake, again)
    assert index.refine(3, 1.0, str(again), AppRef("again", "app", "again")).kind == "game"  # still its bytes
    with open(again, "ab") as f:
        f.write(b"more")
    assert index.refine(4, 1.0, str(again), AppRef("again2", "app", "again2")).id == "again2"
    # and what was learned survives a restart of the service
    state = index.to_state()
    fresh = ContentIndex(Catalog.load().entries(), child_uid=None)
    fresh.load_state(state)
    assert fresh.learned == index.learned and fresh.learned_meta == {}


def test_a_renamed_windows_game_is_known_by_its_version_resource(tmp_path: Path) -> None:
    """On Windows a game renamed to homework.exe keeps ProductName/OriginalFilename; bytes appended do not help."""
    exe = tmp_path / "Users" / "kid" / "Documents" / "homework.exe"
    exe.parent.mkdir(parents=True)
    exe.write_bytes(build_pe(MINECRAFT_PE, junk=secrets.token_bytes(512)))
    index = ContentIndex(Catalog.load().entries(), child_uid=None, platform="win32")
    got = index.refine(10, 1.0, str(exe), AppRef("homework", "app", "homework.exe"))
    assert (got.id, got.kind) == ("minecraft", "game")
    school = tmp_path / "MathSolver.exe"
    school.write_bytes(build_pe(MINECRAFT_PE))  # the game renamed to a school app's name: still the game
    got = index.refine(11, 1.0, str(school), AppRef("microsoft-math", "school", "MathSolver.exe"))
    assert (got.id, got.kind) == ("minecraft", "game")
    plain = tmp_path / "notepad.exe"
    plain.write_bytes(build_pe({"ProductName": "Notepad", "OriginalFilename": "notepad.exe"}))
    assert index.refine(12, 1.0, str(plain), AppRef("notepad", "app", "notepad.exe")).id == "notepad"


def test_a_windows_game_run_by_wine_under_another_name_is_that_game(tmp_path: Path) -> None:
    """wine runs `homework.exe`: the .exe in its arguments is read, not wine. (Stand-in: the process table of a
    PC running wine — its command line — since this machine has no wine.)"""
    exe = tmp_path / "homework.exe"
    exe.write_bytes(build_pe(MINECRAFT_PE))
    index = ContentIndex(Catalog.load().entries(), child_uid=None,
                         cmdline=lambda pid: (["wine64-preloader", "homework.exe"], str(tmp_path)))
    got = index.refine(20, 1.0, "/usr/lib/wine/wine64-preloader", AppRef("wine64-preloader", "app", "wine64-preloader"))
    assert (got.id, got.kind) == ("minecraft", "game")
    assert fingerprint(str(exe)) in index.learned  # and its bytes are now known too
    assert os.path.exists(exe)
