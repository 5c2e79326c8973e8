"""Camera and microphone use on Linux: the child's processes with a camera or capture device open.

A V4L2 camera is a character device /dev/videoN; an ALSA capture stream is /dev/snd/pcmC<card>D<device>c (the
trailing "c"; playback ends in "p"). A process using one holds it open, which /proc/<pid>/fd shows as a link to the
device. As root the service reads every process's fd folder; in user mode only the user's own (the others are
refused, and skipped). `device_root` is where device files live (/dev; a test passes a folder of its own).

Apps that record through PipeWire or PulseAudio hold the sound server's socket, not the device: where `pactl`
answers (the child's session bus), its source outputs name them (`PulseSources`).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from agent.os.capture import CaptureUse


class ProcCaptureScan:
    """The child's processes with a camera or capture device open. The full /proc scan runs at the first call, when a
    device appears, and after inotify saw one of the devices opened (OpenEvents); otherwise a call costs a glob of
    the device folder. Without inotify every call scans."""

    def __init__(self, *, child_uid: int | None, device_root: Path = Path("/dev"), proc_root: Path = Path("/proc"),
                 use_inotify: bool = True):
        self.child_uid = child_uid
        self.proc_root = proc_root
        self.device_root = device_root
        self.scans = 0  # full /proc scans so far (measured in the tests and the docs)
        self._events = None
        if use_inotify:
            try:
                from agent.os.inotify_open import OpenEvents

                self._events = OpenEvents()
            except (OSError, AttributeError):  # no inotify (an old kernel, a sandbox): scan every time
                self._events = None
        root = re.escape(str(device_root).rstrip("/") or "")
        self._camera = re.compile(rf"^{root}/video\d+$")
        self._microphone = re.compile(rf"^{root}/snd/pcmC\d+D\d+c$")

    def device_of(self, target: str) -> str | None:
        if self._camera.match(target):
            return "camera"
        if self._microphone.match(target):
            return "microphone"
        return None

    def devices(self) -> list[Path]:
        root = self.device_root
        return sorted([*root.glob("video[0-9]*"), *root.glob("snd/pcmC*D*c")])

    def in_use(self) -> list[CaptureUse]:
        devices = self.devices()
        if not devices:
            return []
        if self._events is not None:
            new = self._events.watch(devices)
            opened = self._events.opened()
            if not new and not opened:
                return []  # nothing opened a camera or microphone since the last look
        return self.scan()

    def scan(self) -> list[CaptureUse]:
        self.scans += 1
        found: dict[tuple[str, str], None] = {}
        for entry in os.scandir(self.proc_root):
            if not entry.name.isdigit():
                continue
            try:
                if self.child_uid is not None and entry.stat(follow_symlinks=False).st_uid != self.child_uid:
                    continue
                fds = os.scandir(f"{entry.path}/fd")
            except OSError:  # gone, or another user's process seen without root
                continue
            devices: set[str] = set()
            with fds:
                for fd in fds:
                    try:
                        device = self.device_of(os.readlink(fd.path))
                    except OSError:
                        continue
                    if device is not None:
                        devices.add(device)
            if devices:
                app = _app_name(entry.path)
                if app:
                    for device in sorted(devices):
                        found[(app, device)] = None
        return [CaptureUse(app, device) for app, device in found]


def _app_name(pid_dir: str) -> str | None:
    try:
        with open(f"{pid_dir}/comm", encoding="utf-8", errors="replace") as f:
            return f.read().strip() or None
    except OSError:
        return None


class PulseSources:
    """Apps recording through PipeWire/PulseAudio (`pactl list source-outputs`), where a sound server answers.
    Every output of `pactl list source-outputs` is a capture stream; its application.name / process.binary
    properties name the app."""

    def __init__(self, pactl: str | None = None, env: dict[str, str] | None = None, timeout: float = 2.0,
                 quiet_s: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.pactl = (pactl or None) if pactl is not None else shutil.which("pactl")
        self.env = env
        self.timeout = timeout
        self.quiet_s = quiet_s  # after a failure (no server in reach) pactl is not started again for this long
        self.clock = clock
        self._quiet_until = -1.0
        self.runs = 0

    def available(self) -> bool:
        return self.pactl is not None

    def in_use(self) -> list[CaptureUse]:
        if self.pactl is None or self.clock() < self._quiet_until:
            return []
        self.runs += 1
        try:
            out = subprocess.run([self.pactl, "list", "source-outputs"], capture_output=True, text=True,
                                 timeout=self.timeout, env=self.env, check=False)
        except (OSError, subprocess.TimeoutExpired):
            out = None
        if out is None or out.returncode != 0:
            self._quiet_until = self.clock() + self.quiet_s  # no server in reach: nothing seen this way for now
            return []
        return [CaptureUse(app, "microphone") for app in parse_source_outputs(out.stdout)]


_PROP = re.compile(r'^\s*(application\.process\.binary|application\.name)\s*=\s*"(.*)"\s*$')


def parse_source_outputs(text: str) -> list[str]:
    """The app of each "Source Output #N" block: its binary, else its application name."""
    apps: dict[str, None] = {}
    block: dict[str, str] = {}

    def close() -> None:
        name = block.get("application.process.binary") or block.get("application.name")
        if name:
            apps[name[:80]] = None

    for line in text.splitlines():
        if line.startswith("Source Output #"):
            close()
            block = {}
            continue
        m = _PROP.match(line)
        if m:
            block[m.group(1)] = m.group(2)
    close()
    return list(apps)


class LinuxCapture:
    """The /proc scan, plus the sound server's view where one answers."""

    def __init__(self, *, child_uid: int | None, device_root: Path = Path("/dev"), proc_root: Path = Path("/proc"),
                 pulse: PulseSources | None = None) -> None:
        self.scan = ProcCaptureScan(child_uid=child_uid, device_root=device_root, proc_root=proc_root)
        self.pulse = pulse if pulse is not None else PulseSources()
        if device_root != Path("/dev") and pulse is None:
            self.pulse = PulseSources(pactl="")  # devices elsewhere (a test's folder): this machine's sound is not it

    def in_use(self) -> list[CaptureUse]:
        found = self.scan.in_use()
        if self.pulse.available():
            seen = set(found)
            found += [u for u in self.pulse.in_use() if u not in seen]
        return found
