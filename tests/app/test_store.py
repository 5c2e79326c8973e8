"""The console's own encrypted store (real SQLite file, real AES-GCM, real scrypt)."""

from __future__ import annotations

import sqlite3

import pytest

from app.keys import ConsoleVault
from app.store import FREE_TRIES, ConsoleStore, ConsoleStoreError, PinLocked


class Clock:
    def __init__(self) -> None:
        self.t = 1_800_000_000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture()
def store(tmp_path):
    clock = Clock()
    s = ConsoleStore(tmp_path, vault=ConsoleVault(tmp_path, use_keyring=False), clock=clock)
    s.test_clock = clock
    yield s
    s.close()


def test_pin_is_hashed_checked_in_constant_time_and_rate_limited(store, tmp_path):
    with pytest.raises(ConsoleStoreError, match="4 to 12 digits"):
        store.set_pin("12a4")
    store.set_pin("2468")
    assert store.check_pin("2468") is True
    for _ in range(FREE_TRIES):
        assert store.check_pin("0000") is False
    with pytest.raises(PinLocked) as exc:
        store.check_pin("2468")  # even the right PIN waits: the wait is the rate limit
    assert exc.value.wait_s > 0
    store.test_clock.t += 3
    assert store.check_pin("2468") is True
    with pytest.raises(ConsoleStoreError, match="current PIN is wrong"):
        store.set_pin("1111", old="9999")
    store.set_pin("13579", old="2468")
    assert store.check_pin("13579")
    # neither the PIN nor the children's names are readable in the file
    store.add_child("Minh Anh", 2014, True)
    raw = (tmp_path / "console.db").read_bytes() + (tmp_path / "console.db-wal").read_bytes()
    assert b"13579" not in raw and b"Minh Anh" not in raw


def test_children_devices_policy_survive_reopen(store, tmp_path):
    kid = store.add_child("  Bảo  ", 2013, False)
    store.link_device(kid.id, "dev1")
    store.save_policy(kid.id, {"version": 3})
    store.mark_applied("dev1", 3, at=5.0)
    store.set_language("vi")
    store.close()
    again = ConsoleStore(tmp_path, vault=ConsoleVault(tmp_path, use_keyring=False))
    try:
        assert [c.name for c in again.children()] == ["Bảo"]
        assert again.child_of("dev1").id == kid.id
        assert again.policy(kid.id) == {"version": 3}
        assert again.applied("dev1") == {"version": 3, "at": 5.0}
        assert again.language == "vi"
        again.unlink_device("dev1")
        assert again.child_of("dev1") is None
    finally:
        again.close()
    store.db = ConsoleStore(tmp_path, vault=ConsoleVault(tmp_path, use_keyring=False)).db  # for the fixture's close


@pytest.mark.parametrize(("name", "year", "msg"), [("", 2014, "name"), ("x" * 41, 2014, "name"),
                                                  ("An", 1990, "birth year")])
def test_bad_child_input_is_refused_and_nothing_lost(store, name, year, msg):
    store.add_child("An", 2015, True)
    with pytest.raises(ConsoleStoreError, match=msg):
        store.add_child(name, year, True)
    assert [c.name for c in store.children()] == ["An"]


def test_swapped_pin_row_is_an_error_not_a_missing_pin(store, tmp_path):
    store.set_pin("2468")
    store.set_language("en")
    store.close()
    db = sqlite3.connect(tmp_path / "console.db")
    (lang,) = db.execute("SELECT sealed FROM kv WHERE name = 'settings/language'").fetchone()
    db.execute("UPDATE kv SET sealed = ? WHERE name = 'pin/hash'", (lang,))
    db.commit()
    db.close()
    store.db = ConsoleStore(tmp_path, vault=ConsoleVault(tmp_path, use_keyring=False)).db
    assert store.language == "en"
    for _ in range(2):  # and stays an error on every later read
        with pytest.raises(ConsoleStoreError, match="pin/hash: .*failed authentication"):
            store.has_pin()
