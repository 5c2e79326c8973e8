"""The agent's encrypted SQLite store: events, daily summaries, policy history, the outbox, and small state.

Each row keeps only what SQLite needs to find and expire it in plaintext (ids, sequence numbers, the local day,
the policy version, kv names); everything else is one AES-256-GCM payload (see cipher.py and docs/store.md).

Durability: WAL with synchronous=FULL. NORMAL would survive a killed process but may roll back the last commits on
power loss; the outbox hands sequence numbers to paired consoles, and a rolled-back sequence number would be
reused for a different item that a console's cursor then skips. FULL makes every acknowledged commit durable.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from agent.store import sqlite
from agent.store.cipher import KEY_BYTES, SALT_BYTES, AeadRowCipher, RowAuthError, RowCipher, row_identity
from agent.store.records import (
    CorruptionReport,
    Event,
    OutboxItem,
    PolicyRecord,
    StoreError,
    StoreKeyError,
)
from agent.store.recovery import header_problem, move_aside, side_files

log = logging.getLogger(__name__)

FORMAT = 1
_KEY_CHECK = b"sprout-store key check v1"
_DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TABLES = ("events", "summaries", "policies", "outbox", "kv")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY AUTOINCREMENT, day TEXT NOT NULL, sealed BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS events_day ON events (day);
CREATE TABLE IF NOT EXISTS summaries (day TEXT PRIMARY KEY, sealed BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS policies (id INTEGER PRIMARY KEY AUTOINCREMENT, version INTEGER NOT NULL UNIQUE,
                                     sealed BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, day TEXT NOT NULL, sealed BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS outbox_day ON outbox (day);
CREATE TABLE IF NOT EXISTS kv (name TEXT PRIMARY KEY, sealed BLOB NOT NULL);
"""
# SQLite primary result codes meaning "the file's content is damaged", as opposed to busy, locked or I/O errors.
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26

CipherFactory = Callable[[bytes], RowCipher]


class _Damaged(Exception):
    """Internal: the file is damaged (what); open() keeps it aside and starts afresh."""


def _check_day(day: Any, what: str = "day") -> str:
    if not isinstance(day, str) or not _DAY_RE.match(day):
        raise ValueError(f"{what}: {day!r} is not a YYYY-MM-DD date")
    try:
        dt.date.fromisoformat(day)
    except ValueError:
        raise ValueError(f"{what}: {day!r} is not a real date") from None
    return day


def _to_json(table: str, value: Any) -> bytes:
    try:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{table}: the payload cannot be stored as JSON: {exc}") from None


def _is_damage(exc: sqlite3.DatabaseError) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None and code & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return True
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text


