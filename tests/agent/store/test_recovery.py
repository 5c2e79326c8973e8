"""A damaged database is never replaced silently: kept aside (with its -wal/-shm), reported, a new one started."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from agent.store import EncryptedStore, StoreError

KEY = bytes(range(32))
DAY = "2026-12-01"
WHEN = time.mktime((2026, 12, 1, 20, 30, 5, 0, 0, 0)) - time.timezone  # 2026-12-01T20:30:05 UTC
STAMP = "20261201T203005"


def fixed_clock() -> float:
    return WHEN


def filled(path: Path, n: int = 400) -> None:
    with EncryptedStore.open(path, KEY) as store:
        store.add_events([("app", {"n": i, "pad": "x" * 200}, DAY, float(i)) for i in range(n)])
        store.put_summary(DAY, {"screen_s": 1})


def reopen_after_damage(path: Path) -> EncryptedStore:
    store = EncryptedStore.open(path, KEY, clock=fixed_clock)
    assert store.recovery is not None
    # The new database is empty, encrypted with the same key and fully usable.
    assert store.events() == [] and store.summary(DAY) is None
    assert store.add_event("app", {"after": True}, day=DAY, at=1.0) == 1
    return store


def test_garbage_file_is_kept_aside_and_reported(tmp_path):
    path = tmp_path / "agent.db"
    garbage = b"this is not a database, it is a shopping list\n" * 100
    path.write_bytes(garbage)
    store = reopen_after_damage(path)
    report = store.recovery
    assert report.where == path and report.what == "not a SQLite database (bad header)"
    assert report.moved_to == tmp_path / f"agent.db.corrupt-{STAMP}"
    assert report.moved_to.read_bytes() == garbage
    assert str(report.moved_to) in str(report) and "new empty database" in str(report)
    store.close()


def test_truncated_file_and_its_wal_are_kept_aside_together(tmp_path):
    path = tmp_path / "agent.db"
    filled(path)
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    original = path.read_bytes()
    path.write_bytes(original[: len(original) // 2])
    (tmp_path / "agent.db-wal").write_bytes(b"")  # a journal beside it must travel with it
    store = reopen_after_damage(path)
    report = store.recovery
    assert report.moved_to == tmp_path / f"agent.db.corrupt-{STAMP}"
    assert report.moved_to.read_bytes() == original[: len(original) // 2]
    assert (tmp_path / f"agent.db.corrupt-{STAMP}-wal").exists()
    assert tmp_path / f"agent.db.corrupt-{STAMP}-wal" in report.extra_files  # -shm too, once SQLite opened it
    assert "quick_check" in report.what or "SQLite reports" in report.what
    store.close()


def test_file_shorter_than_a_header_is_truncated(tmp_path):
    path = tmp_path / "agent.db"
    filled(path, 1)
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    path.write_bytes(path.read_bytes()[:60])
    store = reopen_after_damage(path)
    assert store.recovery.what == "truncated: 60 bytes, shorter than a SQLite header"
    store.close()


def test_damaged_btree_page_fails_quick_check(tmp_path):
    path = tmp_path / "agent.db"
    filled(path)
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'events'").fetchone()[0]
    data = bytearray(path.read_bytes())
    start = (root - 1) * page_size
    data[start: start + 64] = b"\xa5" * 64  # the events table's root page header: a btree SQLite cannot walk
    path.write_bytes(bytes(data))
    store = reopen_after_damage(path)
    assert store.recovery.what.startswith(("PRAGMA quick_check failed", "SQLite reports"))
    assert store.recovery.moved_to.read_bytes() == bytes(data)
    store.close()


def test_a_foreign_sqlite_file_is_not_adopted(tmp_path):
    path = tmp_path / "agent.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
        conn.execute("INSERT INTO recipes VALUES ('phở')")
    store = reopen_after_damage(path)
    assert "not a Sprout store" in store.recovery.what and "recipes" in store.recovery.what
    with sqlite3.connect(store.recovery.moved_to) as conn:
        assert conn.execute("SELECT name FROM recipes").fetchall() == [("phở",)]
    store.close()


def test_journal_without_its_database_is_kept_aside(tmp_path):
    path = tmp_path / "agent.db"
    (tmp_path / "agent.db-wal").write_bytes(b"\x37\x7f\x06\x82" + b"\x00" * 60)
    store = reopen_after_damage(path)
    assert "without their database" in store.recovery.what
    assert (tmp_path / f"agent.db.corrupt-{STAMP}-wal").exists()
    store.close()


def test_two_damages_in_the_same_second_keep_both_copies(tmp_path):
    path = tmp_path / "agent.db"
    path.write_bytes(b"first garbage" * 50)
    EncryptedStore.open(path, KEY, clock=fixed_clock).close()
    path.write_bytes(b"second garbage" * 50)
    store = EncryptedStore.open(path, KEY, clock=fixed_clock)
    assert store.recovery.moved_to == tmp_path / f"agent.db.corrupt-{STAMP}-1"
    assert (tmp_path / f"agent.db.corrupt-{STAMP}").read_bytes() == b"first garbage" * 50
    assert store.recovery.moved_to.read_bytes() == b"second garbage" * 50
    store.close()


def test_unreadable_folder_is_an_error_not_a_recovery(tmp_path):
    missing = tmp_path / "no-such-folder" / "agent.db"
    with pytest.raises(StoreError, match="cannot open the database"):
        EncryptedStore.open(missing, KEY)
    assert not missing.parent.exists()


def test_healthy_database_reports_nothing(tmp_path):
    path = tmp_path / "agent.db"
    filled(path, 3)
    with EncryptedStore.open(path, KEY) as store:
        assert store.recovery is None and len(store.events()) == 3
    assert [p.name for p in tmp_path.iterdir() if "corrupt" in p.name] == []
