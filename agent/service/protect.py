"""Protected stop and uninstall: the parent's PIN, a paired console's signed approval, or a device maker's token.

A child with an admin account can always fight the OS; what we can do is make stopping or removing Sprout need
a proof the child does not have, and tell the parent about every attempt, allowed or not.

- The PIN is kept as an scrypt hash (cryptography's Scrypt, whose verify compares in constant time) in
  STATE/protect/pin.json, mode 0600. Wrong tries are rate-limited: after FREE_TRIES failures each further try
  waits twice as long as the last (capped at MAX_LOCK_S). The counter lives in a file because every check runs in
  a fresh process (a package script), so it uses the wall clock: changing the clock needs the admin rights that
  would let the child remove the package by hand anyway.
- A console approval is an Ed25519 signature, by a pinned and unrevoked console (link.sqlite), over canonical JSON
  naming the action, this agent and an expiry; each nonce is accepted once.
- A device maker's silent uninstall token is never stored: oem.toml holds its SHA-256, compared in constant time.
- A successful check leaves a short-lived grant (STATE/protect/grant.json) that the package scripts consume; every
  attempt writes one report file to STATE/protect/reports/, which the service drains into its store as a tamper
  event for the parent (drain_reports).
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import getpass
import hashlib
import hmac
import json
import os
import secrets
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidKey
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from agent.errors import CliError
from agent.fileio import atomic_write_json
from agent.os.account import ACCOUNT
from agent.policy.canonical import canonical_json

ACTIONS = ("stop", "uninstall", "change-files", "lift-cover")  # lift-cover: the screen cover when locking fails
PROTECT_DIR = "protect"
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1  # ≈ 0.1 s and 32 MiB a try: slow for guessing, fine for a person
PIN_MIN, PIN_MAX = 4, 32
FREE_TRIES = 3
FIRST_LOCK_S = 30.0
MAX_LOCK_S = 3600.0
GRANT_TTL_S = 600.0
APPROVAL_MAX_TTL_S = 24 * 3600.0
TOKEN_ENV = "SPROUT_UNINSTALL_TOKEN"


class ProtectError(Exception):
    """A refused or impossible check; the message says what and why (bilingual where a person reads it)."""


@dataclass(frozen=True)
class GuardDecision:
    allowed: bool
    action: str
    method: str  # pin | approval | oem-token | grant | none
    reason: str


def _atomic_json(path: Path, doc: Any, mode: int = 0o600) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    atomic_write_json(path, doc, mode)


def _read_json(path: Path, what: str) -> dict[str, Any] | None:
    if not path.exists():
        return None
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ProtectError(f"{path}: unreadable {what}: {exc}") from None
    if not isinstance(doc, dict):
        raise ProtectError(f"{path}: {what} must be a JSON object")
    return doc


def canonical(doc: dict[str, Any]) -> bytes:
    """The signed bytes of an approval body: the project's one canonical form (no floats)."""
    return canonical_json(doc)


def _scrypt(salt: bytes, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> Scrypt:
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p)


def check_pin_format(pin: str) -> None:
    if not PIN_MIN <= len(pin) <= PIN_MAX or not pin.isdigit():
        raise ProtectError(f"pin: must be {PIN_MIN} to {PIN_MAX} digits")


