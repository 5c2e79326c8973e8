"""Pointing the system resolver at the filter and restoring it exactly, on a scratch root (Linux) and against
recording fakes of `reg` (Windows) and `networksetup` (macOS) that keep the state those tools would change."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

import pytest

from agent.os.dns_settings import (
    MacResolverBackend,
    ResolvConfBackend,
    ResolverError,
    SystemdResolvedBackend,
    WindowsResolverBackend,
    detect_linux_backend,
)
from agent.os.runner import CommandResult

ORIGINAL_RESOLV = b"# from DHCP\nnameserver 192.168.1.1\nsearch home.lan\n"


def tree(root: Path) -> dict[str, tuple[str, object]]:
    out: dict[str, tuple[str, object]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                out[rel] = ("link", os.readlink(path))
            elif path.is_dir():
                out[rel] = ("dir", path.stat().st_mode & 0o7777)
            else:
                out[rel] = ("file", (path.read_bytes(), path.stat().st_mode & 0o7777))
    return out


class FakeSystemctl:
    """Records systemctl calls; fails on demand."""

    def __init__(self, fail: bool = False) -> None:
        self.calls: list[list[str]] = []
        self.fail = fail

    def run(self, argv: Sequence[str], *, timeout: float = 5.0) -> CommandResult:
        self.calls.append(list(argv))
        return CommandResult(1, "", "Unit not found") if self.fail else CommandResult(0)


# -- Linux: plain resolv.conf --------------------------------------------------------------------------------


def test_resolv_conf_file_apply_restore_is_byte_identical(tmp_path):
    (tmp_path / "etc").mkdir()
    resolv = tmp_path / "etc/resolv.conf"
    resolv.write_bytes(ORIGINAL_RESOLV)
    os.chmod(resolv, 0o640)
    before = tree(tmp_path)
    backend = ResolvConfBackend(tmp_path)
    outcome = backend.apply(["127.0.0.1", "::1"])
    assert outcome.changed and backend.is_applied()
    text = resolv.read_text(encoding="utf-8")
    assert re.findall(r"^nameserver (\S+)$", text, re.MULTILINE) == ["127.0.0.1", "::1"]
    assert "192.168.1.1" not in text
    assert backend.restore().changed
    assert tree(tmp_path) == before


def test_resolv_conf_symlink_is_replaced_not_written_through_and_restored(tmp_path):
    stub = tmp_path / "run/systemd/resolve"
    stub.mkdir(parents=True)
    (stub / "resolv.conf").write_bytes(ORIGINAL_RESOLV)
    (tmp_path / "etc").mkdir()
    os.symlink("../run/systemd/resolve/resolv.conf", tmp_path / "etc/resolv.conf")
    before = tree(tmp_path)
    backend = ResolvConfBackend(tmp_path)
    backend.apply()
    assert not (tmp_path / "etc/resolv.conf").is_symlink()
    assert (stub / "resolv.conf").read_bytes() == ORIGINAL_RESOLV  # the link's target untouched
    backend.restore()
    assert tree(tmp_path) == before
    assert os.readlink(tmp_path / "etc/resolv.conf") == "../run/systemd/resolve/resolv.conf"


def test_dangling_symlink_and_absent_file_are_restored_too(tmp_path):
    (tmp_path / "etc").mkdir()
    os.symlink("/nowhere/resolv.conf", tmp_path / "etc/resolv.conf")
    before = tree(tmp_path)
    backend = ResolvConfBackend(tmp_path)
    backend.apply()
    backend.restore()
    assert tree(tmp_path) == before

    empty = tmp_path / "empty"
    empty.mkdir()
    backend = ResolvConfBackend(empty)
    backend.apply()
    assert (empty / "etc/resolv.conf").is_file()
    backend.restore()
    assert tree(empty) == {}


def test_apply_twice_is_idempotent_and_keeps_the_first_original(tmp_path):
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc/resolv.conf").write_bytes(ORIGINAL_RESOLV)
    before = tree(tmp_path)
    backend = ResolvConfBackend(tmp_path)
    assert backend.apply().changed
    after_first = tree(tmp_path)
    second = backend.apply()
    assert not second.changed and "already" in second.message
    assert tree(tmp_path) == after_first
    # someone (DHCP client) overwrote our file: applying again fixes it but the original stays the first one
    (tmp_path / "etc/resolv.conf").write_bytes(b"nameserver 10.0.0.1\n")
    assert backend.apply().changed
    backend.restore()
    assert tree(tmp_path) == before


def test_restore_without_apply_is_a_no_op_with_a_clear_message(tmp_path):
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc/resolv.conf").write_bytes(ORIGINAL_RESOLV)
    before = tree(tmp_path)
    for backend in (ResolvConfBackend(tmp_path), SystemdResolvedBackend(tmp_path)):
        outcome = backend.restore()
        assert not outcome.changed and "nothing to restore" in outcome.message
    assert tree(tmp_path) == before


def test_bad_server_and_corrupt_record_are_clear_errors(tmp_path):
    backend = ResolvConfBackend(tmp_path)
    with pytest.raises(ResolverError, match=r"servers: 'localhost' is not an IP address"):
        backend.apply(["localhost"])
    assert tree(tmp_path) == {}
    backend.apply()
    backend.state_path.write_text("{oops", encoding="utf-8")
    with pytest.raises(ResolverError, match="unreadable restore record"):
        backend.restore()


def test_a_directory_in_place_of_resolv_conf_is_refused(tmp_path):
    (tmp_path / "etc/resolv.conf").mkdir(parents=True)
    with pytest.raises(ResolverError, match="not a regular file or a symlink"):
        ResolvConfBackend(tmp_path).apply()
    assert (tmp_path / "etc/resolv.conf").is_dir()


# -- Linux: systemd-resolved -----------------------------------------------------------------------------------


def test_systemd_resolved_drop_in_apply_restore(tmp_path):
    (tmp_path / "etc/systemd").mkdir(parents=True)
    (tmp_path / "etc/systemd/resolved.conf").write_bytes(b"[Resolve]\n#DNS=\n")
    before = tree(tmp_path)
    systemctl = FakeSystemctl()
    backend = SystemdResolvedBackend(tmp_path, systemctl)
    backend.apply()
    conf = (tmp_path / "etc/systemd/resolved.conf.d/sprout.conf").read_text(encoding="utf-8")
    assert "[Resolve]" in conf and "\nDNS=127.0.0.1\n" in conf and "\nDomains=~.\n" in conf
    assert systemctl.calls == [["systemctl", "reload-or-restart", "systemd-resolved.service"]]
    assert not backend.apply().changed
    backend.restore()
    assert tree(tmp_path) == before  # drop-in folder we created is gone too
    assert len(systemctl.calls) == 2


def test_systemd_reload_failure_is_reported(tmp_path):
    backend = SystemdResolvedBackend(tmp_path, FakeSystemctl(fail=True))
    with pytest.raises(ResolverError, match="systemd-resolved: Unit not found"):
        backend.apply()
    assert backend.is_applied()  # the record exists, so restore can still undo the file
    backend.runner = None
    assert backend.restore().changed


def test_detect_linux_backend(tmp_path):
    (tmp_path / "etc").mkdir()
    assert isinstance(detect_linux_backend(tmp_path), ResolvConfBackend)
    os.symlink("../run/systemd/resolve/stub-resolv.conf", tmp_path / "etc/resolv.conf")
    assert isinstance(detect_linux_backend(tmp_path), SystemdResolvedBackend)


# -- Windows ---------------------------------------------------------------------------------------------------

V4 = r"HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\Tcpip\Parameters\Interfaces"
V6 = r"HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\Tcpip6\Parameters\Interfaces"


class FakeWindowsRegistry:
    """Answers `reg query/add/delete` and `ipconfig` the way Windows prints them, over an in-memory registry."""

    def __init__(self, values: dict[str, str | None]) -> None:
        self.values = dict(values)  # key -> NameServer (None: value absent)
        self.calls: list[list[str]] = []

    @staticmethod
    def _long(key: str) -> str:
        return key.replace("HKLM\\", "HKEY_LOCAL_MACHINE\\", 1)

    def run(self, argv: Sequence[str], *, timeout: float = 5.0) -> CommandResult:
        argv = list(argv)
        self.calls.append(argv)
        if argv == ["ipconfig", "/flushdns"]:
            return CommandResult(0, "Successfully flushed the DNS Resolver Cache.\r\n")
        assert argv[0] == "reg", argv
        key = self._long(argv[2])
        if argv[1] == "query" and len(argv) == 3:
            subs = [k for k in self.values if k.startswith(key + "\\")]
            return CommandResult(0, "\r\n" + "".join(f"{k}\r\n" for k in subs))
        if argv[1] == "query":
            value = self.values.get(key)
            if value is None:
                return CommandResult(1, "", "ERROR: The system was unable to find the specified registry key or value.")
            return CommandResult(0, f"\r\n{key}\r\n    NameServer    REG_SZ    {value}\r\n\r\n")
        if argv[1] == "add":
            assert argv[3:5] == ["/v", "NameServer"] and argv[5:7] == ["/t", "REG_SZ"] and argv[-1] == "/f"
            self.values[key] = argv[8]
            return CommandResult(0, "The operation completed successfully.\r\n")
        if argv[1] == "delete":
            self.values[key] = None
            return CommandResult(0, "The operation completed successfully.\r\n")
        raise AssertionError(argv)


def windows_machine() -> FakeWindowsRegistry:
    return FakeWindowsRegistry({
        V4 + r"\{11111111-aaaa-4bbb-8ccc-000000000001}": "",  # DHCP
        V4 + r"\{11111111-aaaa-4bbb-8ccc-000000000002}": "192.168.1.1,8.8.8.8",  # static
        V4 + r"\{11111111-aaaa-4bbb-8ccc-000000000003}": None,  # never had the value
        V6 + r"\{11111111-aaaa-4bbb-8ccc-000000000001}": "",
    })


def test_windows_apply_restore_returns_every_interface_exactly(tmp_path):
    machine = windows_machine()
    before = dict(machine.values)
    backend = WindowsResolverBackend(tmp_path / "state/resolver-windows.json", machine)
    assert backend.apply().changed
    assert {k: v for k, v in machine.values.items() if "Tcpip6" not in k} == {
        k: "127.0.0.1" for k in before if "Tcpip6" not in k}
    assert machine.values[V6 + r"\{11111111-aaaa-4bbb-8ccc-000000000001}"] == "::1"
    assert ["ipconfig", "/flushdns"] in machine.calls
    assert not backend.apply().changed  # second time: same settings, original record kept
    assert backend.restore().changed
    assert machine.values == before
    assert not backend.is_applied()
    assert "nothing to restore" in backend.restore().message


def test_windows_failure_names_the_command(tmp_path):
    class Broken(FakeWindowsRegistry):
        def run(self, argv, *, timeout=5.0):
            if argv[:2] == ["reg", "add"]:
                return CommandResult(1, "", "ERROR: Access is denied.")
            return super().run(argv, timeout=timeout)

    backend = WindowsResolverBackend(tmp_path / "w.json", Broken(windows_machine().values))
    with pytest.raises(ResolverError, match=r"reg add .* exit 1: ERROR: Access is denied."):
        backend.apply()


# -- macOS -----------------------------------------------------------------------------------------------------


class FakeNetworksetup:
    """Answers networksetup and dscacheutil as macOS prints them, over in-memory per-service DNS lists."""

    def __init__(self, services: dict[str, list[str]], disabled: Sequence[str] = ()) -> None:
        self.services = {k: list(v) for k, v in services.items()}
        self.disabled = set(disabled)
        self.calls: list[list[str]] = []

    def run(self, argv: Sequence[str], *, timeout: float = 5.0) -> CommandResult:
        argv = list(argv)
        self.calls.append(argv)
        if argv == ["dscacheutil", "-flushcache"]:
            return CommandResult(0)
        assert argv[0] == "networksetup", argv
        if argv[1] == "-listallnetworkservices":
            lines = ["An asterisk (*) denotes that a network service is disabled."]
            lines += [("*" if s in self.disabled else "") + s for s in self.services]
            return CommandResult(0, "\n".join(lines) + "\n")
        service = argv[2]
        if service not in self.services:
            return CommandResult(4, f"{service} is not a recognized network service.\n** Error: The parameters were not valid.\n")
        if argv[1] == "-getdnsservers":
            servers = self.services[service]
            if not servers:
                return CommandResult(0, f"There aren't any DNS Servers set on {service}.\n")
            return CommandResult(0, "".join(f"{s}\n" for s in servers))
        if argv[1] == "-setdnsservers":
            self.services[service] = [] if argv[3:] == ["Empty"] else argv[3:]
            return CommandResult(0)
        raise AssertionError(argv)


def test_macos_apply_restore_returns_every_service_exactly(tmp_path):
    mac = FakeNetworksetup({"Wi-Fi": [], "Ethernet": ["192.168.1.1", "1.1.1.1"],
                            "Thunderbolt Bridge": []}, disabled=["Thunderbolt Bridge"])
    before = {k: list(v) for k, v in mac.services.items()}
    backend = MacResolverBackend(tmp_path / "resolver-macos.json", mac)
    assert backend.apply().changed
    assert all(v == ["127.0.0.1", "::1"] for v in mac.services.values())
    assert ["networksetup", "-setdnsservers", "Thunderbolt Bridge", "127.0.0.1", "::1"] in mac.calls
    assert not backend.apply().changed
    assert backend.restore().changed
    assert mac.services == before
    assert ["networksetup", "-setdnsservers", "Wi-Fi", "Empty"] in mac.calls
    assert "nothing to restore" in backend.restore().message


def test_macos_state_survives_a_new_backend_object(tmp_path):
    """The record is on disk: an uninstaller run later (a new process) restores the same settings."""
    mac = FakeNetworksetup({"Wi-Fi": ["10.0.0.1"]})
    MacResolverBackend(tmp_path / "m.json", mac).apply()
    assert mac.services["Wi-Fi"] == ["127.0.0.1", "::1"]
    MacResolverBackend(tmp_path / "m.json", mac).restore()
    assert mac.services["Wi-Fi"] == ["10.0.0.1"]
