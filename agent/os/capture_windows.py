"""Camera and microphone use on Windows, from the CapabilityAccessManager ConsentStore (Windows 10 1903+), the
registry record behind Settings → Privacy → Camera/Microphone "recent activity":

    <hive>\\Software\\Microsoft\\Windows\\CurrentVersion\\CapabilityAccessManager\\ConsentStore\\{webcam,microphone}\\
        <PackageFamilyName>\\                        a Store app, e.g. Microsoft.WindowsCamera_8wekyb3d8bbwe
        NonPackaged\\<path with # for \\>\\           a desktop app, e.g. C:#Program Files#Zoom#bin#Zoom.exe
            LastUsedTimeStart, LastUsedTimeStop      REG_QWORD FILETIMEs; Stop is 0 while the app uses the device

The service (SYSTEM) reads the child's hive under HKEY_USERS\\<child's SID>; in user mode HKEY_CURRENT_USER.
`Registry` is the little the adapter needs, so it is tested on Linux with a fake registry (tests, named so).
"""

from __future__ import annotations

from typing import Any, Protocol

from agent.os.capture import CaptureUse

CONSENT_STORE = r"Software\Microsoft\Windows\CurrentVersion\CapabilityAccessManager\ConsentStore"
DEVICES = {"webcam": "camera", "microphone": "microphone"}


class Registry(Protocol):
    def subkeys(self, path: str) -> list[str]:
        """Names of the subkeys of `path` under the hive; [] when it does not exist."""
        ...

    def qword(self, path: str, name: str) -> int | None:
        """A REG_QWORD value, or None when it does not exist."""
        ...


class WinRegistry:
    """The real registry through winreg (imported here only: this module loads on Windows alone)."""

    def __init__(self, child_sid: str | None = None) -> None:
        import winreg

        self._winreg: Any = winreg
        self._root = winreg.HKEY_USERS if child_sid else winreg.HKEY_CURRENT_USER
        self._prefix = f"{child_sid}\\" if child_sid else ""

    def subkeys(self, path: str) -> list[str]:
        winreg = self._winreg
        try:
            with winreg.OpenKey(self._root, self._prefix + path) as key:
                count = winreg.QueryInfoKey(key)[0]
                return [winreg.EnumKey(key, i) for i in range(count)]
        except OSError:
            return []

    def qword(self, path: str, name: str) -> int | None:
        winreg = self._winreg
        try:
            with winreg.OpenKey(self._root, self._prefix + path) as key:
                value, kind = winreg.QueryValueEx(key, name)
        except OSError:
            return None
        return int(value) if kind == winreg.REG_QWORD else None


def app_name(entry: str, packaged: bool) -> str:
    """"Microsoft.WindowsCamera_8wekyb3d8bbwe" → "Microsoft.WindowsCamera"; "C:#Apps#Zoom.exe" → "Zoom"."""
    if packaged:
        return entry.split("_", 1)[0]
    name = entry.rsplit("#", 1)[-1]
    return name[:-4] if name.lower().endswith(".exe") else name


class ConsentStoreCapture:
    def __init__(self, registry: Registry) -> None:
        self.registry = registry

    def in_use(self) -> list[CaptureUse]:
        found: dict[CaptureUse, None] = {}
        for key, device in DEVICES.items():
            base = f"{CONSENT_STORE}\\{key}"
            for entry in self.registry.subkeys(base):
                if entry == "NonPackaged":
                    for exe in self.registry.subkeys(f"{base}\\NonPackaged"):
                        if self._using(f"{base}\\NonPackaged\\{exe}"):
                            found[CaptureUse(app_name(exe, packaged=False), device)] = None
                elif self._using(f"{base}\\{entry}"):
                    found[CaptureUse(app_name(entry, packaged=True), device)] = None
        return list(found)

    def _using(self, path: str) -> bool:
        start = self.registry.qword(path, "LastUsedTimeStart")
        stop = self.registry.qword(path, "LastUsedTimeStop")
        return bool(start) and (stop == 0 or (stop is not None and stop < start))
