"""Windows and macOS recipes cannot be built here: check what Linux can (parsing, syntax, the pure logic)."""

from __future__ import annotations

import configparser
import plistlib
import py_compile
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
INST = REPO / "installers"
sys.path.insert(0, str(INST / "windows"))

import sprout_service  # noqa: E402  (installers/windows is not a package)


def test_python_and_shell_files_compile(tmp_path: Path) -> None:
    for path in [*INST.rglob("*.py"), *INST.rglob("*.spec")]:
        py_compile.compile(str(path), cfile=str(tmp_path / "x.pyc"), doraise=True)
    scripts = [INST / "build_bundles.sh", INST / "linux/build_deb.sh", INST / "macos/build_pkg.sh"]
    posix = [INST / "linux/debian/postinst", INST / "linux/debian/prerm", INST / "linux/debian/postrm",
             *sorted((INST / "macos/scripts").iterdir())]
    for path in scripts:
        assert subprocess.run(["bash", "-n", str(path)]).returncode == 0, path
    for path in posix:
        assert subprocess.run(["sh", "-n", str(path)]).returncode == 0, path
        assert path.stat().st_mode & 0o111, f"{path} is not executable"


def test_launchd_plists() -> None:
    daemon = plistlib.loads((INST / "macos/vn.sprout.agent.plist").read_bytes())
    assert daemon["Label"] == "vn.sprout.agent" and daemon["KeepAlive"] is True and daemon["RunAtLoad"] is True
    args = daemon["ProgramArguments"]
    assert args[1] == "run" and "127.0.0.1:53" in args
    assert args[args.index("--state") + 1] == "/Library/Application Support/Sprout/state"
    agent = plistlib.loads((INST / "macos/vn.sprout.companion.plist").read_bytes())
    assert agent["LimitLoadToSessionType"] == "Aqua" and agent["KeepAlive"] == {"SuccessfulExit": False}
    # the package payload puts the programs where the plists look for them
    build = (INST / "macos/build_pkg.sh").read_text()
    assert '"$SUPPORT/sprout-agent"' in build and "Sprout Companion.app" in agent["ProgramArguments"][0]
    assert "Sprout Companion.app" in build


def test_macos_profile_is_the_shipped_browser_policy() -> None:
    from agent.os.browser_policies import BrowserSettings, macos_mobileconfig

    shipped = (REPO / "resources/browser-policies/macos/sprout-browser-policies.mobileconfig").read_bytes()
    assert plistlib.loads(shipped) == plistlib.loads(macos_mobileconfig(BrowserSettings()))
    assert "sprout-browser-policies.mobileconfig" in (INST / "macos/build_pkg.sh").read_text()


def test_inno_setup_recipe_references_real_files_and_guards_uninstall() -> None:
    text = (INST / "windows/sprout.iss").read_text(encoding="utf-8")
    sections = re.findall(r"^\[(\w+)\]", text, re.MULTILINE)
    assert {"Setup", "Files", "Run", "UninstallRun", "Code"} <= set(sections)
    setup = configparser.ConfigParser(strict=False, interpolation=None, comment_prefixes=(";", "#"))
    setup.read_string(text.split("[Code]")[0].split("[Languages]")[0])
    assert setup["Setup"]["PrivilegesRequired"] == "admin"
    sources = re.findall(r'^Source: "\.\.\\\.\.\\(resources\\[^"]+)"', text, re.MULTILINE)
    assert len(sources) == 2
    for source in sources:
        assert (REPO / source.replace("\\", "/")).is_file(), source
    assert "unlock --check --action uninstall" in text and "InitializeUninstall" in text
    assert "sprout-browser-policies-remove.reg" in text


def test_windows_registry_policy_files_are_regedit_unicode() -> None:
    for name in ("sprout-browser-policies.reg", "sprout-browser-policies-remove.reg"):
        data = (REPO / "resources/browser-policies/windows" / name).read_bytes()
        assert data.startswith(b"\xff\xfe")
        text = data.decode("utf-16")
        assert text.lstrip("\ufeff").startswith("Windows Registry Editor Version 5.00")
        assert "DnsOverHttpsMode" in text


def test_windows_recovery_actions_restart_on_every_failure() -> None:
    actions = sprout_service.failure_actions()
    assert actions["Actions"] == [(1, 2000), (1, 2000), (1, 10000)]  # SC_ACTION_RESTART
    assert actions["ResetPeriod"] == 86400
    command = sprout_service.agent_command(Path("C:/Program Files/Sprout"), Path("C:/ProgramData/Sprout"))
    assert command[0].endswith("sprout-agent.exe") and command[1] == "run" and "127.0.0.1:53" in command


def test_windows_stop_gate_opens_only_after_a_parent_unlock(tmp_path: Path) -> None:
    from agent.service.protect import Guard

    gate = sprout_service.StopGate(tmp_path)
    assert not gate.poll()
    guard = Guard(tmp_path)
    guard.set_pin("8642")
    guard.grant(guard.verify_pin("8642", action="uninstall"))
    assert not sprout_service.StopGate(tmp_path).poll()  # an unlock for another action does not open it
    guard.grant(guard.verify_pin("8642", action="stop"))
    assert gate.poll() and gate.poll()  # stays open for this service run once consumed


def test_windows_backoff_doubles_and_resets_after_a_long_run() -> None:
    now = [0.0]
    backoff = sprout_service.Backoff(clock=lambda: now[0])
    backoff.on_start()
    assert [backoff.next_delay() for _ in range(8)] == [1, 2, 4, 8, 16, 32, 60, 60]
    backoff.on_start()
    now[0] += 601
    assert backoff.next_delay() == 1


def test_ci_workflow_uses_files_that_exist() -> None:
    text = (REPO / ".github/workflows/windows-macos.yml").read_text()
    assert "NOT YET RUN" in text and "runs-on: windows-latest" in text and "runs-on: macos-latest" in text
    paths = re.findall(r"(?<![\w/])(installers/[\w./-]+\.(?:sh|py|iss))", text.replace("\\", "/"))  # not tests/installers/
    assert len(paths) >= 4
    for path in paths:
        assert (REPO / path).is_file(), path


@pytest.mark.parametrize("name", ["sprout-agent.service", "sprout-companion.desktop", "sprout-console.desktop"])
def test_linux_desktop_and_unit_files_parse(name: str) -> None:
    parser = configparser.ConfigParser(strict=True, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string((INST / "linux" / name).read_text(encoding="utf-8"))
    if name.endswith(".service"):
        service = parser["Service"]
        assert service["Restart"] == "always" and service["ProtectSystem"] == "strict"
        assert "CAP_NET_BIND_SERVICE" in service["CapabilityBoundingSet"] and "CAP_KILL" in service["CapabilityBoundingSet"]
        assert parser["Unit"]["RefuseManualStop"] == "yes"
    else:
        entry = parser["Desktop Entry"]
        assert entry["Exec"].startswith("/usr/bin/sprout-") and entry["Icon"] == "sprout" and "Name[vi]" in entry
