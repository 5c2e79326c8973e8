"""The console's own encrypted store: the parent's settings, PIN hash, children and their policies.

It is agent.store.EncryptedStore (AES-GCM rows, see docs/store.md) in STATE/console.db, keyed from the console's
vault. Fetched reports and the report cursor are already sealed per device in app.family (family.sqlite, one
transaction with the cursor), so they are not copied here: this store holds what only the console knows.
"""

from __future__ import annotations

import hmac
import json
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from agent.store.db import EncryptedStore
from app.keys import ConsoleVault

# scrypt cost: ~50 ms on a laptop, so a stolen file costs an attacker that per guess of a 4–8 digit PIN
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
PIN_MIN, PIN_MAX = 4, 12
FREE_TRIES = 3  # after these, each wrong PIN doubles the wait (2 s, 4 s, … at most 5 min)
MAX_LOCK_S = 300.0


class ConsoleStoreError(Exception):
    """A parent's input the store refuses: 'what: why' in one sentence."""


class PinLocked(ConsoleStoreError):
    def __init__(self, wait_s: float) -> None:
        super().__init__(f"PIN: too many wrong tries; wait {int(wait_s) + 1} s")
        self.wait_s = wait_s


@dataclass
class Child:
    id: str
    name: str
    birth_year: int | None = None
    vn_rule: bool = True
    devices: list[str] = field(default_factory=list)  # device ids (app.family)


