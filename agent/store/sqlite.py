"""The project's SQLite habits in one place: a private file opened in WAL mode, and one IMMEDIATE transaction
helper (all of a change or none of it, the write lock taken up front so two writers never deadlock on upgrade).
Used by the encrypted store, the link's pairing state and the console's family file."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any


def connect(path: Path, *, timeout: float = 30.0, synchronous: str | None = None) -> sqlite3.Connection:
    """A connection to `path` (created 0600 if missing: it holds family data) in autocommit mode, WAL journal,
    usable from the threads that share the caller's lock."""
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
    conn = sqlite3.connect(path, timeout=timeout, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    if synchronous is not None:
        conn.execute(f"PRAGMA synchronous={'NORMAL' if synchronous == 'NORMAL' else 'FULL'}")
    return conn


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection, lock: Any) -> Iterator[sqlite3.Connection]:
    """One IMMEDIATE transaction under `lock`: committed when the block ends, rolled back if it raises (or if the
    COMMIT itself fails), so no half-applied change is ever left behind."""
    with lock:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise


def query(conn: sqlite3.Connection, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    """Rows as dicts keyed by column name."""
    cur = conn.execute(sql, params)
    names = [d[0] for d in cur.description or ()]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


class Locked:
    """A connection and the one lock its users share, with the two things every holder needs: an IMMEDIATE
    transaction under that lock, and closing under it (a callback on another thread may be inside a query)."""

    def __init__(self, conn: sqlite3.Connection, lock: Any = None) -> None:
        self.conn = conn
        self.lock = lock if lock is not None else threading.RLock()

    def tx(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        return transaction(self.conn, self.lock)

    def close(self) -> None:
        with self.lock:
            self.conn.close()
