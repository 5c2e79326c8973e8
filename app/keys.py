"""The console's key custody: agent.store's SecretVault (the one vault of the project) under the service name
"sprout-console", its keyring entries scoped by state folder, and 0600 key files (keys/NAME.key, said plainly in the
log) where no usable OS keyring exists.

Consoles before this one wrote their own forms: hex text in the keyring, bare files keys/NAME. Those are read and
rewritten once in the vault's form, so a family paired before keeps its keys.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.backends import fail

from agent.store.keys import SecretVault

SERVICE = "sprout-console"


class ConsoleVault(SecretVault):
    def __init__(self, state_dir: Path, *, use_keyring: bool = True,
                 keyring_backend: KeyringBackend | None = None) -> None:
        state_dir = Path(state_dir)
        if not use_keyring:
            keyring_backend = fail.Keyring()
        super().__init__(SERVICE, state_dir, file_fallback=True, keyring_backend=keyring_backend,
                         account_prefix=f"{state_dir.resolve()}:")
        self.dir = state_dir / "keys"

    def get(self, name: str) -> bytes | None:
        value = super().get(name)
        if value is None and self.kind == "file":
            value = self._adopt_bare_file(name)
        return value

    def _adopt_bare_file(self, name: str) -> bytes | None:
        old = self.dir / name
        if not old.is_file() or old.is_symlink():
            return None
        data = old.read_bytes()
        if not data:
            return None
        self._file_put(name, data, exclusive=True)
        value = self._file_get(name)  # checked like every key file (owner, mode)
        with contextlib.suppress(FileNotFoundError):
            old.unlink()
        return value

    def _legacy_keyring_value(self, text: str) -> bytes | None:
        try:
            return bytes.fromhex(text) or None
        except ValueError:
            return None
