"""Programs the child copies, renames and runs from its own account: `kid` (a real account, setpriv), its home in a
folder it can reach, copies made as the child, a program with a build-id of its own, and the day the core counts."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.child_core import KID
from tests.support.enforcement import SLEEP
from tests.support.os_accounts import account


def as_kid(kid, *argv: str) -> subprocess.Popen:  # type: ignore[no-untyped-def]
    return subprocess.Popen(["setpriv", f"--reuid={kid.pw_uid}", f"--regid={kid.pw_gid}", "--clear-groups", *argv])


def kid_home(space: Path, kid) -> Path:  # type: ignore[no-untyped-def]
    home = space / "home-kid"
    (home / "homework").mkdir(parents=True)
    for d in (home, home / "homework"):
        os.chown(d, kid.pw_uid, kid.pw_gid)
    return home


def new_build_id(exe: Path) -> str:
    """Give an ELF copy a build-id of its own, as a separately built program has (it still runs)."""
    from elftools.elf.elffile import ELFFile

    with open(exe, "rb") as f:
        elf = ELFFile(f)
        for seg in elf.iter_segments():
            if seg["p_type"] != "PT_NOTE":
                continue
            for note in seg.iter_notes():
                if note["n_type"] == "NT_GNU_BUILD_ID":
                    size = note["n_descsz"]
                    at = note["n_offset"] + 12 + ((note["n_namesz"] + 3) // 4) * 4
                    break
            else:
                continue
            break
        else:
            raise AssertionError(f"{exe} has no build-id note")
    fresh = secrets.token_bytes(size)
    with open(exe, "r+b") as f:
        f.seek(at)
        f.write(fresh)
    return fresh.hex()


def unique_program(home: Path, kid, name: str) -> Path:  # type: ignore[no-untyped-def]
    """A program with content of its own (its own bytes and its own build-id, as a real game has), installed by
    the child where the child may write."""
    exe = home / name
    shutil.copy(SLEEP, exe)
    new_build_id(exe)
    with open(exe, "ab") as f:
        f.write(secrets.token_bytes(64))
    os.chown(exe, kid.pw_uid, kid.pw_gid)
    os.chmod(exe, 0o755)
    return exe


def kid_copies(kid, src: Path, dst: Path) -> None:  # type: ignore[no-untyped-def]
    assert as_kid(kid, "cp", str(src), str(dst)).wait(timeout=10) == 0


@pytest.fixture()
def kid():  # type: ignore[no-untyped-def]
    if not shutil.which("setpriv"):
        pytest.skip("needs setpriv to run as the child")
    return account(KID, person=True)


def today(core):  # type: ignore[no-untyped-def]
    return core.ledger.days[core.ledger.local_day(core.clock.now())]
