"""The console's signed clock: every request a paired console sends carries {"clock": {"at", "device", "sig"}},
its wall-clock time signed (Ed25519) for this device. The child cannot set the parent's clock, so the agent takes
it as a time source beside SNTP (agent.service.core.AgentCore.console_time): a hold after a reboot ends on it, and a
PC clock moved a day ahead opens no new day while a console can be heard.

Inside a sealed envelope (pinned keys, counters against replay), so an old clock cannot be replayed either."""

from __future__ import annotations

import math
from typing import Any

from agent.protocol.errors import ProtocolError
from agent.protocol.identity import Identity, PeerKeys, b64d, b64e

CONTEXT = b"sprout clock\x00"


def _blob(agent_id: str, at: float) -> bytes:
    return CONTEXT + agent_id.encode("ascii", "replace") + b"\x00" + repr(float(at)).encode("ascii")


def sign_clock(me: Identity, agent_id: str, at: float) -> dict[str, Any]:
    return {"at": float(at), "device": agent_id, "sig": b64e(me.sign(_blob(agent_id, at)))}


def verify_clock(value: Any, signer_keys: PeerKeys, agent_id: str) -> float:
    """The signed time, or ProtocolError (bad_clock) saying what is wrong."""
    if not isinstance(value, dict):
        raise ProtocolError("bad_clock", "clock must be an object")
    at, device = value.get("at"), value.get("device")
    if not isinstance(at, int | float) or isinstance(at, bool) or not math.isfinite(at) or not 0 < at < 2**40:
        raise ProtocolError("bad_clock", "clock.at must be a time in seconds")
    if device != agent_id:
        raise ProtocolError("bad_clock", "the clock was signed for another device")
    if not signer_keys.verify(b64d(value.get("sig"), "clock.sig"), _blob(agent_id, at)):
        raise ProtocolError("bad_clock", "the clock signature does not verify with the console's pinned key")
    return float(at)