class Guard:
    """The checks for one state folder. `clock` is wall time (see the module note); tests inject it."""

    def __init__(self, state_dir: Path, *, clock: Callable[[], float] = time.time,
                 oem_token_sha256: str | None = None) -> None:
        self.state_dir = Path(state_dir)
        self.dir = self.state_dir / PROTECT_DIR
        self.clock = clock
        self.oem_token_sha256 = oem_token_sha256

    # -- the PIN ----------------------------------------------------------------------------------------------

    @property
    def pin_path(self) -> Path:
        return self.dir / "pin.json"

    def has_pin(self) -> bool:
        return self.pin_path.exists()

    def set_pin(self, new_pin: str, *, current_pin: str | None = None) -> None:
        """Set the PIN; replacing one needs the current PIN (a console approval resets it via force=True paths)."""
        check_pin_format(new_pin)
        if self.has_pin():
            if current_pin is None:
                raise ProtectError("pin: a PIN is already set; give the current one to change it")
            if not self.verify_pin(current_pin, action="change-files").allowed:
                raise ProtectError("pin: the current PIN is wrong")
        salt = os.urandom(16)
        digest = _scrypt(salt).derive(new_pin.encode("utf-8"))
        record = {"scheme": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P,
                  "salt": base64.b64encode(salt).decode(), "hash": base64.b64encode(digest).decode()}
        _atomic_json(self.pin_path, record)
        self._report("set-pin", "pin", True, "PIN set")

    def _limits(self) -> dict[str, Any]:
        return _read_json(self.dir / "tries.json", "try counter") or {"failures": 0, "locked_until": 0.0}

    def locked_for(self) -> float:
        """Seconds until the next PIN try is accepted (0 when it may be tried now)."""
        return max(0.0, float(self._limits()["locked_until"]) - self.clock())

    def verify_pin(self, pin: str, *, action: str) -> GuardDecision:
        _check_action(action)
        record = _read_json(self.pin_path, "PIN record")
        if record is None:
            return self._decide(action, "pin", False, "no PIN is set on this PC")
        wait = self.locked_for()
        if wait > 0:
            return self._decide(action, "pin", False, f"too many wrong PINs: try again in {int(wait) + 1} s")
        try:
            salt, digest = base64.b64decode(record["salt"]), base64.b64decode(record["hash"])
            kdf = _scrypt(salt, int(record["n"]), int(record["r"]), int(record["p"]))
        except (KeyError, ValueError, TypeError) as exc:
            raise ProtectError(f"{self.pin_path}: damaged PIN record ({exc}); reset it from the parent console") \
                from None
        try:
            kdf.verify(pin.encode("utf-8"), digest)  # constant-time comparison inside
            ok = True
        except InvalidKey:
            ok = False
        limits = self._limits()
        if ok:
            limits = {"failures": 0, "locked_until": 0.0}
        else:
            limits["failures"] = int(limits["failures"]) + 1
            extra = limits["failures"] - FREE_TRIES
            if extra > 0:
                limits["locked_until"] = self.clock() + min(MAX_LOCK_S, FIRST_LOCK_S * 2 ** (extra - 1))
        _atomic_json(self.dir / "tries.json", limits)
        return self._decide(action, "pin", ok, "PIN accepted" if ok else "wrong PIN")

    # -- a paired console's approval --------------------------------------------------------------------------

    def verify_approval(self, approval: dict[str, Any], *, action: str,
                        peer_lookup: Callable[[str], Any] | None = None) -> GuardDecision:
        """approval = {"body": {...}, "console": device_id, "signature": b64}; peer_lookup(device_id) returns
        the pinned console's PeerKeys or None (default: the link's link.sqlite in this state folder)."""
        _check_action(action)
        try:
            body, console, signature = approval["body"], str(approval["console"]), base64.b64decode(
                approval["signature"], validate=True)
            if not isinstance(body, dict):
                raise TypeError("body must be an object")
            wanted, expires, nonce = body["action"], float(body["expires"]), str(body["nonce"])
        except (KeyError, TypeError, ValueError) as exc:
            return self._decide(action, "approval", False, f"malformed approval: {exc}")
        lookup = peer_lookup or self._pinned_console
        peer = lookup(console)
        if peer is None:
            return self._decide(action, "approval", False, f"console {console[:12]} is not paired with this PC")
        try:
            signed = canonical(body)
        except (TypeError, ValueError) as exc:
            return self._decide(action, "approval", False, f"malformed approval: {exc}")
        if not peer.verify(signature, signed):
            return self._decide(action, "approval", False, "the approval's signature does not verify")
        now = self.clock()
        if wanted != action:
            return self._decide(action, "approval", False, f"the approval is for {wanted!r}, not {action!r}")
        if not now < expires <= now + APPROVAL_MAX_TTL_S:
            return self._decide(action, "approval", False, "the approval has expired or lives too long")
        used_path = self.dir / "used-nonces.json"
        used = _read_json(used_path, "used approvals") or {}
        if nonce in used:
            return self._decide(action, "approval", False, "this approval was already used")
        used = {k: v for k, v in used.items() if float(v) > now}  # forget nonces that expired anyway
        used[nonce] = expires
        _atomic_json(used_path, used)
        return self._decide(action, "approval", True, f"approved by console {console[:12]}")

    def _pinned_console(self, device_id: str) -> Any:
        from agent.link.state import LinkState

        path = self.state_dir / "link.sqlite"
        if not path.exists():
            return None
        state = LinkState(path)
        try:
            return state.peer(device_id)
        finally:
            state.close()

    # -- the device maker's token -----------------------------------------------------------------------------

    def verify_oem_token(self, token: str, *, action: str) -> GuardDecision:
        _check_action(action)
        if not self.oem_token_sha256:
            return self._decide(action, "oem-token", False, "no device-maker token is configured (oem.toml)")
        given = hashlib.sha256(token.encode("utf-8")).hexdigest()
        ok = hmac.compare_digest(given, self.oem_token_sha256.lower())
        reason = "device-maker token accepted" if ok else "wrong device-maker token"
        return self._decide(action, "oem-token", ok, reason)

    # -- grants the package scripts consume --------------------------------------------------------------------

    def grant(self, decision: GuardDecision, ttl_s: float = GRANT_TTL_S) -> None:
        if not decision.allowed:
            raise ProtectError("grant: only an allowed decision can be granted")
        _atomic_json(self.dir / "grant.json", {"action": decision.action, "expires": self.clock() + ttl_s,
                                               "method": decision.method})

    def consume_grant(self, action: str) -> GuardDecision:
        """Use up a grant for action (one use). A missing, expired or other-action grant is a refusal."""
        _check_action(action)
        path = self.dir / "grant.json"
        doc = _read_json(path, "unlock grant")
        if doc is None:
            return self._decide(action, "grant", False, "not unlocked: run `sprout-agent unlock` with the parent PIN")
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        if doc.get("action") != action:
            return self._decide(action, "grant", False, f"unlocked for {doc.get('action')!r}, not {action!r}")
        if float(doc.get("expires", 0)) <= self.clock():
            return self._decide(action, "grant", False, "the unlock has expired; unlock again")
        return self._decide(action, "grant", True, f"unlocked by {doc.get('method')}")

    # -- reports ----------------------------------------------------------------------------------------------

    def _decide(self, action: str, method: str, allowed: bool, reason: str) -> GuardDecision:
        self._report(action, method, allowed, reason)
        return GuardDecision(allowed, action, method, reason)

    def _report(self, action: str, method: str, allowed: bool, reason: str) -> None:
        # One file per attempt: no lock needed between a package script and the running service.
        at = self.clock()
        doc = {"kind": "tamper" if not allowed else "protected-action", "action": action, "method": method,
               "allowed": allowed, "reason": reason, "at": at, "uid": ACCOUNT.real_uid()}
        # Named so that sorting gives the order of attempts: the wall time, then the boot's monotonic clock for
        # attempts within the same instant (and an injected, frozen clock in tests).
        name = f"{at:017.6f}-{time.monotonic_ns():020d}-{secrets.token_hex(4)}.json"
        _atomic_json(self.dir / "reports" / name, doc)


