"""The built wheel, installed (not editable) into a fresh virtual environment outside the checkout, runs: the agent
alone without any GUI package (a device maker's image), then the companion's wording from the `gui` extra. The
editable install the rest of the suite uses would hide a wheel that forgot resources/."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.e2e, pytest.mark.timeout(1500)]

WORDING = """
from PySide6.QtCore import QCoreApplication
app = QCoreApplication([])
from agent.companion.i18n import Language
from agent.companion.wording import notice_text
from agent.resources import resource_path
assert Language().switch("vi") == "vi"
t = notice_text({"kind": "web_block", "target": "fb88.com", "category": "gambling"}, "11-13")
print(resource_path("i18n"))
print(t.title)
Language().switch("en")
print(notice_text({"kind": "web_block", "target": "fb88.com", "category": "gambling"}, "11-13").title)
"""


def run(args: list[str], cwd: Path, env: dict[str, str], timeout: float = 900) -> str:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{args}: exit {done.returncode}\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}"
    return done.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # Built from a copy: setuptools leaves build/ and *.egg-info beside the sources it builds, and the checkout
    # of someone running the suite is not the place for them.
    source = tmp_path_factory.mktemp("source") / "sprout"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".sprout-demo", ".pytest_cache"))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(source)], out, env)
    (found,) = out.glob("sprout_parental-*.whl")
    return found


def test_the_wheel_installs_and_runs_the_agent_without_gui_then_the_companion_wording(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py, bin_ = env_dir / "bin" / "python", env_dir / "bin"
    away = tmp_path / "elsewhere"  # not the checkout: nothing can be found by accident in the current folder
    away.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SPROUT_RESOURCES", "VIRTUAL_ENV")}
    env["PATH"] = f"{bin_}:{env.get('PATH', '')}"
    env["QT_QPA_PLATFORM"] = "offscreen"
    run([str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(wheel)], away, env)

    installed = run([str(py), "-c", "import agent, importlib.util as u; print(agent.__file__); "
                     "print(u.find_spec('PySide6') is not None)"], away, env).split()
    assert installed[0].startswith(str(env_dir)) and "/site-packages/" in installed[0]  # not the editable checkout
    assert installed[1] == "False"  # the agent alone does not pull the GUI toolkit

    policy = json.loads(run([str(bin_ / "sprout-agent"), "policy", "preset", "--age", "12", "--preset",
                             "vn-decree-147"], away, env))
    assert policy["games"]["per_game_minutes"] == 60 and "vn-decree-147" in policy["presets"]
    verdicts = run([str(bin_ / "sprout-agent"), "classify", "--all-categories", "fb88.com", "wikipedia.org"],
                   away, env)
    assert "fb88.com" in verdicts and "gambling" in verdicts and "wikipedia.org" in verdicts

    no_gui = subprocess.run([str(bin_ / "sprout-agent"), "companion", "--socket", str(tmp_path / "c.sock")],
                            cwd=away, env=env, capture_output=True, text=True, timeout=120)
    assert no_gui.returncode == 2 and "sprout-parental[gui]" in no_gui.stderr and "Traceback" not in no_gui.stderr

    run([str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check", f"{wheel}[gui]"], away, env)
    lines = run([str(py), "-c", WORDING], away, env).splitlines()
    assert lines[0].startswith(str(env_dir)) and lines[0].endswith("sprout_resources/i18n")
    assert lines[1] and lines[2] and lines[1] != lines[2]  # Vietnamese from the wheel's .qm, not the English source
