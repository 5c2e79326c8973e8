"""Write and read rate of the encrypted store vs the same store with plain JSON rows (no encryption).

Both run the same EncryptedStore code, schema, transactions and pragmas on real SQLite files in a temporary
folder; only the row codec differs (AES-256-GCM with HKDF subkeys vs the JSON bytes as they are). Figures are
best of --repeat runs.

    .venv/bin/python bench/store.py [--events 20000] [--batch 500] [--single 1000] [--repeat 3] [--dir DIR]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agent.store.cipher import AeadRowCipher
from agent.store.db import EncryptedStore


class PlainJsonCodec:
    """The unencrypted baseline: rows hold the JSON bytes themselves."""

    def seal(self, table: str, row: bytes, plaintext: bytes) -> bytes:
        return plaintext

    def open(self, table: str, row: bytes, sealed: bytes) -> bytes:
        return sealed


def payload(n: int) -> dict:
    # About the size of a real sample event: the foreground app, its category and a few counters.
    return {"exe": "minecraft.exe", "app": "minecraft", "category": "game", "s": 1, "n": n, "title": None}


def run(folder: Path, label: str, make_cipher: Callable[[bytes], object], args: argparse.Namespace,
        synchronous: str = "FULL") -> dict[str, float]:
    path = folder / f"{label}-{synchronous}-{time.perf_counter_ns()}.db"
    store = EncryptedStore._open(path, make_cipher, synchronous=synchronous)  # type: ignore[arg-type]
    t0 = time.perf_counter()
    for start in range(0, args.events, args.batch):
        store.add_events([("sample", payload(n), "2026-12-01", 0.0)
                          for n in range(start, min(args.events, start + args.batch))])
    batched = args.events / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    for n in range(args.single):
        store.add_event("sample", payload(n), day="2026-12-02", at=0.0)
    single = args.single / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    got = store.events()
    read = len(got) / (time.perf_counter() - t0)
    assert len(got) == args.events + args.single and not store.row_problems
    t0 = time.perf_counter()
    one_day = store.events(day="2026-12-02")
    read_day = len(one_day) / (time.perf_counter() - t0)
    store.close()
    size = sum(p.stat().st_size for p in folder.glob(path.name + "*"))
    return {"batched": batched, "single": single, "read": read, "read_day": read_day, "bytes": size}


def run_sqlcipher(folder: Path, key: bytes, args: argparse.Namespace) -> dict[str, float] | None:
    """The alternative weighed in docs/store.md: SQLCipher pages, plain JSON rows, same schema and transactions."""
    try:
        from sqlcipher3 import dbapi2 as sqlcipher  # optional: only for this comparison
    except ImportError:
        return None
    import json

    path = folder / f"sqlcipher-{time.perf_counter_ns()}.db"
    conn = sqlcipher.connect(str(path), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT, day TEXT NOT NULL, sealed BLOB NOT NULL)")
    conn.execute("CREATE INDEX events_day ON events (day)")

    def write(rows: list[tuple[str, bytes]]) -> None:
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany("INSERT INTO events (day, sealed) VALUES (?, ?)", rows)
        conn.execute("COMMIT")

    def doc(n: int) -> bytes:
        return json.dumps({"k": "sample", "t": 0.0, "p": payload(n)}, separators=(",", ":")).encode()

    t0 = time.perf_counter()
    for start in range(0, args.events, args.batch):
        write([("2026-12-01", doc(n)) for n in range(start, min(args.events, start + args.batch))])
    batched = args.events / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    for n in range(args.single):
        write([("2026-12-02", doc(n))])
    single = args.single / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    got = [json.loads(r[1]) for r in conn.execute("SELECT id, sealed FROM events ORDER BY id")]
    read = len(got) / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    one_day = [json.loads(r[0]) for r in conn.execute("SELECT sealed FROM events WHERE day = ? ORDER BY id",
                                                      ("2026-12-02",))]
    read_day = len(one_day) / (time.perf_counter() - t0)
    conn.close()
    size = sum(p.stat().st_size for p in folder.glob(path.name + "*"))
    return {"batched": batched, "single": single, "read": read, "read_day": read_day, "bytes": size}


def best(runs: list[dict[str, float]]) -> dict[str, float]:
    return {k: (min if k == "bytes" else max)(r[k] for r in runs) for k in runs[0]}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=20000, help="events written in batches")
    ap.add_argument("--batch", type=int, default=500, help="events per transaction when batched")
    ap.add_argument("--single", type=int, default=1000, help="events written one transaction each")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--dir", type=Path, default=None, help="folder for the database files (default: a temp dir)")
    args = ap.parse_args()
    key = os.urandom(32)
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        folder = Path(tmp)
        enc = best([run(folder, "aead", lambda salt: AeadRowCipher(key, salt), args) for _ in range(args.repeat)])
        plain = best([run(folder, "plain", lambda salt: PlainJsonCodec(), args) for _ in range(args.repeat)])
        normal = best([run(folder, "aead", lambda salt: AeadRowCipher(key, salt), args, "NORMAL")
                       for _ in range(args.repeat)])
        cipher_runs = [run_sqlcipher(folder, key, args) for _ in range(args.repeat)]
    print(f"store benchmark: {args.events} events in batches of {args.batch}, {args.single} one per transaction, "
          f"best of {args.repeat}; WAL, synchronous=FULL; folder on {args.dir or tempfile.gettempdir()}")
    print(f"{'':32}{'encrypted':>14}{'plain JSON':>14}{'enc/plain':>11}")
    rows = [("write, batched (events/s)", "batched"), ("write, one by one (events/s)", "single"),
            ("read, all events (events/s)", "read"), ("read, one day (events/s)", "read_day"),
            ("file size incl. WAL (bytes)", "bytes")]
    for title, k in rows:
        print(f"{title:32}{enc[k]:>14,.0f}{plain[k]:>14,.0f}{enc[k] / plain[k]:>11.2f}")
    if cipher_runs[0] is None:
        print("SQLCipher (sqlcipher3): not installed here, skipped (pip install sqlcipher3==0.6.4 to compare)")
    else:
        sc = best([r for r in cipher_runs if r is not None])
        print("SQLCipher 4 via sqlcipher3, plain JSON rows, same SQL (the alternative; ratio = SQLCipher/plain):")
        for title, k in rows:
            print(f"{title:32}{sc[k]:>14,.0f}{plain[k]:>14,.0f}{sc[k] / plain[k]:>11.2f}")
    print(f"encrypted, synchronous=NORMAL: one by one {normal['single']:,.0f} events/s, batched "
          f"{normal['batched']:,.0f} events/s (FULL/NORMAL one by one: {enc['single'] / normal['single']:.2f})")


if __name__ == "__main__":
    main()
