"""Key custody: where the agent's long-term secrets (the store key, identity keys) live.

The OS keyring (`keyring`: Secret Service on Linux, Credential Manager on Windows, Keychain on macOS) is the
product's custody. A headless Linux service often has no usable keyring; there, and only when the caller chose it
explicitly, secrets go to 0600 files under STATE/keys — which protects them exactly as well as the service
account's file permissions do, so the choice is logged at WARNING.
"""

from __future__ import annotations

import base64
import contextlib
import logging
import os
import re
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import keyring
import keyring.errors
from keyring.backend import KeyringBackend

from agent.fileio import atomic_write
from agent.os.account import ACCOUNT
from agent.os.files import FILE_RULES

log = logging.getLogger(__name__)

_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
# Prefix on values kept in the keyring: keyring stores text, our secrets are bytes.
_KEYRING_PREFIX = "b64:"
_PROBE_USER = "__sprout_probe__"
KEY_DIR_NAME = "keys"


class KeyCustodyError(Exception):
    """No safe place for secrets, or a secret's place is unsafe (message says what, where and why)."""


def _describe(backend: KeyringBackend) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__name__}"


def _unacceptable_reason(backend: KeyringBackend) -> str | None:
    """Why `backend` cannot hold product secrets, or None if it can."""
    from keyring.backends import chainer, fail

    if isinstance(backend, fail.Keyring):
        return "no OS keyring backend is available (keyring chose keyring.backends.fail.Keyring)"
    module = type(backend).__module__
    # keyrings.alt's file backends (PlaintextKeyring and friends) only base64-encode or keep the key beside the data.
    if module.startswith("keyrings.alt") or "Plaintext" in type(backend).__name__:
        return f"{_describe(backend)} is not secret custody (it stores secrets readable as plain files)"
    if isinstance(backend, chainer.ChainerBackend):
        inner = list(backend.backends)
        if not inner:
            return "no OS keyring backend is available (keyring's chainer has no backends)"
        for sub in inner:
            why = _unacceptable_reason(sub)
            if why:
                return why
    return None


def _probe(backend: KeyringBackend, service: str) -> str | None:
    """Touch the backend once; a locked or absent Secret Service fails here rather than on first use."""
    try:
        backend.get_password(service, _PROBE_USER)
    except keyring.errors.KeyringError as exc:
        return f"{_describe(backend)} failed: {type(exc).__name__}: {exc}"
    except Exception as exc:  # secretstorage / jeepney / D-Bus errors surface as their own types
        return f"{_describe(backend)} failed: {type(exc).__name__}: {exc}"
    return None


