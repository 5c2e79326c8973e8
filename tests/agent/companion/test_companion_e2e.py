"""The child's companion against the real agent: the ask-for-more-time form reaches the service (a real
`sprout-agent run --user-mode` process) over its local socket, the request reaches a paired parent console, and
the parent's grant comes back to the child as a notice."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from agent.companion.app import Companion

ROOT = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent
CODE_RE = re.compile(r"\b([0-9A-Z]{4}-[0-9A-Z]{4})\b")


def run(*args) -> subprocess.CompletedProcess:
    p = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=60, cwd=ROOT,
                       env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert p.returncode == 0, (args, p.stdout, p.stderr)
    return p


@pytest.fixture()
def agent(tmp_path, qtbot):
    state = tmp_path / "agent"
    sock = tmp_path / "ipc" / "companion.sock"
    # The age-12 rules with no bedtime window: whatever the hour the suite runs at, the clock reaches no limit
    # (time counted past a limit would be added to the grant this test checks).
    policy = json.loads(run(BIN / "sprout-agent", "policy", "preset", "--age", "12").stdout)
    policy["screen"]["windows"] = {}
    (tmp_path / "policy.json").write_text(json.dumps(policy))
    log = open(tmp_path / "agent.log", "w")  # noqa: SIM115 — the agent writes to it for the whole fixture
    proc = subprocess.Popen([str(BIN / "sprout-agent"), "run", "--user-mode", "--state", str(state), "--link",
                             "127.0.0.1:0", "--socket", str(sock), "--lang", "en", "--policy",
                             str(tmp_path / "policy.json")], stdout=log, stderr=log,
                            cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    qtbot.waitUntil(lambda: sock.exists() and (state / "link.address").exists(), timeout=30000)
    yield state, sock, (state / "link.address").read_text().strip()
    proc.send_signal(signal.SIGTERM)
    proc.wait(15)
    log.close()


def test_ask_form_to_the_service_to_the_parent_and_back(qtbot, agent, tmp_path):
    state, sock, host = agent
    mom = tmp_path / "mom"
    code = CODE_RE.search(run(BIN / "sprout-agent", "pair", "--state", state).stdout).group(1)
    run(BIN / "sprout-console", "--state", mom, "--lang", "en", "--name", "mom", "pair", "--code", code,
        "--host", host)

    companion = Companion(sock, watch=True)
    try:
        win = companion.open_ask(scope="screen")
        qtbot.addWidget(win)
        win.minutes.setFocus()
        qtbot.keyClick(win.minutes, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClicks(win.minutes, "20")
        qtbot.keyClicks(win.reason, "homework")
        qtbot.mouseClick(win.send_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: (win.last_answer or {}).get("state") == "queued", timeout=5000)
        request_id = win.last_answer["id"]

        # Queued at the service, and on its way to the parent.
        listed = run(BIN / "sprout-console", "--state", mom, "--lang", "en", "requests").stdout
        assert request_id in listed and "20" in listed
        run(BIN / "sprout-console", "--state", mom, "--lang", "en", "grant", request_id, "20", "--message",
            "Ok, finish it")
        # The child sees the grant as a notice.
        qtbot.waitUntil(lambda: any(n.notice.get("kind") == "grant" for n in companion.notices), timeout=8000)
        status = json.loads(run(BIN / "sprout-agent", "status", "--user-mode", "--state", state, "--json").stdout)
        (day,) = status["days"].values()
        assert day["grant_screen_s"] == 1200
    finally:
        companion.shutdown()


def test_before_any_pairing_the_companion_shows_the_code_and_the_parent_can_use_it(qtbot, agent, tmp_path):
    from agent.companion.pairing_window import PairingWindow

    _state, sock, host = agent
    companion = Companion(sock, watch=False)
    try:
        companion.refresh()
        win = companion.windows.get("pairing")
        assert isinstance(win, PairingWindow)
        code = win.code.text()
        assert CODE_RE.fullmatch(code) and not win.qr.pixmap().isNull()
        # The parent types the code shown on the child's screen.
        run(BIN / "sprout-console", "--state", tmp_path / "mom", "--lang", "en", "--name", "mom", "pair",
            "--code", code, "--host", host)
        companion.refresh()
        assert "pairing" not in companion.windows  # paired: the code is no longer offered on the child's PC
        assert companion.status.get("pairing") is None
    finally:
        companion.shutdown()


def test_a_device_makers_logo_travels_from_oem_toml_to_the_childs_screen(qtbot, tmp_path):
    """first-start copies the logo into the 0700 state folder; the real service reads and checks it and hands it
    to the companion over its socket; the status and pairing windows draw it where the sprout would be."""
    from PySide6.QtCore import QBuffer, QIODevice
    from PySide6.QtGui import QColor, QImage

    from agent.companion.pairing_window import PairingWindow
    from agent.oem import first_start

    image = QImage(120, 80, QImage.Format.Format_ARGB32)
    image.fill(QColor("#1F7A8C"))
    buf = QBuffer()
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buf, "PNG")
    factory = tmp_path / "factory"
    factory.mkdir()
    (factory / "anphat.png").write_bytes(bytes(buf.data()))
    (factory / "oem.toml").write_text('[brand]\nname = "An Phát Kids PC"\nlogo = "anphat.png"\n', encoding="utf-8")
    state = tmp_path / "agent"
    first_start(state, factory / "oem.toml")
    sock = tmp_path / "ipc" / "companion.sock"
    log = open(tmp_path / "agent.log", "w")  # noqa: SIM115 — the agent writes to it until it stops
    proc = subprocess.Popen([str(BIN / "sprout-agent"), "run", "--user-mode", "--state", str(state), "--link",
                             "127.0.0.1:0", "--socket", str(sock), "--lang", "en"], stdout=log, stderr=log,
                            cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    companion = None
    try:
        qtbot.waitUntil(lambda: sock.exists() and (state / "link.address").exists(), timeout=30000)
        companion = Companion(sock, watch=False, tray=False)
        assert companion.status["brand_logo"]["type"] == "png" and companion.status["brand"] == "An Phát Kids PC"
        win = companion.status_window
        assert win is not None and not win.logo.isHidden() and win.pic.isHidden()
        pix = win.logo.pixmap()
        assert pix.height() / pix.devicePixelRatio() == 48 and pix.width() / pix.devicePixelRatio() == 72
        assert pix.toImage().pixelColor(36, 24).name() == "#1f7a8c"
        pairing = companion.windows.get("pairing")  # not paired yet: the first-login window, under the brand
        assert isinstance(pairing, PairingWindow) and not pairing.logo.pixmap().isNull()
        assert pairing.brand_line.text() == "An Phát Kids PC"
    finally:
        if companion is not None:
            companion.shutdown()
        proc.send_signal(signal.SIGTERM)
        proc.wait(15)
        log.close()
    assert "device maker's logo" in (tmp_path / "agent.log").read_text()
