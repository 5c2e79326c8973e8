"""Camera and microphone use, per OS (agent/os/capture*.py). Linux: real processes of this test holding files open
under a device folder the test makes (this machine has no camera or sound card), found through the real /proc.
Windows and macOS: the adapters over a fake registry (FakeRegistry) and a fake TCC database file (fake_tcc_db),
built to the layout those OSes document; the real readers (winreg, the child's TCC.db) cannot run here."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from agent.os.capture import CaptureUse, NoCapture, make_capture_source
from agent.os.capture_linux import LinuxCapture, ProcCaptureScan, PulseSources, parse_source_outputs
from agent.os.capture_macos import TccCapture
from agent.os.capture_macos import app_name as mac_app_name
from agent.os.capture_windows import CONSENT_STORE, ConsentStoreCapture
from agent.os.capture_windows import app_name as win_app_name
from agent.service.privacy_reminders import CaptureWatch, PrivacyReminders
from tests.support.camera_holder import HOLDER


def device_root(tmp_path: Path) -> Path:
    root = tmp_path.resolve() / "dev"
    (root / "snd").mkdir(parents=True)
    for name in ("video0", "video12", "videox", "snd/pcmC0D0c", "snd/pcmC0D0p", "snd/controlC0"):
        (root / name).write_bytes(b"")
    return root


def hold(name: str, *paths: Path) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, name, *map(str, paths)], stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return proc


@pytest.fixture
def holders():
    started: list[subprocess.Popen] = []
    yield started
    for proc in started:
        proc.kill()
        proc.wait(10)


def test_a_real_process_holding_a_camera_and_a_capture_pcm_is_found(tmp_path, holders):
    root = device_root(tmp_path)
    holders.append(hold("videocall", root / "video12", root / "snd" / "pcmC0D0c"))
    holders.append(hold("musicplayer", root / "snd" / "pcmC0D0p", root / "snd" / "controlC0", root / "videox"))
    found = ProcCaptureScan(child_uid=os.getuid(), device_root=root).in_use()
    assert CaptureUse("videocall", "camera") in found and CaptureUse("videocall", "microphone") in found
    assert not [u for u in found if u.app == "musicplayer"]  # playback, a control device, not a camera name


def test_another_users_processes_are_not_the_childs(tmp_path, holders):
    root = device_root(tmp_path)
    holders.append(hold("videocall", root / "video0"))
    assert ProcCaptureScan(child_uid=os.getuid() + 12345, device_root=root).in_use() == []
    holders[0].kill()
    holders[0].wait(10)
    assert ProcCaptureScan(child_uid=os.getuid(), device_root=root).in_use() == []  # closed: no longer in use


def test_a_test_device_folder_never_mixes_in_this_machines_sound_server(tmp_path):
    capture = LinuxCapture(child_uid=os.getuid(), device_root=device_root(tmp_path))
    assert not capture.pulse.available() and capture.in_use() == []


def test_pulse_source_outputs_name_the_recording_apps():
    text = textwrap.dedent("""\
        Source Output #41
        \tDriver: protocol-native.c
        \tProperties:
        \t\tapplication.name = "Firefox"
        \t\tapplication.process.binary = "firefox-esr"
        Source Output #42
        \tProperties:
        \t\tapplication.name = "Discord"
        """)
    assert parse_source_outputs(text) == ["firefox-esr", "Discord"]
    assert parse_source_outputs("") == []
    assert PulseSources(pactl="").in_use() == []


def test_a_pactl_that_fails_or_is_missing_is_nothing_seen(tmp_path):
    fake_pactl = tmp_path / "pactl"
    fake_pactl.write_text("#!/bin/sh\necho 'Connection failure: Connection refused' >&2\nexit 1\n")
    fake_pactl.chmod(0o755)
    clock = [100.0]
    failing = PulseSources(pactl=str(fake_pactl), clock=lambda: clock[0])
    assert failing.in_use() == [] and failing.in_use() == [] and failing.runs == 1  # quiet for a minute …
    clock[0] += 61
    assert failing.in_use() == [] and failing.runs == 2  # … then asked again
    assert PulseSources(pactl=str(tmp_path / "missing")).in_use() == []


# ---- Windows: the ConsentStore, on a fake registry --------------------------------------------------------------
class FakeRegistry:
    """A registry hive as nested dicts: keys → subkeys, values under "@"."""

    def __init__(self) -> None:
        self.root: dict = {}

    def put(self, path: str, **values: int) -> None:
        node = self.root
        for part in path.split("\\"):
            node = node.setdefault(part, {})
        node.setdefault("@", {}).update(values)

    def _node(self, path: str) -> dict | None:
        node = self.root
        for part in path.split("\\"):
            node = node.get(part)
            if node is None:
                return None
        return node

    def subkeys(self, path: str) -> list[str]:
        node = self._node(path)
        return [k for k in node if k != "@"] if node else []

    def qword(self, path: str, name: str) -> int | None:
        node = self._node(path)
        return (node or {}).get("@", {}).get(name)


def test_windows_apps_whose_last_use_has_not_stopped_are_using_the_device():
    reg = FakeRegistry()
    base = CONSENT_STORE
    reg.put(f"{base}\\webcam\\Microsoft.WindowsCamera_8wekyb3d8bbwe", LastUsedTimeStart=133_000, LastUsedTimeStop=0)
    reg.put(f"{base}\\webcam\\NonPackaged\\C:#Program Files#Zoom#bin#Zoom.exe", LastUsedTimeStart=133_500,
            LastUsedTimeStop=133_400)  # started again after its last stop: in use
    reg.put(f"{base}\\webcam\\NonPackaged\\C:#Apps#OldCam.exe", LastUsedTimeStart=100, LastUsedTimeStop=200)
    reg.put(f"{base}\\microphone\\NonPackaged\\C:#Users#kid#AppData#Local#Discord#app-1.0#Discord.exe",
            LastUsedTimeStart=133_900, LastUsedTimeStop=0)
    reg.put(f"{base}\\microphone\\Never.Used_1234", LastUsedTimeStart=0, LastUsedTimeStop=0)
    found = ConsentStoreCapture(reg).in_use()
    assert set(found) == {CaptureUse("Microsoft.WindowsCamera", "camera"), CaptureUse("Zoom", "camera"),
                          CaptureUse("Discord", "microphone")}
    assert ConsentStoreCapture(FakeRegistry()).in_use() == []  # an older Windows without the ConsentStore
    assert win_app_name("C:#x#Game.EXE", packaged=False) == "Game"


# ---- macOS: the TCC database, a fake file with its documented table ---------------------------------------------
def fake_tcc_db(path: Path, rows: list[tuple[str, str, int]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE access (service TEXT NOT NULL, client TEXT NOT NULL, client_type INTEGER NOT NULL,"
                   " auth_value INTEGER NOT NULL, auth_reason INTEGER NOT NULL, auth_version INTEGER NOT NULL,"
                   " last_modified INTEGER NOT NULL, PRIMARY KEY (service, client, client_type))")
        db.executemany("INSERT INTO access VALUES (?, ?, 0, ?, 2, 1, 0)", rows)
    return path


def test_macos_apps_that_asked_for_the_camera_or_microphone(tmp_path):
    home = tmp_path / "home"
    fake_tcc_db(home / "Library" / "Application Support" / "com.apple.TCC" / "TCC.db", [
        ("kTCCServiceCamera", "us.zoom.xos", 2), ("kTCCServiceMicrophone", "com.hnc.Discord", 0),
        ("kTCCServiceScreenCapture", "com.obsproject.obs-studio", 2),
        ("kTCCServiceCamera", "/Applications/Cam.app/Contents/MacOS/Cam", 2)])
    source = make_capture_source("darwin", child_home=home)
    assert isinstance(source, TccCapture)
    assert source.in_use() == [CaptureUse("zoom", "camera"), CaptureUse("Discord", "microphone"),
                               CaptureUse("Cam", "camera")]
    assert TccCapture(tmp_path / "none.db").in_use() == []
    assert mac_app_name("com.microsoft.teams2") == "teams2" and mac_app_name("com.app") == "com.app"


def test_an_unknown_platform_sees_nothing():
    assert isinstance(make_capture_source("sunos5"), NoCapture)


# ---- the service's watch over the real /proc scan -----------------------------------------------------------
@pytest.fixture
def core(tmp_path: Path, monkeypatch):
    from agent.assembly import ServiceOptions, build_core

    monkeypatch.setenv("SPROUT_OEM", str(tmp_path / "no-oem.toml"))
    core = build_core(ServiceOptions(state_dir=tmp_path / "state", user_mode=True, key_file_fallback=True))
    yield core
    core.store.close()


def test_the_first_use_of_the_camera_by_an_app_is_reminded_once(core, tmp_path, holders):
    root = device_root(tmp_path)
    watch = CaptureWatch(PrivacyReminders(core, merge_s=0), ProcCaptureScan(child_uid=os.getuid(), device_root=root))
    assert watch.poll() == 0
    holders.append(hold("videocall", root / "video0"))
    assert watch.poll() == 1
    assert watch.poll() == 0  # still in use: no second reminder
    holders.append(hold("videocall", root / "video0", root / "snd" / "pcmC0D0c"))
    assert watch.poll() == 1  # the microphone's own first time
    got = [(n["reason"], n["target"]) for n in core.notices_since(0) if n["kind"] == "privacy_reminder"]
    assert got == [("camera", "videocall"), ("microphone", "videocall")]


def test_a_failing_adapter_is_logged_once_and_asked_again(core, caplog):
    class Broken:
        calls = 0

        def in_use(self):
            Broken.calls += 1
            raise PermissionError("/proc is mounted hidepid=2")

    watch = CaptureWatch(PrivacyReminders(core), Broken())
    assert watch.poll() == 0 and watch.poll() == 0 and Broken.calls == 2
    assert sum("cannot be read" in r.message for r in caplog.records) == 1


@pytest.mark.parametrize(("args", "says"), [
    (["--capture-devices", "/nonexistent/dev"], "--capture-devices /nonexistent/dev: not a folder"),
    (["--capture-every", "0"], "--capture-every: must be between 0.2 and 60 seconds"),
])
def test_a_wrong_capture_option_is_one_clear_line(tmp_path, args, says):
    done = subprocess.run([str(Path(sys.executable).parent / "sprout-agent"), "run", "--user-mode", "--state",
                           str(tmp_path / "state"), "--no-companion-socket", *args],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and says in done.stderr and "Traceback" not in done.stderr, done.stderr


def test_the_proc_scan_runs_only_after_a_device_was_opened(tmp_path, holders):
    root = device_root(tmp_path)
    holders.append(hold("earlycall", root / "video0"))  # open before the agent looked: found at the first look
    scan = ProcCaptureScan(child_uid=os.getuid(), device_root=root)
    assert CaptureUse("earlycall", "camera") in scan.in_use() and scan.scans == 1
    for _ in range(5):
        assert scan.in_use() == []  # nothing opened since: no scan, nothing reported again
    assert scan.scans == 1
    holders.append(hold("latecall", root / "snd" / "pcmC0D0c"))
    assert CaptureUse("latecall", "microphone") in scan.in_use() and scan.scans == 2
    (root / "video1").write_bytes(b"")  # a webcam plugged in: looked at once
    scan.in_use()
    assert scan.scans == 3
    no_inotify = ProcCaptureScan(child_uid=os.getuid(), device_root=root, use_inotify=False)
    no_inotify.in_use()
    no_inotify.in_use()
    assert no_inotify.scans == 2
    empty = tmp_path / "no-devices"
    empty.mkdir()
    assert ProcCaptureScan(child_uid=os.getuid(), device_root=empty).in_use() == []
