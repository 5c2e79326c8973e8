"""The relay's part of the contract (docs/relay.md): topic names, the settings a device needs to reach its family's
broker, and one way to open a TLS MQTT v5 connection to it (paho-mqtt). Both the agent's bridge and the console's
relay client import this; neither imports the other.

The relay moves the same sealed envelopes as the LAN link. Topics name devices by their public-key hashes only:
    sprout/v1/<agent>/in/<console>   console → agent requests (QoS 1)
    sprout/v1/<agent>/out/<console>  agent → console replies (correlation data = the request's) and pushes (none)
    sprout/v1/<agent>/pair           pairing messages (response topic = the console's out/ topic)
    sprout/v1/<agent>/presence       b"1" online / b"0" offline (retained; the last will is b"0")
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import ssl
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = "sprout/v1"
DEFAULT_PORT = 8883
ONLINE, OFFLINE = b"1", b"0"
# user property on an agent's own "offline" (a clean stop; the last will has none): "told" = every subscribed phone
# already heard "turned off" by Web Push, so a listening console does not push it again; "untold" = it may
CLEAN_STOP_PROPERTY = "stop"
PAIR_OPS = ("start", "finish", "abort")
_ID = re.compile(r"^[A-Z2-7]{52}$")  # a device ID: base32 of a SHA-256 (agent.protocol.devid)
CONNECT_TIMEOUT_S = 10.0


class RelayError(Exception):
    """The relay settings or the broker are not usable: `code` is stable, `reason` is one sentence with where."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(f"{code}: {reason}")
        self.code = code
        self.reason = reason


def is_device_id(text: Any) -> bool:
    return isinstance(text, str) and bool(_ID.match(text))


def in_topic(agent: str, console: str) -> str:
    return f"{ROOT}/{agent}/in/{console}"


def out_topic(agent: str, console: str) -> str:
    return f"{ROOT}/{agent}/out/{console}"


def pair_topic(agent: str) -> str:
    return f"{ROOT}/{agent}/pair"


def presence_topic(agent: str) -> str:
    return f"{ROOT}/{agent}/presence"


def parse_topic(topic: str) -> tuple[str, str, str | None]:
    """(agent, kind, console or None) of a sprout topic; RelayError if it is not one."""
    parts = topic.split("/")
    if len(parts) >= 4 and "/".join(parts[:2]) == ROOT and is_device_id(parts[2]):
        if len(parts) == 5 and parts[3] in ("in", "out") and is_device_id(parts[4]):
            return parts[2], parts[3], parts[4]
        if len(parts) == 4 and parts[3] in ("pair", "presence"):
            return parts[2], parts[3], None
    raise RelayError("bad_topic", f"{topic[:120]!r} is not a sprout relay topic")


def parse_broker(text: str) -> tuple[str, int]:
    """'host', 'host:port' or '[v6]:port' → (host, port); the port defaults to 8883 (MQTT over TLS)."""
    text = (text or "").strip()
    if not text:
        raise RelayError("bad_broker", "the broker address is empty")
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        port_text = rest[1:] if rest.startswith(":") else ""
    else:
        host, sep, port_text = text.rpartition(":")
        if not sep or ":" in host:
            host, port_text = text, ""
    if port_text and (not port_text.isdigit() or not 0 < int(port_text) < 65536):
        raise RelayError("bad_broker", f"{text!r}: the port must be a number from 1 to 65535")
    if not host or any(c.isspace() for c in host):
        raise RelayError("bad_broker", f"{text!r}: no host name")
    return host, int(port_text) if port_text else DEFAULT_PORT


@dataclass(frozen=True)
class RelaySettings:
    """Where the family's broker is and how this device logs in. The password stays in the device's vault."""

    broker: str  # host:port
    ca_pem: str  # the family CA (or a device maker's) that signed the broker's certificate
    username: str  # the device's broker account: its device ID
    password: str = field(repr=False)
    family: str = ""
    ws: str = ""  # the broker's MQTT-over-WebSockets URL for the parent's phone app, when it has that listener

    @property
    def address(self) -> tuple[str, int]:
        return parse_broker(self.broker)

    def public_json(self) -> dict[str, str]:
        out = {"broker": self.broker, "ca": self.ca_pem, "username": self.username, "family": self.family}
        if self.ws:
            out["ws"] = self.ws  # the console puts it in the phone's link QR code
        return out


