"""The kill test: a real Python process writes event batches to the store; SIGKILL at random moments, 100 times.

After each kill the database must pass PRAGMA integrity_check, open without a recovery report, and hold every
batch the writer reported as committed, complete (a batch is one transaction: all of its events or none).
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from agent.store import EncryptedStore

ROOT = Path(__file__).resolve().parents[3]
KILLS = 100
DAY = "2026-12-01"

WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from agent.store.db import EncryptedStore

    path, key, batch = Path(sys.argv[1]), bytes.fromhex(sys.argv[2]), int(sys.argv[3])
    store = EncryptedStore.open(path, key)
    while True:
        size = 1 + batch % 9
        store.add_events([("tick", {"b": batch, "i": i, "pad": "x" * (batch % 300)}, "2026-12-01", float(batch))
                          for i in range(size)])
        if batch % 5 == 0:
            store.kv_put("last", str(batch).encode())  # a second kind of write between batches
        sys.stdout.write(f"{batch}\\n")  # printed only after the commit returned
        sys.stdout.flush()
        batch += 1
""")


def batch_size(batch: int) -> int:
    return 1 + batch % 9


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")
def test_sigkill_at_random_moments_never_loses_a_committed_batch(tmp_path):
    path = tmp_path / "agent.db"
    key = os.urandom(32)
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    rng = random.Random(int.from_bytes(os.urandom(4), "big"))
    seen: dict[int, int] = {}  # batch -> events found, across all rounds
    last_id = 0
    next_batch = 1
    started = time.monotonic()
    for round_no in range(KILLS):
        errors = tmp_path / "writer.err"
        with errors.open("w") as err_file:
            proc = subprocess.Popen([sys.executable, str(script), str(path), key.hex(), str(next_batch)],
                                    stdout=subprocess.PIPE, stderr=err_file, env=env, text=True)
        first = proc.stdout.readline()  # the writer is up and has committed at least one batch
        assert first, f"round {round_no}: writer died: {errors.read_text()}"
        time.sleep(rng.uniform(0, 0.05))
        proc.send_signal(signal.SIGKILL)
        rest = proc.stdout.read()  # through the same buffered reader as readline(), up to EOF
        proc.stdout.close()
        assert proc.wait(timeout=30) == -signal.SIGKILL, errors.read_text()
        lines = (first + rest).split("\n")
        complete = [int(x) for x in lines[:-1] if x.strip()]  # the last piece may be half-written
        committed = complete[-1]
        assert complete == list(range(next_batch, committed + 1))

        with sqlite3.connect(path) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)], f"round {round_no}"
        with EncryptedStore.open(path, key) as store:
            assert store.recovery is None
            new = store.events(since_id=last_id)
            assert store.row_problems == []
        for e in new:
            assert (e.kind, e.day, e.at) == ("tick", DAY, float(e.payload["b"]))
            assert e.payload["pad"] == "x" * (e.payload["b"] % 300)
            assert e.payload["i"] == seen.get(e.payload["b"], 0)  # in order, no duplicates
            seen[e.payload["b"]] = seen.get(e.payload["b"], 0) + 1
        if new:
            last_id = new[-1].id
        # Every batch reported as committed is there in full; at most one more (committed, not yet printed).
        top = max(seen)
        assert top in (committed, committed + 1), f"round {round_no}: printed {committed}, stored up to {top}"
        for b in range(1, top + 1):
            assert seen.get(b) == batch_size(b), f"round {round_no}: batch {b} has {seen.get(b)} events"
        next_batch = top + 1
    elapsed = time.monotonic() - started
    assert len(seen) == next_batch - 1
    print(f"{KILLS} kills, {len(seen)} batches, {sum(seen.values())} events intact, {elapsed:.1f} s")
