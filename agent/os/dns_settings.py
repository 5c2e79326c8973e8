"""Point the system resolver at the family DNS filter, and put it back exactly as it was on uninstall.

One backend per way an OS configures DNS, all with the same interface (apply / restore / is_applied):
- Linux with systemd-resolved: a drop-in, /etc/systemd/resolved.conf.d/sprout.conf (DNS=127.0.0.1, Domains=~.).
- Linux with a plain /etc/resolv.conf: the original's exact bytes and mode, or its symlink target, are kept in a
  state file and put back on restore; ours replaces the file (never written through a symlink).
- Windows: the NameServer registry value of every TCP/IP interface (IPv4 and IPv6), recorded then restored.
- macOS: `networksetup -setdnsservers` per network service, the previous servers recorded then restored.
Every Linux path is relative to a `root` so installers and tests can use a scratch tree; the Windows and macOS
backends run commands through an injected runner so they can be tested with a recording fake on Linux.
"""

from __future__ import annotations

import base64
import json
import os
import re
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agent.fileio import atomic_write
from agent.os.runner import CommandResult, CommandRunner, SubprocessRunner

FILTER_V4 = "127.0.0.1"
FILTER_V6 = "::1"
STATE_DIR = "var/lib/sprout"  # under root on Linux
COMMAND_TIMEOUT_S = 30.0  # networksetup and reg can be slow on a busy machine


class ResolverError(RuntimeError):
    """The resolver could not be changed or restored; the message says what, where and why."""


@dataclass(frozen=True)
class Outcome:
    changed: bool
    message: str


class ResolverBackend(ABC):
    name: str

    @abstractmethod
    def apply(self, servers: Sequence[str] = (FILTER_V4,)) -> Outcome: ...

    @abstractmethod
    def restore(self) -> Outcome: ...

    @abstractmethod
    def is_applied(self) -> bool: ...


# -- shared: a JSON state file written atomically -----------------------------------------------------------


def _read_state(path: Path) -> dict[str, Any] | None:
    if not path.exists():
        return None
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ResolverError(f"{path}: unreadable restore record ({exc}); restore the DNS settings by hand") from exc
    if not isinstance(state, dict) or "backend" not in state:
        raise ResolverError(f"{path}: not a Sprout resolver restore record")
    return state


def _make_dirs(root: Path, folder: Path) -> list[str]:
    """Create folder and missing parents; return the root-relative ones we created, outermost first."""
    missing = []
    probe = folder
    while not probe.exists() and probe != root and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    created = []
    for path in reversed(missing):
        path.mkdir()
        created.append(path.relative_to(root).as_posix())
    return created


def _remove_dirs(root: Path, created: Sequence[str]) -> None:
    for rel in sorted(created, key=len, reverse=True):
        folder = root / rel
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


def _snapshot(path: Path) -> dict[str, Any]:
    if path.is_symlink():
        return {"kind": "symlink", "target": os.readlink(path)}
    if path.is_file():
        st = path.stat()
        return {"kind": "file", "data": base64.b64encode(path.read_bytes()).decode("ascii"),
                "mode": st.st_mode & 0o7777}
    if path.exists():
        raise ResolverError(f"{path}: is not a regular file or a symlink; refusing to replace it")
    return {"kind": "absent"}


def _put_back(path: Path, before: dict[str, Any]) -> None:
    if path.is_symlink() or path.exists():
        path.unlink()
    if before["kind"] == "file":
        atomic_write(path, base64.b64decode(before["data"]), before["mode"])
    elif before["kind"] == "symlink":
        os.symlink(before["target"], path)


def _check_servers(servers: Sequence[str]) -> list[str]:
    import ipaddress

    out = []
    for server in servers:
        try:
            out.append(str(ipaddress.ip_address(server)))
        except ValueError as exc:
            raise ResolverError(f"servers: {server!r} is not an IP address") from exc
    if not out:
        raise ResolverError("servers: at least one filter address is needed")
    return out


# -- Linux ----------------------------------------------------------------------------------------------------


