"""`sprout-agent … | head`: when the reader goes away the commands stop quietly, as other Unix tools do, instead of
printing a Python traceback into the parent's terminal."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration


def _run_into_closed_pipe(argv: list[str], tmp_path: Path) -> subprocess.CompletedProcess:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first byte: every write gets EPIPE
    try:
        env = {**os.environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config"),
               "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_STATE_HOME": str(tmp_path / "state")}
        return subprocess.run(argv, stdout=write_end, stderr=subprocess.PIPE, text=True, timeout=120, env=env)
    finally:
        os.close(write_end)


@pytest.mark.parametrize("argv", [
    ["-m", "agent.cli", "policy", "preset", "--age", "12"],
    ["-m", "app.cli", "--state", "{state}", "devices"],
])
def test_a_closed_pipe_ends_the_command_without_a_traceback(argv: list[str], tmp_path: Path) -> None:
    argv = [a.format(state=tmp_path / "console") for a in argv]
    done = _run_into_closed_pipe([sys.executable, *argv], tmp_path)
    assert "Traceback" not in done.stderr and "BrokenPipeError" not in done.stderr, done.stderr
    assert done.returncode == 141  # the shell's status for a command ended by SIGPIPE
