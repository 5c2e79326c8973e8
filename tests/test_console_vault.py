"""app.keys.ConsoleVault is agent.store's SecretVault: one vault for the project. Keys written by earlier consoles
(bare key files, hex keyring entries) still open, and are rewritten once in the vault's form."""

from __future__ import annotations

import os
import stat

from agent.protocol.identity import IDENTITY_SECRET, Identity
from agent.store.keys import SecretVault
from app.family import Family
from app.keys import SERVICE, ConsoleVault
from tests.test_store_keys import InMemoryKeyringForTests


def old_console_file(state, name: str, secret: bytes) -> None:
    """What app/keys.py wrote before it became the shared vault: STATE/keys/NAME, 0600, no suffix."""
    (state / "keys").mkdir(mode=0o700, exist_ok=True)
    fd = os.open(state / "keys" / name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(secret)


def test_the_console_vault_is_the_shared_vault(tmp_path):
    vault = ConsoleVault(tmp_path, use_keyring=False)
    assert isinstance(vault, SecretVault) and vault.kind == "file"
    made = vault.get_or_create("family-key", lambda: os.urandom(32))
    path = tmp_path / "keys" / "family-key.key"
    assert path.read_bytes() == made and stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_family_paired_by_an_older_console_keeps_its_identity_and_rows(tmp_path):
    identity_secret, family_key = Identity.new_secret(), os.urandom(32)
    old_console_file(tmp_path, IDENTITY_SECRET, identity_secret)
    old_console_file(tmp_path, "family-key", family_key)
    family = Family(tmp_path, use_keyring=False)
    try:
        assert family.identity.device_id == Identity(identity_secret).device_id
    finally:
        family.close()
    assert (tmp_path / "keys" / "family-key.key").read_bytes() == family_key
    assert not (tmp_path / "keys" / "family-key").exists()  # adopted, not left as a second copy
    again = ConsoleVault(tmp_path, use_keyring=False)
    assert again.get("family-key") == family_key and again.get(IDENTITY_SECRET) == identity_secret


def test_hex_keyring_entries_of_an_older_console_are_read_and_rewritten(tmp_path):
    backend = InMemoryKeyringForTests()
    account = f"{tmp_path.resolve()}:family-key"
    secret = os.urandom(32)
    backend.set_password(SERVICE, account, secret.hex())  # the old console's form
    vault = ConsoleVault(tmp_path, keyring_backend=backend)
    assert vault.kind == "keyring" and vault.get("family-key") == secret
    assert backend.get_password(SERVICE, account).startswith("b64:")
    assert ConsoleVault(tmp_path, keyring_backend=backend).get("family-key") == secret


def test_two_console_state_folders_do_not_share_keyring_entries(tmp_path):
    backend = InMemoryKeyringForTests()
    a = ConsoleVault(tmp_path / "a", keyring_backend=backend).get_or_create("family-key", lambda: b"A" * 32)
    b = ConsoleVault(tmp_path / "b", keyring_backend=backend).get_or_create("family-key", lambda: b"B" * 32)
    assert a != b