class _LinuxFileBackend(ResolverBackend):
    """Replace one file under root with ours, keeping what was there (bytes, mode or symlink) for restore."""

    rel_path: str
    state_name: str

    def __init__(self, root: Path = Path("/"), runner: CommandRunner | None = None) -> None:
        self.root = root
        self.runner = runner  # None: change files only (tests, image building); the installer passes one
        self.target = root / self.rel_path
        self.state_path = root / STATE_DIR / self.state_name

    @abstractmethod
    def render(self, servers: list[str]) -> bytes: ...

    def after_change(self) -> None:
        """Commands that make the OS reread the file (run only with a runner)."""

    def is_applied(self) -> bool:
        return self.state_path.exists()

    def apply(self, servers: Sequence[str] = (FILTER_V4,)) -> Outcome:
        data = self.render(_check_servers(servers))
        state = _read_state(self.state_path)
        if state is None:
            state = {"backend": self.name, "path": self.rel_path, "before": _snapshot(self.target),
                     "created_dirs": []}
        elif self.target.is_file() and not self.target.is_symlink() and self.target.read_bytes() == data:
            return Outcome(False, f"{self.target}: already points at {', '.join(servers)}")
        state["created_dirs"] += _make_dirs(self.root, self.target.parent)
        state["created_dirs"] += _make_dirs(self.root, self.state_path.parent)
        # Record first: if we stop between the two writes, restore still knows the original.
        atomic_write(self.state_path, json.dumps(state, indent=2).encode("utf-8"), 0o600)
        atomic_write(self.target, data)
        self.after_change()
        return Outcome(True, f"{self.target}: now points at {', '.join(servers)} (original kept in {self.state_path})")

    def restore(self) -> Outcome:
        state = _read_state(self.state_path)
        if state is None:
            return Outcome(False, f"{self.target}: nothing to restore: Sprout has not changed it "
                                  f"(no record at {self.state_path})")
        if state.get("backend") != self.name:
            raise ResolverError(f"{self.state_path}: backend: recorded by {state.get('backend')!r}, not {self.name!r}")
        _put_back(self.target, state["before"])
        self.state_path.unlink()
        _remove_dirs(self.root, state["created_dirs"])
        self.after_change()
        return Outcome(True, f"{self.target}: restored as it was before Sprout")


class SystemdResolvedBackend(_LinuxFileBackend):
    name = "systemd-resolved"
    rel_path = "etc/systemd/resolved.conf.d/sprout.conf"
    state_name = "resolver-systemd-resolved.json"

    def render(self, servers: list[str]) -> bytes:
        return (
            "# Written by Sprout (Mầm): every name is resolved by the family DNS filter.\n"
            "# Removed by `sprout-agent` uninstall; do not edit.\n"
            "[Resolve]\n"
            f"DNS={' '.join(servers)}\n"
            "Domains=~.\n"  # the filter is the route for every domain, not only some
            "FallbackDNS=\n"  # no silent fallback past the filter if it stops answering
            "DNSOverTLS=no\n"
        ).encode()

    def after_change(self) -> None:
        if self.runner is not None:
            argv = ["systemctl", "reload-or-restart", "systemd-resolved.service"]
            result = self.runner.run(argv, timeout=COMMAND_TIMEOUT_S)
            if result.returncode != 0:
                raise ResolverError(f"systemctl reload-or-restart systemd-resolved: {result.stderr.strip()}")


class ResolvConfBackend(_LinuxFileBackend):
    name = "resolv.conf"
    rel_path = "etc/resolv.conf"
    state_name = "resolver-resolv-conf.json"

    def render(self, servers: list[str]) -> bytes:
        lines = ["# Written by Sprout (Mầm): every name is resolved by the family DNS filter.",
                 f"# The original is kept in /{STATE_DIR}/{self.state_name} and put back on uninstall."]
        lines += [f"nameserver {s}" for s in servers[:3]]  # the C library reads at most three
        lines.append("options edns0")
        return ("\n".join(lines) + "\n").encode("utf-8")


def detect_linux_backend(root: Path = Path("/"), runner: CommandRunner | None = None) -> ResolverBackend:
    """systemd-resolved when it manages resolv.conf (its stub file exists), else plain resolv.conf."""
    resolv = root / "etc/resolv.conf"
    managed = (root / "run/systemd/resolve/stub-resolv.conf").exists() or (
        resolv.is_symlink() and "systemd/resolve" in os.readlink(resolv))
    return SystemdResolvedBackend(root, runner) if managed else ResolvConfBackend(root, runner)


# -- Windows --------------------------------------------------------------------------------------------------

WIN_INTERFACES = {
    "ipv4": r"HKLM\SYSTEM\CurrentControlSet\Services\Tcpip\Parameters\Interfaces",
    "ipv6": r"HKLM\SYSTEM\CurrentControlSet\Services\Tcpip6\Parameters\Interfaces",
}
_REG_VALUE = re.compile(r"^\s+NameServer\s+REG_SZ\s*(.*?)\s*$", re.MULTILINE)


class _CommandBackend(ResolverBackend):
    """A backend that changes DNS through OS commands and keeps what it replaced in a JSON record at state_path."""

    def __init__(self, state_path: Path, runner: CommandRunner | None = None) -> None:
        self.state_path = state_path
        self.runner = runner or SubprocessRunner()

    def is_applied(self) -> bool:
        return self.state_path.exists()

    def _run(self, argv: list[str]) -> CommandResult:
        return self.runner.run(argv, timeout=COMMAND_TIMEOUT_S)

    def _must(self, argv: list[str]) -> CommandResult:
        result = self._run(argv)
        if result.returncode != 0:
            raise ResolverError(f"{' '.join(argv)}: exit {result.returncode}: {result.stderr.strip()}")
        return result


