"""agent.store.sqlite: the one SQLite file opener and IMMEDIATE-transaction helper (store, link state, family)."""

from __future__ import annotations

import stat
import threading

import pytest

from agent.store import sqlite


def test_a_new_file_is_private_and_in_wal_mode(tmp_path):
    conn = sqlite.connect(tmp_path / "x.sqlite", synchronous="NORMAL")
    try:
        assert stat.S_IMODE((tmp_path / "x.sqlite").stat().st_mode) == 0o600
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1
    finally:
        conn.close()


def test_all_of_a_change_or_none_of_it(tmp_path):
    conn, lock = sqlite.connect(tmp_path / "x.sqlite"), threading.RLock()
    conn.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)")
    with sqlite.transaction(conn, lock) as db:
        db.execute("INSERT INTO t VALUES ('a', 1)")
    with pytest.raises(RuntimeError), sqlite.transaction(conn, lock) as db:
        db.execute("INSERT INTO t VALUES ('b', 2)")
        raise RuntimeError("stop half-way")
    with pytest.raises(Exception), sqlite.transaction(conn, lock) as db:  # noqa: B017 - sqlite3.IntegrityError
        db.execute("INSERT INTO t VALUES ('c', 3)")
        db.execute("INSERT INTO t VALUES ('a', 4)")
    assert not conn.in_transaction
    assert sqlite.query(conn, "SELECT k, v FROM t ORDER BY k") == [{"k": "a", "v": 1}]
    conn.close()
