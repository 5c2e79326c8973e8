"""The companion survives PySide6 6.12.0's None reference leak (see agent/companion/none_guard.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = r"""
import sys
{guard}
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel()
for _ in range(300_000):
    label.setText("Còn 5 phút")
print("survived")
"""


def run(guard: bool) -> subprocess.CompletedProcess[str]:
    code = SCRIPT.format(guard="import agent.companion" if guard else "")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env, cwd=ROOT)


def test_many_void_qt_calls_survive_with_the_companion_loaded() -> None:
    done = run(guard=True)
    assert done.returncode == 0 and "survived" in done.stdout, done.stderr[-500:]


def test_the_guard_is_on_exactly_when_pyside_leaks() -> None:
    from agent.companion import none_guard

    bare = run(guard=False)
    leaking = bare.returncode != 0 and "none_dealloc" in bare.stderr
    # When this fails because PySide6 no longer leaks, delete none_guard.py and its import.
    assert none_guard.active() == leaking == none_guard.leaks_none()
