"""Which of the child's apps use the camera or the microphone, as the OS reports it: one adapter per OS behind
`CaptureSource`, each imported only when chosen.

- Linux (capture_linux.py): the child's processes holding a camera (/dev/video*) or a capture PCM
  (/dev/snd/pcmC*D*c) open, read from /proc/<pid>/fd; apps recording through PipeWire or PulseAudio from
  `pactl list source-outputs` where a server answers.
- Windows (capture_windows.py): the CapabilityAccessManager ConsentStore in the child's registry hive — an app
  whose LastUsedTimeStop is 0 is using the webcam or microphone now.
- macOS (capture_macos.py): the child's TCC database — an app listed for kTCCServiceCamera or
  kTCCServiceMicrophone has asked for them.

An adapter returns what it sees now; the service (agent/service/privacy_reminders.py) remembers what it already
reminded about. Only app names leave an adapter: never a window title, a file or what is said or shown.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True)
class CaptureUse:
    app: str  # the program's name as the child knows it ("zoom", "Discord"), never a path with a user's files
    device: str  # "camera" or "microphone"


class CaptureSource(Protocol):
    def in_use(self) -> list[CaptureUse]:
        """The apps using (or, on macOS, allowed to ask for) the camera or microphone now; may raise OSError."""
        ...


class NoCapture:
    """A platform where Sprout cannot see camera or microphone use: nothing is reported."""

    def in_use(self) -> list[CaptureUse]:
        return []


def make_capture_source(platform: str | None = None, *, child_uid: int | None = None,
                        device_root: Path | None = None, child_home: Path | None = None,
                        child_sid: str | None = None) -> CaptureSource:
    platform = platform or sys.platform
    if platform.startswith("linux"):
        import os

        from agent.os.capture_linux import LinuxCapture, PulseSources

        # pactl reaches the sound server of the account it runs as: the child's own only in user mode
        own = child_uid is None or child_uid == os.getuid()
        return LinuxCapture(child_uid=child_uid, device_root=device_root or Path("/dev"),
                            pulse=None if own else PulseSources(pactl=""))
    if platform == "win32":
        from agent.os.capture_windows import ConsentStoreCapture, WinRegistry

        return ConsentStoreCapture(WinRegistry(child_sid))
    if platform == "darwin":
        from agent.os.capture_macos import TccCapture, tcc_db_path

        return TccCapture(tcc_db_path(child_home or Path.home()))
    return NoCapture()
