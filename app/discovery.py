"""Finding Sprout agents on the LAN: the one zeroconf browser of the console (the command line and the wizard).

Agents announce `_sprout._tcp.local.` (agent/link/advertise.py) with their device ID in the TXT record; anyone on
the LAN can announce anything, so what is found is only a suggestion of HOST:PORT — pairing (the code, the pinned
key) decides who is who.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

SERVICE_TYPE = "_sprout._tcp.local."  # the agent's advertisement (agent.link.advertise.SERVICE_TYPE)


@dataclass(frozen=True, order=True)
class FoundAgent:
    name: str  # the label the agent announced ("An PC 1a2b3c4")
    address: str  # HOST:PORT
    device_id: str  # as announced (unverified until pairing)


def browse(timeout_s: float = 2.0, *, enough: Callable[[list[FoundAgent]], bool] | None = None,
           interfaces: list[str] | None = None) -> list[FoundAgent]:
    """Agents that answered within `timeout_s` (sooner once `enough(found)` says so); [] when zeroconf cannot run
    here (no multicast, no network)."""
    from zeroconf import ServiceBrowser, Zeroconf

    found: dict[str, FoundAgent] = {}
    changed = threading.Event()

    class Listener:
        def add_service(self, zc: Zeroconf, type_: str, name: str) -> None:
            info = zc.get_service_info(type_, name, timeout=1500)
            if info and info.addresses:
                device = (info.properties.get(b"id") or b"").decode("ascii", "replace")
                address = f"{socket.inet_ntoa(info.addresses[0])}:{info.port}"
                found[name] = FoundAgent(name.split("._sprout")[0], address, device)
                changed.set()

        def update_service(self, *a: Any) -> None:
            pass

        def remove_service(self, *a: Any) -> None:
            pass

    try:
        zc = Zeroconf(interfaces=interfaces) if interfaces else Zeroconf()
    except OSError:
        return []
    try:
        ServiceBrowser(zc, SERVICE_TYPE, Listener())
        deadline = time.monotonic() + timeout_s
        while (left := deadline - time.monotonic()) > 0:
            changed.wait(min(left, 0.1))
            changed.clear()
            if enough is not None and enough(sorted(found.values())):
                break
    finally:
        zc.close()
    return sorted(found.values())
