"""A family's home on a real Mosquitto (`Home`, the fixture `home`) and pairing a console with a PC through the relay."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from agent.link.backend import StoreBackend
from agent.link.endpoint import RunningLink, start_link
from agent.protocol import relay
from agent.relay.bridge import RelayBridge, load_settings, save_settings
from agent.store.db import EncryptedStore
from agent.store.keys import SecretVault
from app import relay_client
from app.family import Family
from app.link_client import RELAY_HOST, pair
from tests.support.relay_broker import Broker


def until(what: Callable[[], Any], timeout: float = 30.0, step: float = 0.05) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        got = what()
        if got:
            return got
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(step)


@dataclass
class Home:
    broker: Broker
    store: Any
    backend: StoreBackend
    link: RunningLink
    bridge: RelayBridge
    family: Family
    agent_id: str
    state: Path
    operator: relay.RelaySettings  # an account that reads `#`, as the broker's operator can

    def code(self) -> str:
        return self.link.state.open_pairing()[0]

    def child_writes(self, kind: str, payload: dict[str, Any], day: str | None = None) -> int:
        seq = self.store.outbox_put(kind, payload, day=day)
        self.backend.notify()
        self.bridge.notify()
        return seq


@pytest.fixture()
def home(tmp_path: Path) -> Iterator[Home]:
    state = tmp_path / "agent"
    vault = SecretVault("sprout-agent", state, file_fallback=True)
    store = EncryptedStore.open(state / "agent.db", vault.get_or_create("store-key", lambda: os.urandom(32)))
    backend = StoreBackend(store)
    link = start_link(state, backend, vault, listen="127.0.0.1:0", name="Minh Anh")
    agent_id = link.service.identity.device_id
    family = Family(tmp_path / "console", name="mom", use_keyring=False)
    broker = Broker(tmp_path / "relay")
    broker.add("nguyen", [agent_id], [family.identity.device_id])
    operator = broker.operator()
    broker.start()
    save_settings(state, vault, broker.bundle(agent_id))
    relay_client.save_settings(family, broker.bundle(family.identity.device_id))
    bridge = RelayBridge(link.service, load_settings(state, vault), backend).start()
    until(lambda: bridge.client is not None and bridge.client.is_connected())
    try:
        yield Home(broker, store, backend, link, bridge, family, agent_id, state, operator)
    finally:
        conn = relay_client._connections.pop(family.dir.resolve(), None)
        if conn is not None:
            conn.close()
        bridge.stop()
        link.stop()
        store.close()
        family.close()
        broker.stop()


def pair_through_relay(home: Home) -> None:
    conn = relay_client.for_family(home.family)
    assert conn is not None
    keys = pair(home.family, RELAY_HOST, home.code(),
                transport=lambda path, body, timeout: conn.pair_post(home.agent_id, path, body, timeout))
    assert keys.device_id == home.agent_id
