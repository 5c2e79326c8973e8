"""Windows service "SproutAgent" (pywin32): runs the bundled `sprout-agent.exe run` and keeps it running.

- Recovery actions: the Service Control Manager restarts the service after 2 s, 2 s, then 10 s on every
  failure, and the failure count resets after a day (set at install: `sprout-service.exe install`).
- The wrapped agent process is restarted by the service itself too (bounded back-off on a monotonic clock), so
  killing sprout-agent.exe from Task Manager does not end enforcement.
- Protected stop: the service does not accept STOP from the Service Control Manager until the parent has run
  `sprout-agent.exe unlock --action stop` (the PIN or a console approval leaves a grant that StopGate consumes);
  every refused attempt is reported by the agent's Guard. Windows still lets an administrator kill the process;
  the recovery actions then start it again.

Built on a Windows runner (see .github/workflows/windows-macos.yml):
    pyinstaller --onedir --name sprout-service --hidden-import win32timezone installers/windows/sprout_service.py
The decision logic (StopGate, Backoff, agent_command) is plain Python and tested on Linux; only the class at
the bottom needs pywin32.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

SERVICE_NAME = "SproutAgent"
DISPLAY_NAME = "Sprout (Mầm) parental control"
DESCRIPTION = "Counts screen and game time, filters the web and talks to the parents' console."
RESTART_DELAYS_MS = (2000, 2000, 10000)
RESET_PERIOD_S = 24 * 3600
STOP_POLL_S = 5.0


def state_dir() -> Path:
    return Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / "Sprout"


def agent_command(install_dir: Path, state: Path) -> list[str]:
    """The agent's command line as the service runs it (DNS filter on loopback :53, link for the consoles)."""
    return [str(install_dir / "sprout-agent" / "sprout-agent.exe"), "run", "--state", str(state),
            "--policy", str(state / "oem-policy.json"), "--dns", "127.0.0.1:53", "--link", "0.0.0.0:47800",
            "--key-file-fallback"]


def failure_actions() -> dict[str, object]:
    """SERVICE_FAILURE_ACTIONS for ChangeServiceConfig2: restart on every failure (SC_ACTION_RESTART = 1)."""
    return {"ResetPeriod": RESET_PERIOD_S, "RebootMsg": "", "Command": "",
            "Actions": [(1, delay) for delay in RESTART_DELAYS_MS]}


@dataclass
class StopGate:
    """Whether the service may accept STOP now: only after the parent unlocked "stop" (consumed once)."""

    state: Path
    clock: Callable[[], float] = time.time
    _open: bool = field(default=False, init=False)

    def poll(self) -> bool:
        if self._open:
            return True
        grant = self.state / "protect" / "grant.json"
        if not grant.exists():
            return False
        sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # a checkout; the bundle has agent/ inside
        from agent.service.protect import Guard

        self._open = Guard(self.state, clock=self.clock).consume_grant("stop").allowed
        return self._open


@dataclass
class Backoff:
    """Restart delays for the wrapped agent: 1 s doubling to 60 s, back to 1 s after 10 minutes of running."""

    clock: Callable[[], float] = time.monotonic
    delay: float = 1.0
    started: float = 0.0

    def on_start(self) -> None:
        self.started = self.clock()

    def next_delay(self) -> float:
        if self.clock() - self.started > 600:
            self.delay = 1.0
        current = self.delay
        self.delay = min(60.0, self.delay * 2)
        return current


def _install_dir() -> Path:
    return Path(sys.executable).resolve().parent.parent  # {app}\service\sprout-service.exe -> {app}


if sys.platform == "win32":  # pragma: no cover - exercised on the Windows runner only
    import servicemanager
    import win32event
    import win32service
    import win32serviceutil

    class SproutService(win32serviceutil.ServiceFramework):
        _svc_name_ = SERVICE_NAME
        _svc_display_name_ = DISPLAY_NAME
        _svc_description_ = DESCRIPTION

        def __init__(self, args: list[str]) -> None:
            super().__init__(args)
            self.stop_event = win32event.CreateEvent(None, 0, 0, None)
            self.gate = StopGate(state_dir())
            self.process: subprocess.Popen | None = None

        def GetAcceptedControls(self) -> int:  # pywin32 asks this before each status report
            accepted = super().GetAcceptedControls()
            if not self.gate.poll():
                accepted &= ~win32service.SERVICE_ACCEPT_STOP  # STOP refused until the parent unlocks
            return accepted

        def SvcStop(self) -> None:
            self.ReportServiceStatus(win32service.SERVICE_STOP_PENDING)
            win32event.SetEvent(self.stop_event)

        def SvcDoRun(self) -> None:
            servicemanager.LogInfoMsg(f"{SERVICE_NAME} starting")
            backoff = Backoff()
            command = agent_command(_install_dir(), state_dir())
            while True:
                self.process = subprocess.Popen(command, creationflags=subprocess.CREATE_NO_WINDOW)
                backoff.on_start()
                while self.process.poll() is None:
                    if win32event.WaitForSingleObject(self.stop_event, int(STOP_POLL_S * 1000)) == 0:
                        self.process.terminate()
                        try:
                            self.process.wait(15)
                        except subprocess.TimeoutExpired:
                            self.process.kill()
                        return
                    self.ReportServiceStatus(win32service.SERVICE_RUNNING)  # re-announce accepted controls
                servicemanager.LogWarningMsg(f"sprout-agent exited with {self.process.returncode}; restarting")
                if win32event.WaitForSingleObject(self.stop_event, int(backoff.next_delay() * 1000)) == 0:
                    return

    def install_recovery() -> None:
        scm = win32service.OpenSCManager(None, None, win32service.SC_MANAGER_ALL_ACCESS)
        try:
            handle = win32service.OpenService(scm, SERVICE_NAME, win32service.SERVICE_ALL_ACCESS)
            try:
                win32service.ChangeServiceConfig2(handle, win32service.SERVICE_CONFIG_FAILURE_ACTIONS,
                                                  failure_actions())
                win32service.ChangeServiceConfig2(handle, win32service.SERVICE_CONFIG_FAILURE_ACTIONS_FLAG, True)
            finally:
                win32service.CloseServiceHandle(handle)
        finally:
            win32service.CloseServiceHandle(scm)


def main(argv: list[str]) -> int:  # pragma: no cover - Windows only
    if sys.platform != "win32":
        print("sprout-service: Windows only", file=sys.stderr)
        return 2
    if len(argv) == 1:
        servicemanager.Initialize()
        servicemanager.PrepareToHostSingle(SproutService)
        servicemanager.StartServiceCtrlDispatcher()
        return 0
    win32serviceutil.HandleCommandLine(SproutService, argv=argv)
    if "install" in argv[1:]:
        install_recovery()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
