"""The real process source, narrowed to the processes this test run started (test-only).

An in-process agent core in a test counts and closes the processes of the test's own account; on a shared machine
that account may also run another suite, another Sprout, or anything named like a game. Only this pytest process's
descendants are shown to the core, so a test neither counts nor closes what it did not start. The filter is on the
real adapter's snapshot, so the product's own parsing, uid checks and closing are what is tested.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any


class OwnProcessTree:
    def __init__(self, source: Any, root_pid: int | None = None) -> None:
        self.source = source
        self.root_pid = os.getpid() if root_pid is None else root_pid

    def snapshot(self) -> Sequence[Any]:
        procs = list(self.source.snapshot())
        parent = {p.pid: p.ppid for p in procs}
        mine: dict[int, bool] = {self.root_pid: True}

        def descends(pid: int) -> bool:
            chain = []
            while pid not in mine:
                chain.append(pid)
                pid = parent.get(pid, 0)
                if pid <= 1:
                    mine.update(dict.fromkeys(chain, False))
                    return False
            verdict = mine[pid]
            mine.update(dict.fromkeys(chain, verdict))
            return verdict

        return [p for p in procs if p.pid != self.root_pid and descends(p.pid)]

    def __getattr__(self, name: str) -> Any:  # anything else the real source offers
        return getattr(self.source, name)
