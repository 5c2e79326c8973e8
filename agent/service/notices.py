"""Notices for the child's companion: a bounded, numbered list the companion reads from a cursor."""

from __future__ import annotations

import threading
from collections import deque
from typing import Any


class NoticeBoard:
    def __init__(self, keep: int = 200) -> None:
        self._items: deque[dict[str, Any]] = deque(maxlen=keep)
        self._next_id = 1
        self._cond = threading.Condition()

    def post(self, notice: dict[str, Any]) -> dict[str, Any]:
        with self._cond:
            item = {"id": self._next_id, **notice}
            self._next_id += 1
            self._items.append(item)
            self._cond.notify_all()
            return item

    def since(self, cursor: int) -> list[dict[str, Any]]:
        with self._cond:
            return [dict(n) for n in self._items if n["id"] > cursor]

    def wait(self, cursor: int, timeout: float) -> list[dict[str, Any]]:
        with self._cond:
            self._cond.wait_for(lambda: self._next_id - 1 > cursor, timeout=max(0.0, timeout))
            return [dict(n) for n in self._items if n["id"] > cursor]