def parse_bundle(data: Any, where: str) -> RelaySettings:
    """A credential bundle written by `sprout-relay` (agent.relay.broker): checked field by field."""
    if not isinstance(data, dict):
        raise RelayError("bad_bundle", f"{where}: expected a JSON object")
    problems = []
    for key in ("broker", "ca", "username", "password"):
        if not isinstance(data.get(key), str) or not data[key]:
            problems.append(f"{key}: missing or not text")
    if problems:
        raise RelayError("bad_bundle", f"{where}: " + "; ".join(problems))
    parse_broker(data["broker"])
    if "BEGIN CERTIFICATE" not in data["ca"]:
        raise RelayError("bad_bundle", f"{where}: ca: not a PEM certificate")
    ws = data.get("ws", "")
    if not isinstance(ws, str) or (ws and not ws.startswith(("ws://", "wss://"))):
        raise RelayError("bad_bundle", f"{where}: ws: not a ws:// or wss:// address")
    return RelaySettings(data["broker"], data["ca"], data["username"], data["password"], str(data.get("family", "")),
                         ws)


def load_bundle(path: Path) -> RelaySettings:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise RelayError("bad_bundle", f"{path}: cannot read: {exc.strerror}") from None
    except ValueError:
        raise RelayError("bad_bundle", f"{path}: not JSON") from None
    return parse_bundle(data, str(path))


def _tls_context(ca_pem: str) -> ssl.SSLContext:
    ctx = ssl.create_default_context(ssl.Purpose.SERVER_AUTH)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    # only the family's CA: a public CA's certificate for the same name is not the family's broker
    ctx.load_verify_locations(cadata=ca_pem)
    return ctx


def connect(settings: RelaySettings, *, client_id: str | None = None, will: tuple[str, bytes] | None = None,
            on_message: Any = None, on_connect: Any = None, timeout_s: float = CONNECT_TIMEOUT_S,
            wait: bool = True) -> Any:
    """A connected, looping paho client (MQTT v5, TLS against the family CA). RelayError when the broker cannot be
    reached or refuses the login. `on_connect(client)` runs after every (re)connection: subscribe there.

    wait=False (the agent): return at once and let paho keep trying in the background, never abandoning a connection
    half made — when many PCs reconnect together after a broker restart, a slow TLS handshake must not become a
    retry storm."""
    import paho.mqtt.client as mqtt
    from paho.mqtt.packettypes import PacketTypes
    from paho.mqtt.properties import Properties

    host, port = settings.address
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id or f"sprout-{uuid.uuid4().hex[:16]}",
                         protocol=mqtt.MQTTv5)
    client.username_pw_set(settings.username, settings.password)
    client.tls_set_context(_tls_context(settings.ca_pem))
    if will is not None:
        client.will_set(will[0], will[1], qos=1, retain=True)
    client.reconnect_delay_set(1, 10)
    result: dict[str, Any] = {}
    ready = threading.Event()

    def _on_connect(c: Any, userdata: Any, flags: Any, reason: Any, props: Any) -> None:
        result["reason"] = reason
        sock = c.socket()
        if sock is not None:  # a PUBACK then a reply in two writes: without this, Nagle + delayed ACK cost ~40 ms
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if not reason.is_failure and on_connect is not None:
            on_connect(c)
        ready.set()

    client.on_connect = _on_connect
    if on_message is not None:
        client.on_message = on_message
    props = Properties(PacketTypes.CONNECT)
    props.SessionExpiryInterval = 0  # exactly-once comes from seq + cursor, not from sessions kept on the broker
    if not wait:
        client.connect_async(host, port, keepalive=30, clean_start=True, properties=props)
        client.loop_start()
        return client
    try:
        client.connect(host, port, keepalive=30, clean_start=True, properties=props)
    except (OSError, ssl.SSLError) as exc:
        raise RelayError("relay_unreachable", f"broker {settings.broker}: {type(exc).__name__}: {exc}") from None
    client.loop_start()
    if not ready.wait(timeout_s) or result["reason"].is_failure:
        why = str(result.get("reason", "no answer"))
        client.loop_stop()
        client.disconnect()
        code = "relay_refused" if "reason" in result else "relay_unreachable"
        raise RelayError(code, f"broker {settings.broker}: {why}")
    return client



def pair_uri(code: str, device_id: str | None = None, broker: str | None = None) -> str:
    """What the pairing QR code holds: the code, and with a relay the agent's ID and the broker's address."""
    from urllib.parse import urlencode

    fields = {"code": code}
    if device_id and broker:
        fields.update(id=device_id, broker=broker)
    return "sprout:pair?" + urlencode(fields)


def parse_pair_uri(text: str) -> dict[str, str]:
    """{code, id?, broker?} from a scanned `sprout:pair?…`; RelayError naming the field that is wrong."""
    from urllib.parse import parse_qs

    text = text.strip()
    if not text.startswith("sprout:pair?"):
        raise RelayError("bad_qr", f"{text[:60]!r} is not a Sprout pairing code (sprout:pair?…)")
    fields = {k: v[0] for k, v in parse_qs(text.split("?", 1)[1]).items()}
    if not fields.get("code"):
        raise RelayError("bad_qr", "the pairing QR code has no code")
    if "id" in fields and not is_device_id(fields["id"]):
        raise RelayError("bad_qr", "id: not a device ID")
    if "broker" in fields:
        parse_broker(fields["broker"])
    return fields