class ConsoleStore:
    def __init__(self, state_dir: Path, *, vault: ConsoleVault | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self.dir = Path(state_dir)
        self.dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.vault = vault or ConsoleVault(self.dir)
        key = self.vault.get_or_create("console-store-key", lambda: os.urandom(32))
        self.db = EncryptedStore.open(self.dir / "console.db", key, clock=clock)
        self.clock = clock
        self._damaged: set[str] = set()  # the shared store reports a bad row once; we keep refusing it

    def close(self) -> None:
        self.db.close()

    # ---- small JSON values ------------------------------------------------------------------------------
    def get(self, name: str, default: Any = None) -> Any:
        seen = len(self.db.row_problems)
        raw = self.db.kv_get(name)
        if raw is None and len(self.db.row_problems) > seen:
            self._damaged.add(name)
        if raw is None and name in self._damaged:
            # a damaged PIN row must never read as "no PIN set"
            raise ConsoleStoreError(f"{name}: the stored value failed authentication (file damaged or altered)")
        return default if raw is None else json.loads(raw)

    def put(self, name: str, value: Any) -> None:
        self.db.kv_put(name, json.dumps(value, ensure_ascii=False).encode())
        self._damaged.discard(name)

    # ---- settings --------------------------------------------------------------------------------------
    @property
    def language(self) -> str | None:
        return self.get("settings/language")

    def set_language(self, lang: str) -> None:
        if lang not in ("vi", "en"):
            raise ConsoleStoreError(f"language: {lang!r}: must be vi or en")
        self.put("settings/language", lang)

    def is_set_up(self) -> bool:
        return self.has_pin() and bool(self.children())

    # ---- parent PIN --------------------------------------------------------------------------------------
    def has_pin(self) -> bool:
        return self.get("pin/hash") is not None

    def set_pin(self, pin: str, *, old: str | None = None) -> None:
        if self.has_pin() and (old is None or not self.check_pin(old)):
            raise ConsoleStoreError("PIN: the current PIN is wrong")
        check_pin_format(pin)
        salt = os.urandom(16)
        digest = _scrypt(pin, salt)
        self.put("pin/hash", {"salt": salt.hex(), "hash": digest.hex(), "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P})
        self.put("pin/tries", {"wrong": 0, "until": 0.0})

    def pin_wait_s(self) -> float:
        tries = self.get("pin/tries", {"wrong": 0, "until": 0.0})
        return max(0.0, float(tries["until"]) - self.clock())

    def check_pin(self, pin: str) -> bool:
        """True if right. Raises PinLocked while a wait after wrong tries is running (the hash is not tried)."""
        rec = self.get("pin/hash")
        if rec is None:
            raise ConsoleStoreError("PIN: none is set yet")
        wait = self.pin_wait_s()
        if wait > 0:
            raise PinLocked(wait)
        digest = _scrypt(pin, bytes.fromhex(rec["salt"]), rec["n"], rec["r"], rec["p"])
        ok = hmac.compare_digest(digest, bytes.fromhex(rec["hash"]))
        tries = self.get("pin/tries", {"wrong": 0, "until": 0.0})
        if ok:
            self.put("pin/tries", {"wrong": 0, "until": 0.0})
            return True
        wrong = int(tries["wrong"]) + 1
        until = 0.0
        if wrong >= FREE_TRIES:
            until = self.clock() + min(MAX_LOCK_S, 2.0 ** (wrong - FREE_TRIES + 1))
        self.put("pin/tries", {"wrong": wrong, "until": until})
        return False

    # ---- children ----------------------------------------------------------------------------------------
    def children(self) -> list[Child]:
        return [Child(**c) for c in self.get("children", [])]

    def child(self, child_id: str) -> Child:
        for c in self.children():
            if c.id == child_id:
                return c
        raise ConsoleStoreError(f"child: {child_id}: not in this family")

    def save_child(self, child: Child) -> Child:
        name = child.name.strip()
        if not name or len(name) > 40:
            raise ConsoleStoreError("name: must be 1 to 40 characters")
        year = time.localtime(self.clock()).tm_year
        if child.birth_year is not None and not year - 17 <= child.birth_year <= year:
            raise ConsoleStoreError(f"birth year: {child.birth_year}: must be from {year - 17} to {year}")
        child.name = name
        kids = [c for c in self.children() if c.id != child.id]
        kids.append(child)
        self.put("children", [asdict(c) for c in kids])
        return child

    def add_child(self, name: str, birth_year: int | None, vn_rule: bool) -> Child:
        return self.save_child(Child(uuid.uuid4().hex[:12], name, birth_year, vn_rule))

    def link_device(self, child_id: str, device_id: str) -> None:
        kid = self.child(child_id)
        if device_id not in kid.devices:
            kid.devices.append(device_id)
        self.save_child(kid)

    def unlink_device(self, device_id: str) -> None:
        for kid in self.children():
            if device_id in kid.devices:
                kid.devices.remove(device_id)
                self.save_child(kid)

    def child_of(self, device_id: str) -> Child | None:
        return next((c for c in self.children() if device_id in c.devices), None)

    # ---- policies ----------------------------------------------------------------------------------------
    def policy(self, child_id: str) -> dict[str, Any] | None:
        return self.get(f"policy/{child_id}")

    def save_policy(self, child_id: str, doc: dict[str, Any]) -> None:
        self.put(f"policy/{child_id}", doc)

    def mark_applied(self, device_id: str, version: int, at: float | None = None) -> None:
        self.put(f"applied/{device_id}", {"version": version, "at": self.clock() if at is None else at})

    def applied(self, device_id: str) -> dict[str, Any] | None:
        return self.get(f"applied/{device_id}")

    # ---- devices: the parent's own names, hidden history ----------------------------------------------
    def device_label(self, device_id: str, default: str) -> str:
        return self.get(f"device-name/{device_id}", default)

    def rename_device(self, device_id: str, name: str) -> None:
        name = name.strip()
        if not name or len(name) > 40:
            raise ConsoleStoreError("device name: must be 1 to 40 characters")
        self.put(f"device-name/{device_id}", name)

    def history_floor(self, device_id: str) -> int:
        """Reports with seq at or below this were deleted by the parent and are not shown."""
        return int(self.get(f"history-floor/{device_id}", 0))

    def forget_history(self, device_id: str, up_to_seq: int) -> None:
        self.put(f"history-floor/{device_id}", max(self.history_floor(device_id), up_to_seq))


def check_pin_format(pin: str) -> None:
    if not (pin.isascii() and pin.isdigit() and PIN_MIN <= len(pin) <= PIN_MAX):
        raise ConsoleStoreError(f"PIN: must be {PIN_MIN} to {PIN_MAX} digits")


def _scrypt(pin: str, salt: bytes, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(pin.encode())
