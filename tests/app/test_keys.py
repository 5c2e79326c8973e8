"""app.keys.ConsoleVault is agent.store's SecretVault: one vault for the project. Keys written by earlier consoles
(bare key files, hex keyring entries) still open, and are rewritten once in the vault's form."""

from __future__ import annotations

import os
import stat

from agent.protocol.identity import IDENTITY_SECRET, Identity
from agent.store.keys import SecretVault
from app.family import Family
from app.keys import SERVICE, ConsoleVault
from tests.support.keyring import InMemoryKeyringForTests


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


def old_family_file(state, key: bytes, rows: list[tuple[str, int, str, str, dict]]) -> None:
    """family.sqlite as consoles before the shared row scheme wrote it: ChaCha20-Poly1305, AAD items/DEV/SEQ."""
    import json
    import sqlite3

    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    from app.family import _SCHEMA

    db = sqlite3.connect(state / "family.sqlite")
    db.executescript(_SCHEMA.split("CREATE TABLE IF NOT EXISTS meta")[0])
    for dev, seq, kind, day, body in rows:
        nonce = os.urandom(12)
        blob = nonce + ChaCha20Poly1305(key).encrypt(nonce, json.dumps(body).encode(), f"items/{dev}/{seq}".encode())
        db.execute("INSERT INTO items VALUES (?, ?, ?, ?, ?, ?)", (dev, seq, kind, day, 1.0, blob))
    db.execute("UPDATE items SET sealed = X'00112233445566778899aabbccddeeff00112233445566778899' WHERE seq = 3")
    db.commit()
    db.close()


def test_rows_sealed_by_an_older_console_open_and_are_resealed_in_the_shared_scheme(tmp_path):
    key = os.urandom(32)
    old_console_file(tmp_path, "family-key", key)
    rows = [("dev1", 1, "summary", "2026-12-01", {"payload": {"minutes": 42}, "at": 5}),
            ("dev1", 2, "request", None, {"payload": {"id": "r1"}, "at": 6}),
            ("dev1", 3, "summary", "2026-12-02", {"payload": {"minutes": 1}, "at": 7})]  # damaged on disk
    old_family_file(tmp_path, key, rows)
    for _ in range(2):  # the second open reads the re-sealed file
        family = Family(tmp_path, use_keyring=False)
        try:
            got = family.items("dev1")
        finally:
            family.close()
        assert [(i["seq"], i["payload"]) for i in got[:2]] == [(1, {"minutes": 42}), (2, {"id": "r1"})]
        assert got[2]["payload"] is None  # the damaged row still reads as unreadable, nothing crashes


def test_a_row_moved_to_another_day_no_longer_opens(tmp_path):
    import sqlite3

    family = Family(tmp_path, use_keyring=False)
    kid = Identity.generate("kid").public
    family.add_device(kid, "127.0.0.1:1")
    family.store_items(kid.device_id, [{"seq": 1, "kind": "summary", "payload": {"day": "2026-12-01", "m": 3}, "at": 1}])
    family.close()
    db = sqlite3.connect(tmp_path / "family.sqlite")
    db.execute("UPDATE items SET day = '2026-12-05'")
    db.commit()
    db.close()
    family = Family(tmp_path, use_keyring=False)
    try:
        assert family.items(kid.device_id)[0]["payload"] is None
    finally:
        family.close()
