"""What the journey tests (tests/journeys/test_*.py) share: the real `sprout-agent run --user-mode` on an ephemeral
link port, the `sprout-agent` / `sprout-console` commands, and screenshots of what each side saw.

Screenshots go to the test's own temp folder; `tools/screenshots_journeys.py` runs the journeys with
SPROUT_JOURNEY_SHOTS=docs/screenshots/journeys so the pictures in docs/ are the ones a passing journey took.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CODE_RE = re.compile(r"\b([0-9A-Z]{4}-[0-9A-Z]{4})\b")
ENV = dict(os.environ, PYTHONPATH=str(ROOT), LANG="en_US.UTF-8")


def run(*args: object, ok: bool = True, timeout: float = 60) -> subprocess.CompletedProcess:
    p = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=timeout, env=ENV, cwd=ROOT)
    if ok:
        assert p.returncode == 0, (args, p.stdout, p.stderr)
    return p


@dataclass
class Agent:
    state: Path
    host: str
    log: Path
    proc: subprocess.Popen
    extra: dict[str, Any] = field(default_factory=dict)

    def pairing_code(self) -> str:
        out = run(BIN / "sprout-agent", "pair", "--state", self.state).stdout
        match = CODE_RE.search(out)
        assert match, out
        return match.group(1)

    def events(self, n: int = 500) -> list[dict[str, Any]]:
        out = run(BIN / "sprout-agent", "status", "--json", "--user-mode", "--state", self.state, "--events", str(n)).stdout
        return json.loads(out)["events"]

    @property
    def socket(self) -> Path:
        return self.state / "companion.sock"


def start_agent(tmp: Path, lang: str, *args: str, name: str = "agent", any_hour: bool = True) -> Iterator[Agent]:
    """`sprout-agent run --user-mode` on 127.0.0.1:0; yields once its link address is written; SIGTERM after.

    With `any_hour` (and no --policy of the test's own) the agent starts on its built-in default rules without the
    bedtime window, so the hour the suite runs at reaches no limit before the console's rules arrive."""
    state = tmp / name
    log_path = tmp / f"{name}.log"
    if any_hour and "--policy" not in args:
        from agent.policy import preset

        doc = preset(12, ["vn-decree-147"])  # what `run` enforces before a parent's rules (agent/assembly.py)
        doc["screen"]["windows"] = {}
        policy = tmp / f"{name}-any-hour-policy.json"
        policy.write_text(json.dumps(doc), encoding="utf-8")
        args = (*args, "--policy", str(policy))
    (state / "link.address").unlink(missing_ok=True)  # a restart on the same state: never the last run's address
    log = open(log_path, "w")  # noqa: SIM115 - the agent writes to it for its whole life
    proc = subprocess.Popen([str(BIN / "sprout-agent"), "run", "--user-mode", "--state", str(state), "--link",
                             "127.0.0.1:0", "--lang", lang, *args], stdout=log, stderr=log, env=ENV, cwd=ROOT)
    addr = state / "link.address"
    deadline = time.monotonic() + 60
    while not (addr.exists() and addr.read_text().strip()):
        assert proc.poll() is None, log_path.read_text()
        assert time.monotonic() < deadline, "agent did not start: " + log_path.read_text()
        time.sleep(0.1)
    try:
        yield Agent(state, addr.read_text().strip(), log_path, proc)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
        log.close()


def shot_dir(tmp: Path) -> Path:
    wanted = os.environ.get("SPROUT_JOURNEY_SHOTS")
    out = Path(wanted) if wanted else tmp / "shots"
    out.mkdir(parents=True, exist_ok=True)
    return out


def shooter(tmp: Path) -> Callable[[Any, str], Path]:
    """shot(widget, "journey-step-vi") saves what the widget shows as PNG and returns the path."""
    folder = shot_dir(tmp)

    def shot(widget: Any, name: str) -> Path:
        from PySide6.QtWidgets import QApplication

        QApplication.processEvents()
        path = folder / f"{name}.png"
        assert widget.grab().save(str(path)), path
        return path

    return shot


def visible_texts(widget: Any) -> list[str]:
    """Every text a person can read in a window: labels, buttons, titles, group boxes, tabs, fields, items."""
    from PySide6.QtWidgets import (
        QAbstractButton,
        QComboBox,
        QGroupBox,
        QLabel,
        QLineEdit,
        QListWidget,
        QPlainTextEdit,
        QProgressBar,
        QTableWidget,
        QTabWidget,
        QTextEdit,
        QWidget,
        QWizard,
    )

    out: list[str] = []
    widgets = [widget, *widget.findChildren(QWidget)]
    for w in widgets:
        if not w.isVisibleTo(widget) and w is not widget:
            continue
        if isinstance(w, (QLabel, QAbstractButton)):
            out.append(w.text())
        elif isinstance(w, QGroupBox):
            out.append(w.title())
        elif isinstance(w, QTabWidget):
            out += [w.tabText(i) for i in range(w.count())]
        elif isinstance(w, QComboBox):
            out.append(w.currentText())
        elif isinstance(w, QLineEdit):
            out.append(w.text() or w.placeholderText())
        elif isinstance(w, (QPlainTextEdit, QTextEdit)):
            out.append(w.toPlainText())
        elif isinstance(w, QListWidget):
            out += [w.item(i).text() for i in range(w.count())]
        elif isinstance(w, QTableWidget):
            out += [w.horizontalHeaderItem(i).text() for i in range(w.columnCount()) if w.horizontalHeaderItem(i)]
        elif isinstance(w, QProgressBar):
            out.append(w.text())
        if isinstance(w, QWizard):
            out += [w.currentPage().title(), w.currentPage().subTitle()]
        if w.isWindow():
            out.append(w.windowTitle())
    return [re.sub(r"<[^>]+>", " ", t) for t in out if t and t.strip()]


# Words that never appear in a Vietnamese sentence but in nearly every English one: a Vietnamese window showing
# any of them shows English (an untranslated string, a raw error, an ID).
ENGLISH_WORDS = {"the", "and", "is", "are", "not", "cannot", "of", "to", "your", "you", "minutes", "version",
                 "newer", "error", "reach", "please", "file", "today", "time", "games", "screen", "request",
                 "granted", "declined", "online", "offline", "with", "for", "from", "this", "that", "was", "will"}


def english_in(texts: list[str], allowed: set[str] = frozenset()) -> list[str]:
    """The texts (shown in a Vietnamese UI) that contain English words; `allowed` = names the family typed."""
    bad = []
    for text in texts:
        clean = text
        for name in allowed:
            clean = clean.replace(name, " ")
        # whole words ("toàn" is not "to"); a token with digits in it is a code or an ID ("WAS6QAI" is not "was")
        words = {w.lower() for w in re.findall(r"[^\W_]+", clean) if not any(c.isdigit() for c in w)}
        if words & ENGLISH_WORDS:
            bad.append(text)
    return bad


def paired_console(tmp: Path, agent: Agent, lang: str, child: str = "Minh Anh",
                   edit: Callable[[dict[str, Any]], None] | None = None) -> Any:
    """A console set up as after its first start (PIN, one child, the agent's PC paired, rules applied)."""
    from app.gui import i18n
    from app.gui.session import Session

    i18n.switch(lang)
    session = Session(tmp / "console", use_keyring=False, name="mom")
    session.store.set_language(lang)
    session.store.set_pin("2468")
    kid = session.add_child(child, time.localtime().tm_year - 12, True)
    session.pair(agent.host, agent.pairing_code(), kid.id)
    doc = session.policy(kid.id)
    # Whatever the hour the suite runs at, no limit is reached by the clock (the age-12 rules close the day at
    # 21:00 in Hà Nội, 14:00 UTC): a journey that meets the bedtime window sets one in `edit`.
    doc["screen"]["windows"] = {}
    if edit is not None:  # the parent's own rules, set in the console before they are sent
        edit(doc)
    session.push_policy(kid.id, doc)
    session.kid = kid
    return session


def both_agree(session: Any, agent: Agent, fields: list[str]) -> None:
    """The parent's signed agreement to see `fields`, and the child's yes in the companion (docs/privacy.md): until
    both agreed, no minutes reach the parent."""
    from agent.companion.ipc_client import IpcClient

    device = session.store.children()[0].devices[0]
    session.link(device).give_consent(fields)
    child = IpcClient(agent.socket)
    try:
        assert child.consent_answer(True, reconnect_for=10)["state"] == "both"
    finally:
        child.close()


def close_console(session: Any) -> None:
    from PySide6.QtCore import QThreadPool

    from app.gui import i18n

    QThreadPool.globalInstance().waitForDone(15_000)
    session.close()
    i18n.switch("en")


def clipped(window: Any) -> list[str]:
    """Texts in a window that do not fit where they are drawn (a wrapped label shorter than its text needs, a
    button or one-line label narrower than its words)."""
    from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget

    # a text change posts a layout request to each level in turn (label, card, column, window): let every level
    # settle first, so a machine too busy to have run the event loop yet is not read as a clipped text
    for _ in range(6):
        QApplication.sendPostedEvents()
        QApplication.processEvents()
    out = []
    for w in [window, *window.findChildren(QWidget)]:
        if not w.isVisibleTo(window) or not w.isVisible():
            continue
        if isinstance(w, QLabel) and w.text():
            if w.wordWrap():
                need = w.heightForWidth(w.width())
                if need > w.height() + 1:
                    out.append(f"{w.text()[:60]!r}: needs {need} px high, has {w.height()}")
            elif w.sizeHint().width() > w.width() + 1 and not w.hasScaledContents():
                out.append(f"{w.text()[:60]!r}: needs {w.sizeHint().width()} px wide, has {w.width()}")
        elif isinstance(w, QAbstractButton) and w.text() and w.minimumSizeHint().width() > w.width() + 1:
            out.append(f"button {w.text()!r}: needs {w.minimumSizeHint().width()} px, has {w.width()}")
    return out


@dataclass(frozen=True)
class ScriptedProc:
    pid: int
    ppid: int
    name: str
    exe: str | None = None
    uid: int = field(default_factory=os.getuid)
    create_time: float = 1.0
    parent_name: str | None = None


class ScriptedDesktop:
    """The process and foreground sources, injected (agent.os's interfaces): the journey says what runs and
    which window is in front. Named so: the only fake in a journey, standing in for a real desktop session."""

    def __init__(self) -> None:
        self.procs: list[ScriptedProc] = []
        self.front: ScriptedProc | None = None

    def snapshot(self) -> list[Any]:
        return list(self.procs)

    def current(self) -> Any:
        return self.front

    def use(self, name: str, pid: int) -> None:
        """The child switches to `name` (started if it is not running)."""
        proc = next((p for p in self.procs if p.pid == pid), None) or ScriptedProc(pid, 1, name)
        if proc not in self.procs:
            self.procs.append(proc)
        self.front = proc


NoProcessesRunning = ScriptedDesktop  # nothing of the child's is running until a journey says so


@dataclass
class AssembledAgent(Agent):
    """The agent put together by the product's own build_core + start_extras (the real parent link on an ephemeral
    port, the real companion socket, the real encrypted store), with its clock and OS adapters injected — the way
    to walk a family through a night, or a PC whose lock does not work, in seconds."""

    core: Any = None
    clock: Any = None
    desktop: Any = None

    def tick(self, seconds: int = 1) -> list[Any]:
        out = []
        for _ in range(seconds):
            self.clock.advance(1)
            out += self.core.tick()
        return out


def assemble_agent(tmp: Path, lang: str, start: str, *, session: Any = None, policy: Path | None = None,
                   name: str = "agent") -> Iterator[AssembledAgent]:
    import datetime as dt

    from agent.assembly import ServiceOptions, build_core, start_extras
    from agent.ledger.clock import SimulatedClock

    state = tmp / name
    opts = ServiceOptions(state_dir=state, user_mode=True, socket_path=state / "companion.sock",
                          link_listen="127.0.0.1:0", lang=lang, policy_file=policy)
    clock = SimulatedClock(dt.datetime.fromisoformat(start).timestamp())
    desktop = ScriptedDesktop()
    adapters = {"processes": desktop, "foreground": desktop, "idle": None, "session": session,
                "closer": lambda pid, **_kw: "closed"}
    core = build_core(opts, clock=clock, adapters=adapters)
    stoppers = start_extras(core, opts)
    host = (state / "link.address").read_text().strip()
    try:
        yield AssembledAgent(state, host, state / "agent.log", None, core=core, clock=clock,  # type: ignore[arg-type]
                             desktop=desktop)
    finally:
        for stop in reversed(stoppers):
            stop()
        core.save()
        core.enforcer.shutdown()


# The fixtures most journeys share (import them by name): each journey runs in Vietnamese and in English, against
# a real `sprout-agent run` and a console paired with it.
@pytest.fixture(params=["vi", "en"])
def lang(request):  # type: ignore[no-untyped-def]
    return request.param


@pytest.fixture()
def agent(tmp_path, lang):  # type: ignore[no-untyped-def]
    yield from start_agent(tmp_path, lang)


@pytest.fixture()
def console(tmp_path, agent, lang):  # type: ignore[no-untyped-def]
    session = paired_console(tmp_path, agent, lang)
    yield session
    close_console(session)
