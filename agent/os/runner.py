"""Running OS commands (loginctl, pmset, osascript…) behind a small interface, always with a timeout, so that
session control and idle probes can be tested by recording the command lines."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

DEFAULT_TIMEOUT_S = 5.0


@dataclass(frozen=True)
class CommandResult:
    returncode: int
    stdout: str = ""
    stderr: str = ""

    @property
    def ok(self) -> bool:
        return self.returncode == 0


class CommandRunner(Protocol):
    def run(self, argv: Sequence[str], *, timeout: float = DEFAULT_TIMEOUT_S) -> CommandResult: ...


class SubprocessRunner:
    """The real runner. A missing program or a hang is a result (127 / 124, as shells report them), not an
    exception: the service must carry on with its next tick."""

    def run(self, argv: Sequence[str], *, timeout: float = DEFAULT_TIMEOUT_S) -> CommandResult:
        try:
            done = subprocess.run(list(argv), capture_output=True, text=True, timeout=timeout, check=False,
                                  stdin=subprocess.DEVNULL)
        except FileNotFoundError:
            return CommandResult(127, "", f"{argv[0]}: command not found")
        except subprocess.TimeoutExpired:
            return CommandResult(124, "", f"{argv[0]}: no answer within {timeout:g} s")
        except OSError as exc:
            return CommandResult(126, "", f"{argv[0]}: {exc.strerror or exc}")
        return CommandResult(done.returncode, done.stdout, done.stderr)
