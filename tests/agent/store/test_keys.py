"""Key custody: the OS keyring (a real Secret Service under dbus when available), the explicit key-file fallback,
and the refusals (no fallback chosen, plaintext keyrings, key files others can read)."""

from __future__ import annotations

import logging
import os
import shutil
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from keyring.backends import chainer, fail
from keyring.errors import KeyringLocked

from agent.store.keys import KeyCustodyError, SecretVault
from tests.support.keyring import InMemoryKeyringForTests

ROOT = Path(__file__).resolve().parents[3]


class LockedKeyringForTests(InMemoryKeyringForTests):
    """Behaves like a Secret Service whose collection stays locked (the user dismissed the unlock prompt)."""

    def get_password(self, service, username):
        raise KeyringLocked("Failed to unlock the collection!")


class PlaintextKeyring(InMemoryKeyringForTests):
    """Named like keyrings.alt.file.PlaintextKeyring, which only base64-encodes secrets on disk."""


def file_vault(tmp_path: Path) -> SecretVault:
    return SecretVault("sprout-test", tmp_path, file_fallback=True, keyring_backend=fail.Keyring())


def test_keyring_backend_round_trips_bytes(tmp_path):
    backend = InMemoryKeyringForTests()
    vault = SecretVault("sprout-test", tmp_path, file_fallback=False, keyring_backend=backend)
    assert vault.backend_name.startswith("keyring: ")
    secret = bytes(range(256))
    vault.put("store-key", secret)
    assert vault.get("store-key") == secret
    assert "store-key" not in os.listdir(tmp_path)  # nothing on disk when the keyring holds it
    assert vault.get_or_create("store-key", lambda: b"other") == secret
    vault.delete("store-key")
    vault.delete("store-key")  # idempotent
    assert vault.get("store-key") is None
    assert not (tmp_path / "keys").exists()


def test_no_keyring_without_fallback_is_refused_naming_the_cause(tmp_path):
    with pytest.raises(KeyCustodyError) as err:
        SecretVault("sprout-test", tmp_path, file_fallback=False, keyring_backend=fail.Keyring())
    msg = str(err.value)
    assert "fail.Keyring" in msg and "--key-file-fallback" in msg and str(tmp_path / "keys") in msg
    assert not (tmp_path / "keys").exists()


def test_locked_keyring_is_refused_or_falls_back_only_when_chosen(tmp_path, caplog):
    with pytest.raises(KeyCustodyError, match="KeyringLocked"):
        SecretVault("sprout-test", tmp_path, file_fallback=False, keyring_backend=LockedKeyringForTests())
    with caplog.at_level(logging.WARNING, logger="agent.store.keys"):
        vault = SecretVault("sprout-test", tmp_path, file_fallback=True, keyring_backend=LockedKeyringForTests())
    assert vault.backend_name == f"file: {tmp_path / 'keys'}"
    assert "KeyringLocked" in caplog.text


def test_empty_chainer_and_plaintext_keyrings_are_not_custody(tmp_path, monkeypatch):
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [])  # what it holds when nothing else is usable
    empty = chainer.ChainerBackend()
    with pytest.raises(KeyCustodyError, match="no OS keyring"):
        SecretVault("sprout-test", tmp_path, file_fallback=False, keyring_backend=empty)
    with pytest.raises(KeyCustodyError, match="PlaintextKeyring is not secret custody"):
        SecretVault("sprout-test", tmp_path, file_fallback=False, keyring_backend=PlaintextKeyring())


def test_real_keyrings_alt_plaintext_is_refused(tmp_path):
    alt = pytest.importorskip("keyrings.alt.file", reason="keyrings.alt is not installed (only needed for this check)")
    with pytest.raises(KeyCustodyError, match="not secret custody"):
        SecretVault("sprout-test", tmp_path, file_fallback=False, keyring_backend=alt.PlaintextKeyring())


