"""The console's key custody: the OS keyring, or (where none works, e.g. headless Linux) a key file readable only
by this user — said plainly on first use. app/ cannot use agent.store's vault (contract rule), hence this small one.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger("sprout.console")
SERVICE = "sprout-console"


class ConsoleVault:
    def __init__(self, state_dir: Path, *, use_keyring: bool = True) -> None:
        self.dir = Path(state_dir) / "keys"
        self.backend_name = "file"
        self._keyring = None
        if use_keyring:
            try:
                import keyring
                from keyring.backends import fail

                if not isinstance(keyring.get_keyring(), fail.Keyring):
                    self._keyring = keyring
                    self.backend_name = "keyring"
            except Exception:  # a broken keyring install must not lock the parent out
                self._keyring = None
        if self._keyring is None:
            log.warning("no OS keyring: console keys kept in %s (readable only by this user)", self.dir)

    def _account(self, name: str) -> str:
        return f"{self.dir.parent.resolve()}:{name}"

    def get(self, name: str) -> bytes | None:
        if self._keyring is not None:
            value = self._keyring.get_password(SERVICE, self._account(name))
            return bytes.fromhex(value) if value else None
        path = self.dir / name
        return path.read_bytes() if path.exists() else None

    def put(self, name: str, secret: bytes) -> None:
        if self._keyring is not None:
            self._keyring.set_password(SERVICE, self._account(name), secret.hex())
            return
        self.dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = self.dir / f".{name}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(secret)
        tmp.replace(self.dir / name)

    def get_or_create(self, name: str, factory: Callable[[], bytes]) -> bytes:
        value = self.get(name)
        if value is None:
            value = factory()
            self.put(name, value)
        return value