class EncryptedStore:
    """Open with `EncryptedStore.open(path, key)`. Thread-safe; several processes may open the same file.

    `recovery` is a CorruptionReport when open() found the file damaged and started a new one, else None.
    `row_problems` lists rows that failed authentication while reading (each once); they are skipped, not deleted.
    """

    def __init__(self, path: Path, conn: sqlite3.Connection, cipher: RowCipher, clock: Callable[[], float]) -> None:
        self.path = path
        self._conn = conn
        self._cipher = cipher
        self._clock = clock
        self._lock = threading.RLock()
        self.recovery: CorruptionReport | None = None
        self.row_problems: list[CorruptionReport] = []
        self._reported: set[tuple[str, int | str]] = set()

    # ---- opening ----------------------------------------------------------------------------------------
    @classmethod
    def open(cls, path: Path, key: bytes, *, clock: Callable[[], float] = time.time) -> EncryptedStore:
        if not isinstance(key, bytes | bytearray) or len(key) != KEY_BYTES:
            raise StoreKeyError(f"{path}: the store key must be {KEY_BYTES} bytes")
        master = bytes(key)
        return cls._open(Path(path), lambda salt: AeadRowCipher(master, salt), clock=clock)

    @classmethod
    def _open(cls, path: Path, make_cipher: CipherFactory, *, clock: Callable[[], float] = time.time,
              synchronous: str = "FULL") -> EncryptedStore:
        """open() with the cipher supplied by the caller (bench/store.py compares against plain JSON this way)."""
        try:
            return cls._open_checked(path, make_cipher, clock, synchronous)
        except _Damaged as damage:
            what = str(damage)
        try:
            moved, extra = move_aside(path, clock())
        except OSError as exc:
            raise StoreError(f"{path}: damaged ({what}) and could not be moved aside: {exc.strerror}") from None
        report = CorruptionReport(what=what, where=path, moved_to=moved, extra_files=extra)
        log.error("store damaged: %s", report)
        try:
            store = cls._open_checked(path, make_cipher, clock, synchronous)
        except _Damaged as again:
            raise StoreError(f"{path}: a new database could not be started: {again}") from None
        store.recovery = report
        return store

    @classmethod
    def _open_checked(cls, path: Path, make_cipher: CipherFactory, clock: Callable[[], float],
                      synchronous: str) -> EncryptedStore:
        if not path.exists() and side_files(path):
            raise _Damaged("journal files (-wal/-shm) without their database")
        problem = header_problem(path)
        if problem:
            raise _Damaged(problem)
        try:
            conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"{path}: cannot open the database: {exc}") from None
        try:
            store = cls._prepare(path, conn, make_cipher, clock, synchronous)
        except sqlite3.DatabaseError as exc:
            conn.close()
            if _is_damage(exc):
                raise _Damaged(f"SQLite reports: {exc}") from None
            raise StoreError(f"{path}: cannot open the database: {exc}") from None
        except BaseException:
            conn.close()
            raise
        return store

    @classmethod
    def _prepare(cls, path: Path, conn: sqlite3.Connection, make_cipher: CipherFactory,
                 clock: Callable[[], float], synchronous: str) -> EncryptedStore:
        mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise StoreError(f"{path}: SQLite refused WAL mode (got {mode})")
        conn.execute(f"PRAGMA synchronous={'NORMAL' if synchronous == 'NORMAL' else 'FULL'}")
        checked = [r[0] for r in conn.execute("PRAGMA quick_check(5)").fetchall()]
        if checked != ["ok"]:
            raise _Damaged("PRAGMA quick_check failed: " + "; ".join(str(c) for c in checked))
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if tables and "meta" not in tables:
            raise _Damaged(f"not a Sprout store (tables: {', '.join(sorted(tables))})")
        conn.execute("BEGIN IMMEDIATE")  # two processes creating the same new file: the second sees the first's
        try:
            for statement in _SCHEMA.split(";"):  # not executescript(): it would COMMIT the IMMEDIATE lock first
                if statement.strip():
                    conn.execute(statement)
            meta = dict(conn.execute("SELECT name, value FROM meta").fetchall())
            if not meta:
                salt = os.urandom(SALT_BYTES)
                cipher = make_cipher(salt)
                meta = {"format": str(FORMAT).encode(), "salt": salt,
                        "check": cipher.seal("meta", row_identity("check"), _KEY_CHECK)}
                conn.executemany("INSERT INTO meta (name, value) VALUES (?, ?)", list(meta.items()))
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        missing = {"format", "salt", "check"} - set(meta)
        if missing:
            raise _Damaged(f"the meta table lacks {', '.join(sorted(missing))}")
        try:
            fmt = int(bytes(meta["format"]).decode())
        except ValueError:
            raise _Damaged("the meta table's format is unreadable") from None
        if fmt > FORMAT:
            raise StoreError(f"{path}: written by a newer Sprout (store format {fmt}; this one reads {FORMAT})")
        salt = bytes(meta["salt"])
        if len(salt) != SALT_BYTES:
            raise _Damaged("the meta table's salt is damaged")
        cipher = make_cipher(salt)
        try:
            ok = cipher.open("meta", row_identity("check"), bytes(meta["check"])) == _KEY_CHECK
        except RowAuthError:
            ok = False
        if not ok:
            raise StoreKeyError(f"{path}: this key does not open the database (a different key, or the key custody "
                                f"was reset); the file is left untouched")
        return cls(path, conn, cipher, clock)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> EncryptedStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- plumbing ---------------------------------------------------------------------------------------
    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One IMMEDIATE transaction: all of a batch or none of it."""
        with self._sqlite_errors(), sqlite.transaction(self._conn, self._lock) as conn:
            yield conn

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        with self._lock, self._sqlite_errors():
            return sqlite.query(self._conn, sql, params)

    @contextlib.contextmanager
    def _sqlite_errors(self) -> Iterator[None]:
        # After open() checked the file, a SQLite error (disk full, damage appearing later, a lock held for longer
        # than the busy timeout) is reported with the file's name; the next open() runs the damage checks again.
        try:
            yield
        except sqlite3.Error as exc:
            hint = " (damaged: it will be checked and kept aside on the next start)" if (
                isinstance(exc, sqlite3.DatabaseError) and _is_damage(exc)) else ""
            raise StoreError(f"{self.path}: {exc}{hint}") from None

    def _next_id(self, conn: sqlite3.Connection, table: str, column: str) -> int:
        # Ids are fixed before encrypting because the associated data binds each row to its id. AUTOINCREMENT's
        # sqlite_sequence keeps swept ids from ever coming back, so a cursor never skips a new row.
        seq = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = ?", (table,)).fetchone()
        top = conn.execute(f"SELECT max({column}) FROM {table}").fetchone()[0]
        return max(seq[0] if seq else 0, top or 0) + 1

    def _unseal(self, table: str, row_id: int | str, row: bytes, sealed: Any) -> Any | None:
        try:
            return json.loads(self._cipher.open(table, row, bytes(sealed)))
        except (RowAuthError, TypeError, ValueError) as exc:
            self._report_row(table, row_id, f"row failed authentication ({exc}); skipped, left in place")
            return None

    def _report_row(self, table: str, row_id: int | str, what: str) -> None:
        if (table, row_id) in self._reported:
            return
        self._reported.add((table, row_id))
        report = CorruptionReport(what=what, where=self.path, table=table, row_id=row_id)
        self.row_problems.append(report)
        log.error("store row damaged: %s", report)

    # ---- events -----------------------------------------------------------------------------------------
    def add_event(self, kind: str, payload: Any, *, day: str, at: float) -> int:
        return self.add_events([(kind, payload, day, at)])[0]

    def add_events(self, items: Sequence[tuple[str, Any, str, float] | dict[str, Any]]) -> list[int]:
        """Store events in one transaction. Each item is (kind, payload, day, at) or a dict with those keys."""
        rows = []
        for n, item in enumerate(items):
            if isinstance(item, dict):
                try:
                    kind, payload, day, at = item["kind"], item["payload"], item["day"], item["at"]
                except KeyError as exc:
                    raise ValueError(f"add_events: item {n} lacks {exc}") from None
            else:
                kind, payload, day, at = item
            if not isinstance(kind, str) or not kind:
                raise ValueError(f"add_events: item {n}: kind must be a non-empty string")
            _check_day(day, f"add_events: item {n}: day")
            rows.append((kind, payload, day, float(at)))
        plain = [_to_json("events", {"k": k, "t": t, "p": p}) for k, p, _, t in rows]
        with self._write() as conn:
            first = self._next_id(conn, "events", "id")
            ids = list(range(first, first + len(rows)))
            conn.executemany("INSERT INTO events (id, day, sealed) VALUES (?, ?, ?)",
                             [(i, r[2], self._cipher.seal("events", row_identity(i, r[2]), p))
                              for i, r, p in zip(ids, rows, plain, strict=True)])
        return ids

    def events(self, day: str | None = None, since_id: int = 0, limit: int | None = None) -> list[Event]:
        sql, params = "SELECT id, day, sealed FROM events WHERE id > ?", [int(since_id)]
        if day is not None:
            sql += " AND day = ?"
            params.append(_check_day(day))
        sql += " ORDER BY id"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        out = []
        for r in self._query(sql, params):
            doc = self._unseal("events", r["id"], row_identity(r["id"], r["day"]), r["sealed"])
            if doc is not None:
                out.append(Event(id=r["id"], kind=doc["k"], day=r["day"], at=doc["t"], payload=doc["p"]))
        return out

    # ---- daily summaries --------------------------------------------------------------------------------
    def put_summary(self, day: str, summary: dict[str, Any]) -> None:
        _check_day(day)
        sealed = self._cipher.seal("summaries", row_identity(day), _to_json("summaries", summary))
        with self._write() as conn:
            conn.execute("INSERT OR REPLACE INTO summaries (day, sealed) VALUES (?, ?)", (day, sealed))

    def summary(self, day: str) -> dict[str, Any] | None:
        rows = self._query("SELECT day, sealed FROM summaries WHERE day = ?", [_check_day(day)])
        return self._unseal("summaries", day, row_identity(day), rows[0]["sealed"]) if rows else None

    def summaries(self, from_day: str, to_day: str) -> dict[str, dict[str, Any]]:
        """Summaries for from_day..to_day inclusive, in day order."""
        rows = self._query("SELECT day, sealed FROM summaries WHERE day >= ? AND day <= ? ORDER BY day",
                           [_check_day(from_day, "from_day"), _check_day(to_day, "to_day")])
        out = {}
        for r in rows:
            doc = self._unseal("summaries", r["day"], row_identity(r["day"]), r["sealed"])
            if doc is not None:
                out[r["day"]] = doc
        return out

    # ---- policy history ---------------------------------------------------------------------------------
    def record_policy(self, version: int, blob: bytes, signer: str | None) -> int:
        if not isinstance(version, int) or isinstance(version, bool) or version < 0:
            raise ValueError(f"record_policy: version {version!r} is not a non-negative integer")
        if not isinstance(blob, bytes | bytearray):
            raise ValueError("record_policy: blob must be bytes")
        doc = {"b": bytes(blob).hex(), "s": signer, "t": self._clock()}
        with self._write() as conn:
            if conn.execute("SELECT 1 FROM policies WHERE version = ?", (version,)).fetchone():
                raise StoreError(f"{self.path}: policy version {version} is already recorded")
            row_id = self._next_id(conn, "policies", "id")
            sealed = self._cipher.seal("policies", row_identity(row_id, version), _to_json("policies", doc))
            conn.execute("INSERT INTO policies (id, version, sealed) VALUES (?, ?, ?)", (row_id, version, sealed))
        return row_id

    def policies(self) -> list[PolicyRecord]:
        """Every recorded policy that authenticates, oldest version first."""
        out = []
        for r in self._query("SELECT id, version, sealed FROM policies ORDER BY version"):
            doc = self._unseal("policies", r["id"], row_identity(r["id"], r["version"]), r["sealed"])
            if doc is not None:
                out.append(PolicyRecord(id=r["id"], version=r["version"], blob=bytes.fromhex(doc["b"]),
                                        signer=doc["s"], at=doc["t"]))
        return out

    def forget_policies_above(self, version: int) -> int:
        """Withdraw every recorded policy above `version` (a revoked console's): the one at `version` is in force
        again. Returns how many were removed."""
        with self._write() as conn:
            return conn.execute("DELETE FROM policies WHERE version > ?", (int(version),)).rowcount

    def latest_policy(self) -> PolicyRecord | None:
        """The highest version that authenticates (a damaged newest row falls back to the one before)."""
        found = self.policies()
        return found[-1] if found else None

    # ---- outbox -----------------------------------------------------------------------------------------
    def outbox_put(self, kind: str, payload: Any, *, day: str | None = None) -> int:
        """Queue an item for the parent's console; returns its sequence number (never reused).

        `day` (for the retention sweep) defaults to today in this machine's local time by the store's clock.
        """
        if not isinstance(kind, str) or not kind:
            raise ValueError("outbox_put: kind must be a non-empty string")
        at = self._clock()
        day = _check_day(day) if day is not None else time.strftime("%Y-%m-%d", time.localtime(at))
        plain = _to_json("outbox", {"k": kind, "p": payload, "t": at})
        with self._write() as conn:
            seq = self._next_id(conn, "outbox", "seq")
            sealed = self._cipher.seal("outbox", row_identity(seq, day), plain)
            conn.execute("INSERT INTO outbox (seq, day, sealed) VALUES (?, ?, ?)", (seq, day, sealed))
        return seq

    def outbox_since(self, cursor: int, limit: int = 100) -> list[OutboxItem]:
        """Items with seq > cursor, oldest first, at most `limit`; pass the last seq back as the next cursor."""
        rows = self._query("SELECT seq, day, sealed FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?",
                           [int(cursor), max(0, int(limit))])
        out = []
        for r in rows:
            doc = self._unseal("outbox", r["seq"], row_identity(r["seq"], r["day"]), r["sealed"])
            if doc is not None:
                out.append(OutboxItem(seq=r["seq"], kind=doc["k"], payload=doc["p"], at=doc["t"], day=r["day"]))
        return out

    # ---- small state ------------------------------------------------------------------------------------
    def kv_put(self, name: str, value: bytes) -> None:
        if not isinstance(name, str) or not name or len(name) > 200:
            raise ValueError(f"kv_put: name {name!r} must be a string of 1–200 characters")
        if not isinstance(value, bytes | bytearray):
            raise ValueError(f"kv_put({name!r}): value must be bytes")
        sealed = self._cipher.seal("kv", row_identity(name), bytes(value))
        with self._write() as conn:
            conn.execute("INSERT OR REPLACE INTO kv (name, sealed) VALUES (?, ?)", (name, sealed))

    def kv_get(self, name: str) -> bytes | None:
        rows = self._query("SELECT sealed FROM kv WHERE name = ?", [name])
        if not rows:
            return None
        try:
            return self._cipher.open("kv", row_identity(name), bytes(rows[0]["sealed"]))
        except RowAuthError as exc:
            self._report_row("kv", name, f"row failed authentication ({exc}); skipped, left in place")
            return None

    # ---- retention and checks ---------------------------------------------------------------------------
    def sweep(self, retention_days: int, today: str) -> int:
        """Delete events, summaries and outbox items older than the last `retention_days` days (today included).

        Policy history and kv state are not activity records and are kept. Returns how many rows went.
        """
        if not isinstance(retention_days, int) or isinstance(retention_days, bool) or retention_days < 1:
            raise ValueError(f"sweep: retention_days {retention_days!r} must be a whole number of days, at least 1")
        cutoff = (dt.date.fromisoformat(_check_day(today, "today")) - dt.timedelta(days=retention_days - 1))
        keep_from = cutoff.isoformat()
        removed = 0
        with self._write() as conn:
            for table in ("events", "summaries", "outbox"):
                removed += conn.execute(f"DELETE FROM {table} WHERE day < ?", (keep_from,)).rowcount
        return removed

    def verify(self) -> list[CorruptionReport]:
        """Authenticate every row of every table (reads all of it); returns the damaged rows found."""
        earlier, self.row_problems, self._reported = self.row_problems, [], set()
        self.events()
        for r in self._query("SELECT day, sealed FROM summaries"):
            self._unseal("summaries", r["day"], row_identity(r["day"]), r["sealed"])
        self.policies()
        self.outbox_since(0, 2**62)
        for r in self._query("SELECT name FROM kv"):
            self.kv_get(r["name"])
        found = self.row_problems
        self.row_problems = earlier + [p for p in found if p not in earlier]
        return found

    def counts(self) -> dict[str, int]:
        """Rows per table (plaintext metadata: anyone with the file can count rows too)."""
        return {t: self._query(f"SELECT count(*) AS n FROM {t}")[0]["n"] for t in _TABLES}