def test_file_fallback_creates_0600_files_and_logs_the_choice_without_the_secret(tmp_path, caplog):
    with caplog.at_level(logging.DEBUG, logger="agent.store.keys"):
        vault = file_vault(tmp_path)
        secret = vault.get_or_create("store-key", lambda: os.urandom(32))
    path = tmp_path / "keys" / "store-key.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "keys").stat().st_mode) == 0o700
    assert path.read_bytes() == secret
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings and str(tmp_path / "keys") in warnings[0].getMessage()
    for shown in (secret.hex(), secret.hex().upper(), repr(secret)):
        assert shown not in caplog.text
    # A second vault (another process, a restart) finds the same key.
    assert file_vault(tmp_path).get_or_create("store-key", lambda: b"never used") == secret
    vault.put("store-key", b"replaced")
    assert vault.get("store-key") == b"replaced"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    vault.delete("store-key")
    assert vault.get("store-key") is None


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
@pytest.mark.parametrize("mode", [0o640, 0o604, 0o660])
def test_key_file_readable_by_others_is_refused_on_every_read(tmp_path, mode):
    vault = file_vault(tmp_path)
    vault.put("store-key", b"k" * 32)
    path = tmp_path / "keys" / "store-key.key"
    assert vault.get("store-key") == b"k" * 32
    path.chmod(mode)
    with pytest.raises(KeyCustodyError) as err:
        vault.get("store-key")
    assert str(path) in str(err.value) and "group/others" in str(err.value) and "chmod 600" in str(err.value)
    with pytest.raises(KeyCustodyError):
        vault.get_or_create("store-key", lambda: b"x" * 32)  # never replaces a key it refused to read
    path.chmod(0o600)
    assert vault.get("store-key") == b"k" * 32


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_key_folder_writable_by_others_is_refused(tmp_path):
    (tmp_path / "keys").mkdir(mode=0o700)
    (tmp_path / "keys").chmod(0o777)
    with pytest.raises(KeyCustodyError, match="writable by group/others"):
        file_vault(tmp_path)


def test_bad_names_and_values_are_clear_errors(tmp_path):
    vault = file_vault(tmp_path)
    for name in ("../escape", "", "a/b", ".hidden", "x" * 65):
        with pytest.raises(ValueError, match="secret name"):
            vault.get(name)
    with pytest.raises(ValueError, match="non-empty bytes"):
        vault.put("store-key", b"")
    with pytest.raises(ValueError, match="non-empty bytes"):
        vault.get_or_create("store-key", lambda: "text")  # type: ignore[arg-type,return-value]
    assert vault.get("store-key") is None


def test_keyring_entry_not_written_by_sprout_is_reported(tmp_path):
    backend = InMemoryKeyringForTests()
    backend.set_password("sprout-test", "store-key", "hunter2")
    vault = SecretVault("sprout-test", tmp_path, file_fallback=False, keyring_backend=backend)
    with pytest.raises(KeyCustodyError, match="not written by Sprout"):
        vault.get("store-key")


# ---- the real Secret Service (gnome-keyring on a private D-Bus session) -------------------------------------
SECRET_SERVICE_SCRIPT = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    from agent.store.keys import KeyCustodyError, SecretVault
    state = Path(sys.argv[1])
    try:
        vault = SecretVault("sprout-test", state, file_fallback=False)
    except KeyCustodyError as exc:
        print("REFUSED", exc)
        vault = SecretVault("sprout-test", state, file_fallback=True)
        print("BACKEND", vault.backend_name)
        sys.exit(0)
    print("BACKEND", vault.backend_name)
    key = vault.get_or_create("store-key", lambda: os.urandom(32))
    again = SecretVault("sprout-test", state, file_fallback=False).get("store-key")
    print("SAME", again == key, len(key))
    print("ONDISK", (state / "keys").exists())
    vault.delete("store-key")
    print("DELETED", vault.get("store-key") is None)
""")


def run_in_dbus_session(tmp_path: Path, daemon: str) -> str:
    if not shutil.which("dbus-run-session"):
        pytest.skip("dbus-run-session is missing (apt-get install dbus-daemon dbus-bin)")
    if not shutil.which("gnome-keyring-daemon"):
        pytest.skip("gnome-keyring-daemon is missing (apt-get install gnome-keyring)")
    script = tmp_path / "probe.py"
    script.write_text(SECRET_SERVICE_SCRIPT)
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "data"), "XDG_RUNTIME_DIR": str(home),
           "PYTHONPATH": str(ROOT), "DISPLAY": ""}
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    cmd = f"{daemon} >/dev/null 2>&1; exec {sys.executable} {script} {tmp_path / 'state'}"
    proc = subprocess.run(["dbus-run-session", "--", "sh", "-c", cmd], env=env, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_real_secret_service_holds_the_key(tmp_path):
    out = run_in_dbus_session(tmp_path, "printf pw | gnome-keyring-daemon --unlock --components=secrets")
    assert "BACKEND keyring: keyring.backends.SecretService.Keyring" in out, out
    assert "SAME True 32" in out and "ONDISK False" in out and "DELETED True" in out


def test_real_locked_secret_service_is_refused_then_file_when_chosen(tmp_path):
    out = run_in_dbus_session(tmp_path, "gnome-keyring-daemon --start --components=secrets")
    assert "REFUSED" in out and "SecretService" in out, out
    assert f"BACKEND file: {tmp_path / 'state' / 'keys'}" in out