class SecretVault:
    """Named secrets (bytes) for one application.

    `backend_name` says where they live: "keyring: <backend>" or "file: <folder>".
    `keyring_backend` lets a caller (a test, a packager) name the backend instead of keyring's own choice.
    `account_prefix` scopes the keyring entries (the console keeps one family per state folder: its entries are
    named "<folder>:<name>"). Both the agent and the console (app.keys) keep their keys here.
    """

    def __init__(self, app_name: str, state_dir: Path, *, file_fallback: bool,
                 keyring_backend: KeyringBackend | None = None, account_prefix: str = "") -> None:
        if not app_name:
            raise ValueError("SecretVault: app_name is empty")
        self.app_name = app_name
        self.state_dir = Path(state_dir)
        self.account_prefix = account_prefix
        self._keyring: KeyringBackend | None = None
        self._dir: Path | None = None
        backend = keyring_backend if keyring_backend is not None else keyring.get_keyring()
        why = _unacceptable_reason(backend) or _probe(backend, app_name)
        if why is None:
            self._keyring = backend
            self.backend_name = f"keyring: {_describe(backend)}"
            log.info("secrets for %s are kept in the OS keyring (%s)", app_name, _describe(backend))
            return
        if not file_fallback:
            raise KeyCustodyError(
                f"no safe place for {app_name}'s keys: {why}. Unlock or install an OS keyring (Secret Service), or "
                f"choose the key file under {self.state_dir / KEY_DIR_NAME} explicitly (--key-file-fallback)")
        self._dir = self.state_dir / KEY_DIR_NAME
        self._prepare_dir()
        self.backend_name = f"file: {self._dir}"
        log.warning("secrets for %s are kept in 0600 key files under %s, protected only by this account's file "
                    "permissions (no usable OS keyring: %s)", app_name, self._dir, why)

    # ---- public ------------------------------------------------------------------------------------------
    @property
    def kind(self) -> str:
        """"keyring" or "file": where the secrets live, for a person to read."""
        return "keyring" if self._keyring is not None else "file"

    def get(self, name: str) -> bytes | None:
        _check_name(name)
        if self._keyring is not None:
            return self._keyring_get(name)
        return self._file_get(name)

    def put(self, name: str, value: bytes) -> None:
        _check_name(name)
        if not isinstance(value, bytes | bytearray) or not value:
            raise ValueError(f"SecretVault.put({name!r}): the value must be non-empty bytes")
        if self._keyring is not None:
            self._keyring_put(name, bytes(value))
        else:
            self._file_put(name, bytes(value), exclusive=False)

    def get_or_create(self, name: str, make: Callable[[], bytes]) -> bytes:
        existing = self.get(name)
        if existing is not None:
            return existing
        value = make()
        if not isinstance(value, bytes | bytearray) or not value:
            raise ValueError(f"SecretVault.get_or_create({name!r}): make() must return non-empty bytes")
        if self._keyring is not None:
            self._keyring_put(name, bytes(value))
            return bytes(value)
        # Two processes may race to create the same key: the first file wins, the other reads it.
        if self._file_put(name, bytes(value), exclusive=True):
            return bytes(value)
        found = self._file_get(name)
        if found is None:
            raise KeyCustodyError(f"{self._path(name)}: the key file vanished while it was being created")
        return found

    def delete(self, name: str) -> None:
        _check_name(name)
        if self._keyring is not None:
            try:
                self._keyring.delete_password(self.app_name, self.account_prefix + name)
            except keyring.errors.PasswordDeleteError:
                pass  # already absent: delete is idempotent
            except Exception as exc:
                raise KeyCustodyError(f"{self.backend_name}: cannot delete {name!r}: {type(exc).__name__}") from None
            return
        with contextlib.suppress(FileNotFoundError):
            self._path(name).unlink()

    # ---- keyring ----------------------------------------------------------------------------------------
    def _keyring_get(self, name: str) -> bytes | None:
        assert self._keyring is not None
        try:
            text = self._keyring.get_password(self.app_name, self.account_prefix + name)
        except Exception as exc:
            raise KeyCustodyError(f"{self.backend_name}: cannot read {name!r}: {type(exc).__name__}: {exc}") from None
        if text is None:
            return None
        if not text.startswith(_KEYRING_PREFIX):
            legacy = self._legacy_keyring_value(text)
            if legacy is not None:
                self._keyring_put(name, legacy)  # rewritten once in the vault's own form
                return legacy
            raise KeyCustodyError(f"{self.backend_name}: the entry {self.app_name}/{name} was not written by Sprout")
        try:
            return base64.b64decode(text[len(_KEYRING_PREFIX):], validate=True)
        except ValueError:
            raise KeyCustodyError(f"{self.backend_name}: the entry {self.app_name}/{name} is damaged") from None

    def _keyring_put(self, name: str, value: bytes) -> None:
        assert self._keyring is not None
        text = _KEYRING_PREFIX + base64.b64encode(value).decode("ascii")
        try:
            self._keyring.set_password(self.app_name, self.account_prefix + name, text)
        except Exception as exc:
            raise KeyCustodyError(f"{self.backend_name}: cannot store {name!r}: {type(exc).__name__}") from None

    def _legacy_keyring_value(self, text: str) -> bytes | None:
        """A keyring entry in an older writer's form, decoded; None if it is not one (a subclass knows its past)."""
        return None

    # ---- key files --------------------------------------------------------------------------------------
    def _prepare_dir(self) -> None:
        assert self._dir is not None
        try:
            self._dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            st = self._dir.stat()
        except OSError as exc:
            raise KeyCustodyError(f"{self._dir}: cannot create the key folder: {exc.strerror}") from None
        # Owners and mode bits as this OS keeps them (agent/os/files.py; Windows: ACLs, nothing to check here).
        if FILE_RULES.foreign_owner(st) is not None:
            raise KeyCustodyError(f"{self._dir}: the key folder belongs to uid {st.st_uid}, not this account "
                                  f"(uid {ACCOUNT.uid()})")
        if FILE_RULES.loose_mode(st, 0o022):
            raise KeyCustodyError(f"{self._dir}: the key folder is writable by group/others "
                                  f"(mode {stat.S_IMODE(st.st_mode):04o}); run: chmod 700 {self._dir}")

    def _path(self, name: str) -> Path:
        assert self._dir is not None
        return self._dir / f"{name}.key"

    def _file_get(self, name: str) -> bytes | None:
        path = self._path(name)
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise KeyCustodyError(f"{path}: cannot open the key file: {exc.strerror}") from None
        with os.fdopen(fd, "rb") as f:
            # Checked on the open descriptor, every read: a key that others can read is no longer a secret.
            st = os.fstat(f.fileno())
            if FILE_RULES.loose_mode(st, 0o077):
                raise KeyCustodyError(
                    f"{path}: the key file is readable or writable by group/others (mode "
                    f"{stat.S_IMODE(st.st_mode):04o}); refusing to use it. Treat the key as exposed; if it is "
                    f"yours, run: chmod 600 {path}")
            if FILE_RULES.foreign_owner(st) is not None:
                raise KeyCustodyError(f"{path}: the key file belongs to uid {st.st_uid}, not this account")
            data = f.read()
        if not data:
            raise KeyCustodyError(f"{path}: the key file is empty")
        return data

    def _file_put(self, name: str, value: bytes, *, exclusive: bool) -> bool:
        """Write atomically with mode 0600 from the start; with exclusive=True return False if it already exists."""
        path = self._path(name)
        try:
            return atomic_write(path, value, 0o600, exclusive=exclusive)
        except OSError as exc:
            raise KeyCustodyError(f"{path}: cannot write the key file: {exc.strerror}") from None


def _check_name(name: Any) -> None:
    if not isinstance(name, str) or not _NAME_RE.match(name):
        raise ValueError(f"secret name {name!r}: use 1–64 letters, digits, '.', '_' or '-' (not starting with them)")
