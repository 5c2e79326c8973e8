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


# What the link's stable error codes mean, in the console's language (the agent's own reason is English, for logs).
_LINK_CODES = {
    "unreachable": "The PC cannot be reached. Is it switched on and connected to the network?",
    "too_large": "The PC's answer was damaged on the way. Try again.",
    "http_error": "The PC's answer was damaged on the way. Try again.",
    "bad_reply": "The PC's answer was damaged on the way. Try again.",
    "wrong_reply": "The PC's answer was damaged on the way. Try again.",
    "unknown_peer": "This PC does not know this console any more. Pair it again in Settings.",
    "revoked": "This PC was unpaired from this console. Pair it again in Settings.",
    "replay": "The PC refused a repeated message. Try again.",
    "forged": "The PC refused a message that failed its checks.",
    "policy_rejected": "The PC kept its rules: %1",
    "decision_rejected": "The PC did not take the answer: %1",
    "pairing_closed": "The PC is not showing a pairing code right now. Ask for a new code on the PC.",
    "code_expired": "This pairing code has expired. Ask for a new code on the PC.",
    "wrong_code": "The code did not match. Check it on the PC and ask for a new one.",
    "pair_busy": "Another pairing is in progress. Try again in a minute.",
}


def error_text(exc: Exception) -> str:
    """One sentence for the parent in the console's language, never a traceback."""
    from PySide6.QtCore import QCoreApplication

    code = getattr(exc, "code", None)
    reason = str(getattr(exc, "reason", "") or "")
    if isinstance(code, str) and code in _LINK_CODES:
        detail = reason
        if code == "policy_rejected" and "not newer" in reason:
            detail = QCoreApplication.translate("Errors", "it already has newer rules.")
        elif code == "decision_rejected" and "already answered" in reason:
            detail = QCoreApplication.translate("Errors", "the request was already answered.")
        return QCoreApplication.translate("Errors", _LINK_CODES[code]).replace("%1", detail)
    if reason:
        return reason
    problems = getattr(exc, "problems", None)
    if problems:
        return "; ".join(f"{p.path}: {p.reason}" for p in problems[:3])
    return str(exc) or type(exc).__name__


def _lupdate_finds_these() -> None:  # pragma: no cover - only here so pyside6-lupdate sees the literals
    from PySide6.QtCore import QCoreApplication as Q

    for text in (Q.translate("Errors", "The PC cannot be reached. Is it switched on and connected to the network?"),
                 Q.translate("Errors", "The PC's answer was damaged on the way. Try again."),
                 Q.translate("Errors", "This PC does not know this console any more. Pair it again in Settings."),
                 Q.translate("Errors", "This PC was unpaired from this console. Pair it again in Settings."),
                 Q.translate("Errors", "The PC refused a repeated message. Try again."),
                 Q.translate("Errors", "The PC refused a message that failed its checks."),
                 Q.translate("Errors", "The PC kept its rules: %1"),
                 Q.translate("Errors", "The PC did not take the answer: %1"),
                 Q.translate("Errors", "The PC is not showing a pairing code right now. Ask for a new code on the "
                                       "PC."),
                 Q.translate("Errors", "This pairing code has expired. Ask for a new code on the PC."),
                 Q.translate("Errors", "The code did not match. Check it on the PC and ask for a new one."),
                 Q.translate("Errors", "Another pairing is in progress. Try again in a minute.")):
        del text
