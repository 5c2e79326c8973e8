"""Keeping a damaged database aside (never deleting it) so that a fresh one can start in its place."""

from __future__ import annotations

import os
import time
from pathlib import Path

SIDE_FILES = ("-wal", "-shm")
SQLITE_HEADER = b"SQLite format 3\x00"
HEADER_BYTES = 100


def header_problem(path: Path) -> str | None:
    """Why `path` cannot be a SQLite database judging by its first bytes, or None (absent and empty are fine)."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return None
    if size == 0:
        return None
    with path.open("rb") as f:
        head = f.read(HEADER_BYTES)
    magic = head[: len(SQLITE_HEADER)]
    if magic != SQLITE_HEADER[: len(magic)]:
        return "not a SQLite database (bad header)"
    if len(head) < HEADER_BYTES:
        return f"truncated: {size} bytes, shorter than a SQLite header"
    return None


def side_files(path: Path) -> list[Path]:
    return [p for p in (path.with_name(path.name + s) for s in SIDE_FILES) if p.exists()]


def move_aside(path: Path, when: float) -> tuple[Path, tuple[Path, ...]]:
    """Rename NAME (and NAME-wal, NAME-shm) to NAME.corrupt-YYYYMMDDTHHMMSS[-N] (UTC); return the new names.

    The journal files keep their suffix after the new name, so the kept copy still opens as one database.
    The main file goes first: a crash half-way leaves an orphan journal, which open() also moves aside.
    """
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime(when))
    base = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while base.exists() or any(base.with_name(base.name + s).exists() for s in SIDE_FILES):
        base = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
        n += 1
    main = base if path.exists() else None
    if main is not None:
        os.replace(path, main)
    moved: list[Path] = []
    for suffix in SIDE_FILES:
        src = path.with_name(path.name + suffix)
        if src.exists():
            dst = base.with_name(base.name + suffix)
            os.replace(src, dst)
            moved.append(dst)
    return (main or base), tuple(moved)
