"""Run slow work (network, scrypt, file export) off the UI thread and hand the result back on it."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger("sprout.console")
_live: set[Task] = set()  # keep Python refs until the result is delivered


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)


class Task(QRunnable):
    def __init__(self, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.fn = fn
        self.signals = _Signals()

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # shown to the parent as one sentence by the caller; the trace goes to the log
            log.debug("background task failed: %s", traceback.format_exc())
            self.signals.failed.emit(exc)
        else:
            self.signals.done.emit(result)


def run_async(fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
              on_error: Callable[[Exception], None] | None = None) -> Task:
    task = Task(fn)
    _live.add(task)

    def finish(cb: Callable[[Any], None] | None, value: Any) -> None:
        _live.discard(task)
        if cb is not None:
            cb(value)

    task.signals.done.connect(lambda r: finish(on_done, r))
    task.signals.failed.connect(lambda e: finish(on_error, e))
    QThreadPool.globalInstance().start(task)
    return task


def pending() -> int:
    return len(_live)


def error_text(exc: Exception) -> str:
    """One sentence for the parent, never a traceback."""
    reason = getattr(exc, "reason", None)
    if reason:
        return str(reason)
    problems = getattr(exc, "problems", None)
    if problems:
        return "; ".join(f"{p.path}: {p.reason}" for p in problems[:3])
    return str(exc) or type(exc).__name__