def drain_reports(state_dir: Path) -> list[dict[str, Any]]:
    """Read and delete the attempt reports, oldest first (the service records each as an event for the parent).
    A damaged file becomes a report saying so rather than disappearing."""
    folder = Path(state_dir) / PROTECT_DIR / "reports"
    out: list[dict[str, Any]] = []
    if not folder.is_dir():
        return out
    for path in sorted(folder.glob("*.json")):
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(doc, dict):
                raise ValueError("not an object")
        except (OSError, ValueError) as exc:
            doc = {"kind": "tamper", "action": "unknown", "allowed": False,
                   "reason": f"damaged report {path.name}: {exc}"}
        out.append(doc)
        path.unlink()
    return out


def sign_approval(sign: Callable[[bytes], bytes], console_device_id: str, action: str,
                  ttl_s: float = 600.0, now: float | None = None) -> dict[str, Any]:
    """What a paired console sends to allow one action (sign = the console identity's Ed25519 sign)."""
    _check_action(action)
    # Whole seconds: the canonical form refuses floats, so a signature has exactly one byte form
    body = {"action": action, "expires": int((time.time() if now is None else now) + ttl_s),
            "nonce": secrets.token_hex(16)}
    return {"body": body, "console": console_device_id, "signature": base64.b64encode(sign(canonical(body))).decode()}


