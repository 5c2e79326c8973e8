"""The encrypted store on real SQLite files: round trips, the key, tampering and swapped rows (raw sqlite3),
retention, the outbox cursor, bad input, concurrency."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from pathlib import Path

import pytest

from agent.store import EncryptedStore, Event, StoreError, StoreKeyError

KEY = bytes(range(32))
DAY1, DAY2, DAY3 = "2026-12-01", "2026-12-02", "2026-12-03"


class FakeClock:
    """An injected clock (the store's clock= parameter), so `at` values are exact."""

    def __init__(self, now: float = 1_796_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture()
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "agent.db"


def raw(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None)


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_round_trips_every_table_and_survive_reopen(db_path):
    clock = FakeClock()
    with EncryptedStore.open(db_path, KEY, clock=clock) as store:
        assert store.recovery is None
        first = store.add_event("app", {"exe": "minecraft.exe", "s": 60, "vi": "Trò chơi"}, day=DAY1, at=10.5)
        ids = store.add_events([("web", {"cat": "games"}, DAY1, 11.0),
                                {"kind": "warn", "payload": {"left_s": 300}, "day": DAY2, "at": 12.0}])
        assert [first, *ids] == [1, 2, 3]
        store.put_summary(DAY1, {"screen_s": 3600, "per_game_s": {"minecraft": 1800}})
        store.put_summary(DAY2, {"screen_s": 60})
        store.put_summary(DAY1, {"screen_s": 3700})  # replaces
        assert store.record_policy(6, b'{"version":6}', "parent-A") == 1
        clock.now += 5
        assert store.record_policy(7, b'{"version":7}', None) == 2
        assert store.outbox_put("daily_summary", {"day": DAY1}, day=DAY1) == 1
        store.kv_put("ledger", b"\x00snapshot\xff")
    with EncryptedStore.open(db_path, KEY, clock=clock) as store:
        assert store.events() == [
            Event(1, "app", DAY1, 10.5, {"exe": "minecraft.exe", "s": 60, "vi": "Trò chơi"}),
            Event(2, "web", DAY1, 11.0, {"cat": "games"}),
            Event(3, "warn", DAY2, 12.0, {"left_s": 300}),
        ]
        assert [e.id for e in store.events(day=DAY1)] == [1, 2]
        assert [e.id for e in store.events(since_id=1)] == [2, 3]
        assert [e.id for e in store.events(since_id=1, limit=1)] == [2]
        assert store.summary(DAY1) == {"screen_s": 3700}
        assert store.summary(DAY3) is None
        assert store.summaries(DAY1, DAY3) == {DAY1: {"screen_s": 3700}, DAY2: {"screen_s": 60}}
        assert list(store.summaries(DAY2, DAY2)) == [DAY2]
        latest = store.latest_policy()
        assert (latest.version, latest.blob, latest.signer, latest.at) == (7, b'{"version":7}', None, clock.now)
        assert [p.version for p in store.policies()] == [6, 7]
        [item] = store.outbox_since(0, 10)
        assert (item.seq, item.kind, item.payload, item.day) == (1, "daily_summary", {"day": DAY1}, DAY1)
        assert store.kv_get("ledger") == b"\x00snapshot\xff"
        assert store.kv_get("absent") is None
        assert store.verify() == [] and store.row_problems == []


def test_nothing_readable_in_the_file_or_its_journal(db_path):
    marker = "MARKER-minecraft-Trò-chơi-4f1c"
    with EncryptedStore.open(db_path, KEY) as store:
        store.add_event("app", {"exe": marker}, day=DAY1, at=1.0)
        store.put_summary(DAY1, {"top": marker})
        store.record_policy(1, marker.encode(), marker)
        store.outbox_put(marker, {"m": marker})
        store.kv_put("state", marker.encode())
        on_disk = b"".join(p.read_bytes() for p in db_path.parent.iterdir())
        assert marker.encode() not in on_disk and marker.encode("utf-16-le") not in on_disk
        assert b"minecraft" not in on_disk


def test_wrong_key_is_a_clear_error_and_leaves_the_file_untouched(db_path):
    with EncryptedStore.open(db_path, KEY) as store:
        store.add_event("app", {}, day=DAY1, at=1.0)
    before = file_digest(db_path)
    with pytest.raises(StoreKeyError) as err:
        EncryptedStore.open(db_path, os.urandom(32))
    assert str(db_path) in str(err.value) and "key" in str(err.value)
    assert file_digest(db_path) == before
    assert sorted(p.name for p in db_path.parent.iterdir() if "corrupt" in p.name) == []
    with pytest.raises(StoreKeyError, match="32 bytes"):
        EncryptedStore.open(db_path, b"short")
    with EncryptedStore.open(db_path, KEY) as store:
        assert len(store.events()) == 1


def test_flipped_byte_in_one_row_is_reported_with_table_and_id_and_others_still_read(db_path):
    with EncryptedStore.open(db_path, KEY) as store:
        store.add_events([("app", {"n": n}, DAY1, float(n)) for n in range(5)])
    with raw(db_path) as conn:
        sealed = bytearray(conn.execute("SELECT sealed FROM events WHERE id = 3").fetchone()[0])
        sealed[20] ^= 0x01
        conn.execute("UPDATE events SET sealed = ? WHERE id = 3", (bytes(sealed),))
    with EncryptedStore.open(db_path, KEY) as store:
        assert [e.payload["n"] for e in store.events()] == [0, 1, 3, 4]
        [problem] = store.row_problems
        assert (problem.table, problem.row_id, problem.where) == ("events", 3, db_path)
        assert "events" in str(problem) and "row 3" in str(problem)
        store.events()
        assert len(store.row_problems) == 1  # reported once, not on every read
        assert [(p.table, p.row_id) for p in store.verify()] == [("events", 3)]
        assert store.counts()["events"] == 5  # left in place, never deleted silently


def test_swapped_rows_and_moved_days_fail_authentication(db_path):
    with EncryptedStore.open(db_path, KEY) as store:
        store.add_events([("app", {"n": 1}, DAY1, 1.0), ("app", {"n": 2}, DAY1, 2.0), ("app", {"n": 3}, DAY2, 3.0)])
        store.put_summary(DAY1, {"screen_s": 1})
        store.put_summary(DAY2, {"screen_s": 2})
        store.kv_put("a", b"A")
        store.kv_put("b", b"B")
        store.outbox_put("x", {}, day=DAY1)
    with raw(db_path) as conn:
        one, two = (conn.execute("SELECT sealed FROM events WHERE id = ?", (i,)).fetchone()[0] for i in (1, 2))
        conn.execute("UPDATE events SET sealed = ? WHERE id = 1", (two,))
        conn.execute("UPDATE events SET sealed = ? WHERE id = 2", (one,))
        conn.execute("UPDATE events SET day = ? WHERE id = 3", (DAY3,))  # hide an event from a day's report
        s2 = conn.execute("SELECT sealed FROM summaries WHERE day = ?", (DAY2,)).fetchone()[0]
        conn.execute("UPDATE summaries SET sealed = ? WHERE day = ?", (s2, DAY1))
        a = conn.execute("SELECT sealed FROM kv WHERE name = 'a'").fetchone()[0]
        conn.execute("UPDATE kv SET sealed = ? WHERE name = 'b'", (a,))
        event_blob = conn.execute("SELECT sealed FROM events WHERE id = 3").fetchone()[0]
        conn.execute("UPDATE outbox SET sealed = ? WHERE seq = 1", (event_blob,))  # across tables
    with EncryptedStore.open(db_path, KEY) as store:
        assert store.events() == []
        assert store.summary(DAY1) is None and store.summary(DAY2) == {"screen_s": 2}
        assert store.kv_get("b") is None and store.kv_get("a") == b"A"
        assert store.outbox_since(0, 10) == []
        found = {(p.table, p.row_id) for p in store.verify()}
        assert found == {("events", 1), ("events", 2), ("events", 3), ("summaries", DAY1), ("kv", "b"),
                         ("outbox", 1)}


def test_damaged_newest_policy_falls_back_to_the_previous(db_path):
    with EncryptedStore.open(db_path, KEY) as store:
        store.record_policy(3, b"three", "p")
        store.record_policy(4, b"four", "p")
        with pytest.raises(StoreError, match="version 4 is already recorded"):
            store.record_policy(4, b"again", "p")
    with raw(db_path) as conn:
        conn.execute("UPDATE policies SET sealed = substr(sealed, 1, length(sealed) - 1) WHERE version = 4")
    with EncryptedStore.open(db_path, KEY) as store:
        assert store.latest_policy().blob == b"three"
        assert [(p.table, p.row_id) for p in store.row_problems] == [("policies", 2)]


def test_retention_sweep_keeps_the_last_n_days_and_never_reuses_ids(db_path):
    days = [f"2026-11-{d:02d}" for d in range(25, 31)] + ["2026-12-01"]
    with EncryptedStore.open(db_path, KEY) as store:
        for d in days:
            store.add_events([("app", {"d": d}, d, 0.0)] * 2)
            store.put_summary(d, {"d": d})
            store.outbox_put("daily_summary", {"d": d}, day=d)
        store.record_policy(1, b"p", None)
        store.kv_put("ledger", b"l")
        assert store.sweep(3, "2026-12-01") == 4 * (2 + 1 + 1)  # 11-25..11-28 go; 11-29, 11-30, 12-01 stay
        assert sorted({e.day for e in store.events()}) == ["2026-11-29", "2026-11-30", "2026-12-01"]
        assert list(store.summaries("2026-01-01", "2026-12-31")) == ["2026-11-29", "2026-11-30", "2026-12-01"]
        assert [i.day for i in store.outbox_since(0, 100)] == ["2026-11-29", "2026-11-30", "2026-12-01"]
        assert store.latest_policy() is not None and store.kv_get("ledger") == b"l"
        assert store.sweep(3, "2026-12-01") == 0
        assert store.sweep(1, "2027-01-01") == 3 * (2 + 1 + 1)
        assert store.counts() == {"events": 0, "summaries": 0, "policies": 1, "outbox": 0, "kv": 1}
        # Ids and sequence numbers continue after everything was swept: a cursor never misses a new row.
        assert store.add_event("app", {}, day="2027-01-01", at=0.0) == 2 * len(days) + 1
        assert store.outbox_put("x", {}) == len(days) + 1
        for bad in (0, -1, 1.5, True):
            with pytest.raises(ValueError, match="retention_days"):
                store.sweep(bad, "2027-01-01")


def test_outbox_cursor_pages_through_in_order(db_path):
    with EncryptedStore.open(db_path, KEY) as store:
        seqs = [store.outbox_put("alert", {"n": n}) for n in range(25)]
        assert seqs == list(range(1, 26))
        cursor, pages = 0, []
        while batch := store.outbox_since(cursor, 10):
            pages.append([i.payload["n"] for i in batch])
            cursor = batch[-1].seq
        assert [len(p) for p in pages] == [10, 10, 5]
        assert [n for page in pages for n in page] == list(range(25))
        assert store.outbox_since(cursor, 10) == []
        assert store.outbox_put("alert", {"n": 25}) == 26
        assert [i.seq for i in store.outbox_since(cursor, 10)] == [26]
        assert store.outbox_since(0, 0) == []


def test_bad_input_is_a_clear_error_and_a_bad_batch_stores_nothing(db_path):
    with EncryptedStore.open(db_path, KEY) as store:
        store.add_event("app", {"ok": True}, day=DAY1, at=1.0)
        with pytest.raises(ValueError, match=r"item 1: day: '2026-13-01' is not a real date"):
            store.add_events([("app", {}, DAY1, 1.0), ("app", {}, "2026-13-01", 1.0)])
        with pytest.raises(ValueError, match="not a YYYY-MM-DD"):
            store.add_event("app", {}, day="1/12/2026", at=1.0)
        with pytest.raises(ValueError, match="events: the payload cannot be stored as JSON"):
            store.add_events([("app", {}, DAY1, 1.0), ("app", {"x": object()}, DAY1, 1.0)])
        with pytest.raises(ValueError, match="JSON"):
            store.add_event("app", {"x": float("nan")}, day=DAY1, at=1.0)
        with pytest.raises(ValueError, match="lacks 'day'"):
            store.add_events([{"kind": "app", "payload": {}, "at": 1.0}])
        with pytest.raises(ValueError, match="kind"):
            store.outbox_put("", {})
        with pytest.raises(ValueError, match="kv_put"):
            store.kv_put("", b"x")
        with pytest.raises(ValueError, match="bytes"):
            store.kv_put("k", "text")  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="version"):
            store.record_policy(-1, b"x", None)
        with pytest.raises(ValueError, match="from_day"):
            store.summaries("yesterday", DAY1)
        assert [e.payload for e in store.events()] == [{"ok": True}]


def test_threads_and_a_second_connection_write_without_losing_or_reusing_ids(db_path):
    first = EncryptedStore.open(db_path, KEY)
    second = EncryptedStore.open(db_path, KEY)  # another process would look like this: its own connection
    errors: list[BaseException] = []

    def writer(store: EncryptedStore, tag: int) -> None:
        try:
            for n in range(40):
                store.add_events([("app", {"t": tag, "n": n}, DAY1, 0.0)] * 2)
                store.outbox_put("x", {"t": tag})
        except BaseException as exc:  # surfaced by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(s, t)) for t, s in enumerate([first, first, second, second])]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    events = first.events()
    assert [e.id for e in events] == list(range(1, 4 * 40 * 2 + 1))
    assert sorted((e.payload["t"], e.payload["n"]) for e in events[::2]) == sorted(
        (t, n) for t in range(4) for n in range(40))
    assert [i.seq for i in second.outbox_since(0, 1000)] == list(range(1, 161))
    first.close()
    second.close()
    with raw(db_path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_sqlite_errors_after_open_name_the_file(db_path):
    store = EncryptedStore.open(db_path, KEY)
    store.close()
    with pytest.raises(StoreError, match=str(db_path)):
        store.events()
    with pytest.raises(StoreError, match=str(db_path)):
        store.add_event("app", {}, day=DAY1, at=1.0)
