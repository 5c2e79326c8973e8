"""Which OS account is the child's, for the system service — and what the service does before anyone has said.

A PC fresh from its maker has no child account yet (the family makes it at first boot), and a family may install
Sprout before making one. Until the account is named, the service runs **waiting for the child's account**: the web
filter, the parent link (pairing) and the companion (for every person's login, so the pairing code greets the
family) all work, and nothing is counted, locked or closed — there is no child session to count. The parent is told
once per start, in plain words, what to do.

The account is named with `sudo sprout-agent set-child NAME`, which writes `SPROUT_CHILD_ARGS="--child-user NAME"`
into the service's environment file (STATE/agent.env, read by the systemd unit). The running service checks that
file every few seconds and, when it names another account than the one it runs for, stops cleanly so that systemd
starts it again with the new account (the unit refuses a manual restart without the parent PIN, so the service
does it itself). Changing an account already chosen needs the parent PIN (`sprout-agent unlock --action
change-files`), like any change to Sprout's files.
"""

from __future__ import annotations

import argparse
import itertools
import logging
import re
import shlex
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from agent.errors import CliError
from agent.os.account import ACCOUNT, user_by_name, user_by_uid

log = logging.getLogger(__name__)

ENV_KEY = "SPROUT_CHILD_ARGS"
ENV_FILE = "agent.env"
CHECK_EVERY_S = 5.0
NO_LOGIN_SHELLS = ("nologin", "false")
_PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]{0,31}")  # nothing systemd's quoting or word splitting touches


class NoProcesses:
    """The process source while no child account is chosen: nobody's programs are counted or closed."""

    def snapshot(self) -> list[Any]:
        return []


class NoChildSession:
    """The idle source while no child account is chosen: always "no child session", which is never counted."""

    def idle_seconds(self) -> float | None:
        return None

    def locked(self) -> bool:
        return True


def login_range(login_defs: Path = Path("/etc/login.defs")) -> tuple[int, int]:
    """UID_MIN and UID_MAX of this system's people accounts (Debian's defaults: 1000 and 60000)."""
    lo, hi = 1000, 60000
    try:
        for line in login_defs.read_text(encoding="utf-8", errors="replace").splitlines():
            parts = line.split()
            if len(parts) >= 2 and parts[1].isdigit():
                if parts[0] == "UID_MIN":
                    lo = int(parts[1])
                elif parts[0] == "UID_MAX":
                    hi = int(parts[1])
    except OSError:
        pass
    return lo, hi


def is_person(uid: int, login_defs: Path = Path("/etc/login.defs")) -> bool:
    """An account a person logs in with (not root, not a system or service account, not nologin)."""
    entry = user_by_uid(uid)
    if entry is None:
        return False
    lo, hi = login_range(login_defs)
    return lo <= uid <= hi and Path(entry.shell).name not in NO_LOGIN_SHELLS


def child_from_env(env_file: Path) -> str | None:
    """The account named in the environment file's SPROUT_CHILD_ARGS (`--child-user NAME` or `--child-uid N`),
    or None when the file or the line is missing."""
    try:
        lines = env_file.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    found = None
    for line in lines:
        key, sep, value = line.strip().partition("=")
        if sep and key.strip() == ENV_KEY:
            try:  # KEY="--child-user NAME": the quotes are systemd's, the words inside are the arguments
                words = " ".join(shlex.split(value)).split()
            except ValueError:
                continue
            for flag, arg in itertools.pairwise(words):
                if flag in ("--child-user", "--child-uid"):
                    found = arg
    return found


def write_child_env(env_file: Path, name: str, uid: int) -> None:
    """Set SPROUT_CHILD_ARGS in the environment file, keeping every other line (the resolvers in use before
    Sprout live there too). A login name systemd could misread is written as its uid instead."""
    from agent.fileio import atomic_write

    try:
        kept = [line for line in env_file.read_text(encoding="utf-8").splitlines()
                if line.strip().partition("=")[0].strip() != ENV_KEY]
    except FileNotFoundError:
        kept = []
    arg = f"--child-user {name}" if _PLAIN_NAME.fullmatch(name) else f"--child-uid {uid}"
    kept.append(f'{ENV_KEY}="{arg}"')
    atomic_write(env_file, ("\n".join(kept) + "\n").encode("utf-8"))
    env_file.chmod(0o644)