def _check_action(action: str) -> None:
    if action not in ACTIONS:
        raise ProtectError(f"action: must be one of {', '.join(ACTIONS)}, got {action!r}")


# -- `sprout-agent unlock` --------------------------------------------------------------------------------------

REFUSED = ("Sprout: cần mã PIN của cha mẹ để {action}. Chạy: sudo sprout-agent unlock --action {action}",
           "Sprout: the parent's PIN is needed to {action}. Run: sudo sprout-agent unlock --action {action}")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("unlock", help="allow stopping or removing Sprout with the parent PIN or a console approval")
    p.add_argument("--action", choices=ACTIONS[:3], default="uninstall")
    p.add_argument("--state", type=Path, default=Path("/var/lib/sprout"), help="the service's state folder")
    p.add_argument("--pin-stdin", action="store_true", help="read the PIN from standard input (scripts)")
    p.add_argument("--approval", type=Path, help="a signed approval file from a paired parent console")
    p.add_argument("--check", action="store_true",
                   help="for package scripts: use up an unlock (or the device maker's token in "
                        f"${TOKEN_ENV}); exit 1 and report the attempt if there is none")
    p.add_argument("--set-pin", action="store_true", help="set (or change) the parent PIN")
    p.set_defaults(func=_cmd_unlock)


def _oem_token_hash() -> str | None:
    from agent.oem import OemError, load_oem

    try:
        config = load_oem()
    except OemError:
        return None  # a broken oem.toml must never open the door; the service reports it at start
    return config.uninstall_token_sha256 if config else None


def _read_pin(args: argparse.Namespace, prompt: str) -> str:
    if args.pin_stdin:
        return sys.stdin.readline().strip()
    if not sys.stdin.isatty():
        raise CliError("unlock: --pin: no terminal to ask on; use --pin-stdin")
    return getpass.getpass(prompt)


def _cmd_unlock(args: argparse.Namespace) -> int:
    guard = Guard(args.state, oem_token_sha256=_oem_token_hash())
    try:
        if args.set_pin:
            current = _read_pin(args, "PIN hiện tại / current PIN: ") if guard.has_pin() else None
            new = _read_pin(args, "PIN mới / new PIN: ")
            guard.set_pin(new, current_pin=current)
            print("Đã đặt PIN / PIN set")
            return 0
        if args.check:
            token = os.environ.get(TOKEN_ENV)
            decision = (guard.verify_oem_token(token, action=args.action) if token
                        else guard.consume_grant(args.action))
            if not decision.allowed:
                for line in REFUSED:
                    print(line.format(action=args.action), file=sys.stderr)
                print(f"({decision.reason})", file=sys.stderr)
                return 1
            return 0
        if args.approval:
            try:
                doc = json.loads(args.approval.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise CliError(f"unlock: --approval: {args.approval}: {exc}") from None
            decision = guard.verify_approval(doc if isinstance(doc, dict) else {}, action=args.action)
        else:
            decision = guard.verify_pin(_read_pin(args, "PIN của cha mẹ / parent PIN: "), action=args.action)
        if not decision.allowed:
            raise CliError(f"unlock: {decision.method}: {decision.reason}")
        guard.grant(decision)
        print(f"Đã mở khóa trong {int(GRANT_TTL_S // 60)} phút / unlocked for {int(GRANT_TTL_S // 60)} minutes: "
              f"{args.action}")
        return 0
    except ProtectError as exc:
        raise CliError(f"unlock: {exc}") from None
