"""Wire the link together for a state folder: identity from the vault, link.sqlite, the endpoint, zeroconf."""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agent.link.backend import AgentBackend
from agent.link.handler import LinkService
from agent.link.server import LinkServer
from agent.link.state import LinkState
from agent.protocol.identity import Identity, Vault

log = logging.getLogger("sprout.link")
LINK_DB = "link.sqlite"


def link_state(state_dir: Path, clock: Callable[[], float] = time.time) -> LinkState:
    return LinkState(Path(state_dir) / LINK_DB, clock)


def parse_listen(text: str) -> tuple[str, int]:
    host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise ValueError(f"{text!r}: expected HOST:PORT")
    return host or "127.0.0.1", int(port)


@dataclass
class RunningLink:
    service: LinkService
    server: LinkServer
    state: LinkState
    advertiser: Any = None
    extra: list[Any] = field(default_factory=list)

    @property
    def address(self) -> tuple[str, int]:
        return self.server.address

    def stop(self) -> None:
        if self.advertiser is not None:
            try:
                self.advertiser.stop()
            except Exception:
                log.exception("zeroconf stop failed")
        self.server.stop()
        self.state.close()


def start_link(state_dir: Path, backend: AgentBackend, vault: Vault, *, listen: str = "127.0.0.1:0",
               name: str | None = None, advertise: bool = False,
               on_event: Callable[[str, str | None, str], None] | None = None) -> RunningLink:
    identity = Identity.from_vault(vault, name or socket.gethostname())
    state = link_state(state_dir)
    service = LinkService(identity, state, backend, on_event=on_event)
    host, port = parse_listen(listen)
    server = LinkServer(service, host, port).start()
    running = RunningLink(service, server, state)
    log.info("parent link on %s:%d as %s", *server.address, identity.public.display_id)
    if advertise:
        from agent.link.advertise import Advertiser, service_info

        adv_host = server.address[0] if server.address[0] != "0.0.0.0" else socket.gethostbyname(socket.gethostname())
        try:
            running.advertiser = Advertiser(service_info(identity.device_id, identity.public.name, adv_host,
                                                         server.address[1]))
        except Exception as exc:  # no multicast (a container, a locked-down LAN): typing host:port still works
            log.warning("zeroconf advertisement unavailable: %s", exc)
    return running
