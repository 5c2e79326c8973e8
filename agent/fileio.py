"""Writing small files so that a crash leaves either the old content or the new, never half of either.

The one atomic write of the project (policies, OEM settings, protection state, key files, port files): agent/ and,
through agent.store's vault, app/ use it; nothing else opens a temp file and renames it.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from agent.os.files import FILE_RULES


def atomic_write(path: Path, data: bytes, mode: int = 0o644, *, exclusive: bool = False) -> bool:
    """Write `data` to `path` with `mode` via a new temporary file (created with that mode, so it is never briefly
    readable by more people than the final file; O_NOFOLLOW, so a planted symlink is not written through), fsync
    it, then rename it over `path` and fsync the folder. A symlink at `path` is replaced itself, never written
    through (its target, e.g. systemd's stub resolv.conf, stays untouched).

    exclusive=True never replaces: it returns False when `path` already exists (two processes creating the same
    key: the first one wins, the other reads it)."""
    try:
        with _temp_then_placed(Path(path), mode, _link_new if exclusive else _replace) as fh:
            fh.write(data)
    except _NameTaken:
        return False
    return True


@contextlib.contextmanager
def atomic_writer(path: Path, mode: int = 0o644) -> Iterator[IO[bytes]]:
    """atomic_write for data written in pieces (an index of millions of names, a list file): a binary file that
    replaces `path` only if the block finishes; an exception leaves the old file and no temp file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _temp_then_placed(path, mode, _replace) as fh:
        yield fh


class _NameTaken(Exception):
    """An exclusive write found `path` already there (its own type: a FileExistsError from the temp file's
    O_EXCL must not pass for it)."""


@contextlib.contextmanager
def _temp_then_placed(path: Path, mode: int, place: Callable[[Path, Path], None]) -> Iterator[IO[bytes]]:
    """What atomic_write and atomic_writer share: the temporary file beside `path` for the block to write, fsynced,
    then put at `path` by `place(tmp, path)` and the folder fsynced; a failure anywhere leaves no temp file."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.sprout-tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), mode)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)  # the umask may have narrowed it at creation
        place(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def _replace(tmp: Path, path: Path) -> None:
    if path.is_symlink():
        path.unlink()
    os.replace(tmp, path)


def _link_new(tmp: Path, path: Path) -> None:
    try:
        os.link(tmp, path)  # fails if the name exists, whatever wrote it
    except FileExistsError:
        raise _NameTaken from None
    finally:
        tmp.unlink(missing_ok=True)


def atomic_write_json(path: Path, doc: Any, mode: int = 0o644, *, indent: int | None = None) -> None:
    """A JSON document (sorted keys, UTF-8) written with atomic_write."""
    text = json.dumps(doc, indent=indent, ensure_ascii=False, sort_keys=True) + ("\n" if indent else "")
    atomic_write(Path(path), text.encode("utf-8"), mode)


def fsync_dir(folder: Path) -> None:
    """Make a rename in `folder` durable (how, per OS: agent/os/files.py)."""
    FILE_RULES.fsync_dir(folder)