def resolve_account(name: str) -> int:
    """The uid of a child's account name (or a uid in digits); CliError when it is not a person's account."""
    entry = user_by_uid(int(name)) if name.isdigit() else user_by_name(name)
    if entry is None:
        raise CliError(f"{name!r}: no such account on this PC (make the child's account first)")
    if not is_person(entry.uid):
        lo, hi = login_range()
        raise CliError(f"{name!r} (uid {entry.uid}): not an account a person logs in with "
                       f"(people's accounts have uids {lo}–{hi} and a login shell)")
    return entry.uid


class ChildWatch:
    """Stops the service when the environment file names another child account than the one it runs for (None:
    none chosen yet), so that systemd starts it again with that account."""

    def __init__(self, env_file: Path, running_for: int | None, stop: Callable[[], None],
                 every_s: float = CHECK_EVERY_S) -> None:
        self.env_file = env_file
        self.running_for = running_for  # the uid the service counts now (None: waiting for one)
        self.stop_service = stop
        self.every_s = every_s
        self.changed_to: str | None = None
        self._seen: tuple[int, int] | None = None  # the file's (mtime, size) at the last look: unchanged, skip
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="child-watch", daemon=True)

    def start(self) -> ChildWatch:
        self._thread.start()
        return self

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)

    def check(self) -> bool:
        try:
            st = self.env_file.stat()
            seen: tuple[int, int] | None = (st.st_mtime_ns, st.st_size)
        except OSError:
            seen = None
        if seen is not None and seen == self._seen:
            return False  # read and judged already; a 5 s tick should cost a stat, not a parse and account lookups
        self._seen = seen
        named = child_from_env(self.env_file)
        if named is None:
            return False
        try:
            uid = resolve_account(named)
        except CliError as exc:
            log.warning("%s names the child's account %s, which cannot be used: %s", self.env_file, named, exc)
            return False
        if uid == self.running_for:  # compared as uids: "an" and "1001" may be the same account
            return False
        self.changed_to = named
        log.info("the child's account is now %s (%s): restarting to apply it", named, self.env_file)
        self.stop_service()
        return True

    def _run(self) -> None:
        while not self._stop.wait(self.every_s):
            try:
                if self.check():
                    return
            except Exception:  # reading a file must never end the service
                log.exception("checking %s failed", self.env_file)


# ---- `sprout-agent set-child NAME` ----------------------------------------------------------------------------

def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("set-child", help="name the child's OS account for the service (a PC's first setup)")
    p.add_argument("account", metavar="NAME", help="the child's login name (or uid)")
    p.add_argument("--state", type=Path, default=Path("/var/lib/sprout"), help="the service's state folder")
    p.set_defaults(func=_cmd_set_child)


def _cmd_set_child(args: argparse.Namespace) -> int:
    from agent.service.protect import Guard

    if ACCOUNT.is_superuser() is False:
        raise CliError("set-child: run it as root (sudo sprout-agent set-child NAME)")
    uid = resolve_account(args.account)
    found = user_by_uid(uid)
    assert found is not None  # resolve_account found it
    name = found.name
    env_file = args.state / ENV_FILE
    current = child_from_env(env_file)
    if current == name:
        print(f"set-child: {name} is already the child's account")
        return 0
    guard = Guard(args.state)
    if current is not None and guard.has_pin() and not guard.consume_grant("change-files").allowed:
        raise CliError(f"set-child: the child's account is {current} and the parent PIN is set: run "
                       "`sprout-agent unlock --action change-files` first")
    if not args.state.is_dir():
        raise CliError(f"set-child: --state {args.state}: no such folder (is Sprout installed?)")
    write_child_env(env_file, name, uid)
    from agent.os.admin import admin_status

    status = admin_status(name)
    warning = ("\n  warning: this account is an administrator, so it could switch Sprout off; make it a standard "
               "account" if status.is_admin else "")
    print(f"set-child: the child's account is now {name} (uid {uid}); the service applies it within "
          f"{CHECK_EVERY_S:.0f} seconds{warning}", file=sys.stdout)
    return 0