class WindowsResolverBackend(_CommandBackend):
    """Sets the static NameServer of every interface through `reg` (locale-independent output, unlike netsh),
    then flushes the DNS cache. DHCP-only interfaces have an empty or absent NameServer: recorded as such."""

    name = "windows-registry"

    def _interfaces(self, base: str) -> list[str]:
        out = self._must(["reg", "query", base]).stdout
        # reg prints sub-keys with the long hive name whatever the query used
        prefix = base.replace("HKLM\\", "HKEY_LOCAL_MACHINE\\", 1).lower() + "\\"
        return [line.strip() for line in out.splitlines() if line.strip().lower().startswith(prefix)]

    def _nameserver(self, key: str) -> str | None:
        result = self._run(["reg", "query", key, "/v", "NameServer"])
        if result.returncode != 0:
            return None  # value absent
        m = _REG_VALUE.search(result.stdout)
        return m.group(1) if m else None

    def apply(self, servers: Sequence[str] = (FILTER_V4, FILTER_V6)) -> Outcome:
        checked = _check_servers(servers)
        v4 = ",".join(s for s in checked if ":" not in s)
        v6 = ",".join(s for s in checked if ":" in s)
        state = _read_state(self.state_path)
        first = state is None
        if state is None:
            state = {"backend": self.name, "interfaces": {}}
            for family, base in WIN_INTERFACES.items():
                for key in self._interfaces(base):
                    state["interfaces"][key] = {"family": family, "NameServer": self._nameserver(key)}
            self.state_path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self.state_path, json.dumps(state, indent=2).encode("utf-8"), 0o600)
        for key, before in state["interfaces"].items():
            value = v4 if before["family"] == "ipv4" else v6
            if value:
                self._must(["reg", "add", key, "/v", "NameServer", "/t", "REG_SZ", "/d", value, "/f"])
        self._must(["ipconfig", "/flushdns"])
        count = len(state["interfaces"])
        return Outcome(first, f"Windows: {count} interfaces point at {', '.join(checked)}"
                              + ("" if first else " (already applied; original record kept)"))

    def restore(self) -> Outcome:
        state = _read_state(self.state_path)
        if state is None:
            return Outcome(False, f"Windows DNS: nothing to restore: no record at {self.state_path}")
        for key, before in state["interfaces"].items():
            if before["NameServer"] is None:
                result = self._run(["reg", "delete", key, "/v", "NameServer", "/f"])
                if result.returncode != 0 and self._nameserver(key) is not None:
                    raise ResolverError(f"reg delete {key} /v NameServer: {result.stderr.strip()}")
            else:
                self._must(["reg", "add", key, "/v", "NameServer", "/t", "REG_SZ", "/d", before["NameServer"], "/f"])
        self._must(["ipconfig", "/flushdns"])
        self.state_path.unlink()
        return Outcome(True, f"Windows: DNS of {len(state['interfaces'])} interfaces restored")


# -- macOS ----------------------------------------------------------------------------------------------------

_NO_SERVERS = re.compile(r"There aren't any DNS Servers set", re.IGNORECASE)


class MacResolverBackend(_CommandBackend):
    """`networksetup` per network service (Wi-Fi, Ethernet, ...); "Empty" means "use DHCP's servers"."""

    name = "macos-networksetup"

    def _services(self) -> list[str]:
        out = self._must(["networksetup", "-listallnetworkservices"]).stdout.splitlines()
        # First line explains the asterisk; disabled services start with "*" and are set too (they may be
        # enabled later by the child), with the asterisk removed from the name.
        return [line.lstrip("*").strip() for line in out[1:] if line.strip()]

    def _servers_of(self, service: str) -> list[str]:
        out = self._must(["networksetup", "-getdnsservers", service]).stdout
        if _NO_SERVERS.search(out):
            return []
        return [line.strip() for line in out.splitlines() if line.strip()]

    def apply(self, servers: Sequence[str] = (FILTER_V4, FILTER_V6)) -> Outcome:
        checked = _check_servers(servers)
        state = _read_state(self.state_path)
        first = state is None
        if state is None:
            state = {"backend": self.name, "services": {s: self._servers_of(s) for s in self._services()}}
            self.state_path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self.state_path, json.dumps(state, indent=2).encode("utf-8"), 0o600)
        for service in state["services"]:
            self._must(["networksetup", "-setdnsservers", service, *checked])
        self._must(["dscacheutil", "-flushcache"])
        return Outcome(first, f"macOS: {len(state['services'])} services point at {', '.join(checked)}"
                              + ("" if first else " (already applied; original record kept)"))

    def restore(self) -> Outcome:
        state = _read_state(self.state_path)
        if state is None:
            return Outcome(False, f"macOS DNS: nothing to restore: no record at {self.state_path}")
        for service, before in state["services"].items():
            self._must(["networksetup", "-setdnsservers", service, *(before or ["Empty"])])
        self._must(["dscacheutil", "-flushcache"])
        self.state_path.unlink()
        return Outcome(True, f"macOS: DNS of {len(state['services'])} services restored")
