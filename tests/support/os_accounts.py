"""Real OS accounts and a Python other accounts can run, for tests that act as a child (or another user).

Hermetic on a shared machine: every account this test run makes carries the run's own random tag, so two suites
(or another Sprout) running at once never share, reuse or delete each other's accounts; all are removed when the
session ends (tests/conftest.py). Another account cannot read a checkout that sits in a 0700 folder (/root), so
`foreign_python()` gives an interpreter and an import path it can read: the checkout itself when it is readable by
all, else a copy of the code and its dependencies in a temporary folder.
"""

from __future__ import annotations

import functools
import os
import pwd
import secrets
import shutil
import stat
import subprocess
import sys
import sysconfig
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RUN_TAG = secrets.token_hex(3)
_made: list[str] = []


def can_make_accounts() -> bool:
    return sys.platform.startswith("linux") and os.geteuid() == 0 and shutil.which("useradd") is not None


# The Debian python another account runs (this checkout's venv may sit where that account cannot read).
SYSTEM_PYTHON = "/usr/bin/python3"
ROOT_ONLY = pytest.mark.skipif(not can_make_accounts(), reason="needs root and useradd to make real accounts")


def account_name(base: str) -> str:
    """This run's name for an account: `base` plus the run's tag (at most 32 characters, as useradd wants)."""
    return f"{base[:24]}-{RUN_TAG}"


def account(base: str, *, person: bool = True) -> pwd.struct_passwd:
    """A real account only this run uses: a person's (a login shell) or a system one (nologin)."""
    name = account_name(base)
    try:
        return pwd.getpwnam(name)
    except KeyError:
        pass
    cmd = ["useradd", "--no-create-home", "--shell", "/bin/bash" if person else "/usr/sbin/nologin"]
    if not person:
        cmd.append("--system")
    subprocess.run([*cmd, name], check=True, capture_output=True)
    _made.append(name)
    return pwd.getpwnam(name)


def remove_accounts() -> None:
    while _made:
        subprocess.run(["userdel", _made.pop()], check=False, capture_output=True)


def as_user(who: pwd.struct_passwd, *cmd: str) -> list[str]:
    """The command line that runs `cmd` as `who` (uid, gid, no supplementary groups)."""
    return ["setpriv", f"--reuid={who.pw_uid}", f"--regid={who.pw_gid}", "--clear-groups", *cmd]


def _readable_by_all(path: Path) -> bool:
    """Can any account reach and read `path` (every folder above it searchable, the file itself readable)?"""
    path = path.resolve()
    for folder in [*reversed(path.parents), path]:
        try:
            mode = folder.stat().st_mode
        except OSError:
            return False
        if stat.S_ISDIR(mode) and not mode & stat.S_IXOTH:
            return False
    return bool(path.stat().st_mode & stat.S_IROTH)


@dataclass(frozen=True)
class ForeignPython:
    python: str  # an interpreter every account can run
    env: dict[str, str]  # PYTHONPATH etc. for the project and its dependencies
    cwd: str  # a folder every account can enter


# Large packages no test run as another account needs.
_SKIP = {"PySide6", "shiboken6", "PyInstaller", "_pyinstaller_hooks_contrib", "pip", "setuptools", "pygments",
         "__pycache__"}


@functools.cache
def foreign_python() -> ForeignPython:
    """Python for another account: the tests' own when every account can read it, else a readable copy."""
    site = Path(sysconfig.get_paths()["purelib"])
    candidates = [sys.executable, getattr(sys, "_base_executable", sys.executable),
                  f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}"]
    python = next((c for c in candidates if os.path.exists(c) and _readable_by_all(Path(c))), None)
    if python is None:
        raise RuntimeError(f"no Python {sys.version_info.major}.{sys.version_info.minor} that other accounts can run")
    if python == sys.executable and _readable_by_all(ROOT / "agent" / "__init__.py") and \
            _readable_by_all(site / "psutil" / "__init__.py"):
        return ForeignPython(python, {**os.environ, "PYTHONPATH": str(ROOT)}, str(ROOT))
    # The checkout or the venv is private: copy what the code needs where every account can read it.
    base = Path(tempfile.mkdtemp(prefix="sprout-foreign-"))
    base.chmod(0o755)
    for name in ("agent", "resources"):
        shutil.copytree(ROOT / name, base / "src" / name, ignore=shutil.ignore_patterns("__pycache__"))
    for entry in site.iterdir():
        if entry.name in _SKIP or (entry.name.endswith((".pth", ".dist-info")) and "sprout" in entry.name):
            continue
        target = base / "site" / entry.name
        if entry.is_dir():
            shutil.copytree(entry, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(entry, target)
    for dirpath, dirnames, filenames in os.walk(base):
        for d in dirnames:
            os.chmod(os.path.join(dirpath, d), 0o755)
        for f in filenames:
            p = os.path.join(dirpath, f)
            os.chmod(p, os.stat(p).st_mode | 0o444)
    env = {**os.environ, "PYTHONPATH": f"{base / 'src'}{os.pathsep}{base / 'site'}", "PYTHONNOUSERSITE": "1",
           "PYTHONDONTWRITEBYTECODE": "1"}
    return ForeignPython(python, env, str(base))


@dataclass
class Kid:
    """Whose programs a test's agent counts and closes, and how the test starts them.

    As root: a real account of this run's own, so no other program on this machine (another suite, another Sprout
    that counts this account's programs) is counted or closed, and the test's agent closes nothing of theirs.
    Without root: the test's own account (the test then narrows what its agent sees itself)."""

    uid: int
    folder: Path  # where the test puts programs the kid runs: readable and runnable by the kid
    own_account: bool
    who: pwd.struct_passwd | None = None

    def argv(self, *cmd: str) -> list[str]:
        return as_user(self.who, *cmd) if self.who is not None else list(cmd)

    def program(self, source: str, name: str, subfolder: str = "") -> Path:
        """A copy of `source` under `name` that the kid may run."""
        folder = self.folder / subfolder if subfolder else self.folder
        folder.mkdir(parents=True, exist_ok=True)  # 0755 under the usual umask
        target = folder / name
        shutil.copy(source, target)
        target.chmod(0o755)
        return target


def make_kid(tag: str = "sprout-kid") -> Kid:
    folder = Path(tempfile.mkdtemp(prefix="sprout-kid-"))
    folder.chmod(0o755)
    if can_make_accounts() and shutil.which("setpriv"):
        who = account(tag)
        return Kid(who.pw_uid, folder, True, who)
    return Kid(os.getuid(), folder, False)
