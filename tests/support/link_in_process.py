"""The agent's link in-process for tests: `Agent` (a link state, an encrypted store, the real handler) and a paired
`Console` that seals and opens messages as the parent's console does."""

from __future__ import annotations

import json
import os

import pytest

from agent.link.backend import StoreBackend
from agent.link.handler import LinkService
from agent.link.state import LinkState
from agent.protocol.envelope import Channel
from agent.protocol.identity import Identity
from agent.protocol.pairing import ConsolePairing


def open_store(path):
    from agent.store.db import EncryptedStore

    return EncryptedStore.open(path, os.urandom(32))


class Clock:
    def __init__(self) -> None:
        self.t = 1_800_000_000.0

    def __call__(self) -> float:
        return self.t


class Agent:
    def __init__(self, tmp_path) -> None:
        self.clock = Clock()
        self.state = LinkState(tmp_path / "link.sqlite", self.clock)
        self.store = open_store(tmp_path / "agent.db")
        self.applied: list[tuple[str, bool, int]] = []
        self.backend = StoreBackend(self.store, grant_sink=self._grant)
        self.identity = Identity.generate("child-pc")
        self.service = LinkService(self.identity, self.state, self.backend)

    def _grant(self, request_id, approve, minutes, message):
        if request_id == "missing":
            raise KeyError(request_id)
        self.applied.append((request_id, approve, minutes))

    def post(self, path, data):
        body = data if isinstance(data, bytes) else json.dumps(data).encode()
        status, out = self.service.handle("POST", path, body)
        return status, json.loads(out) if status != 200 or path != "/v1/msg" else out

    def pair(self, console: Identity, code: str | None = None):
        code = code or self.state.open_pairing()[0]
        c = ConsolePairing(code, console.public)
        status, reply = self.post("/v1/pair/start", c.start_message())
        assert status == 200, reply
        fin = c.finish_message(reply)
        status, reply = self.post("/v1/pair/finish", fin)
        assert status == 200, reply
        return c.agent_keys(reply)


class Console:
    def __init__(self, agent: Agent, name="mom") -> None:
        self.identity = Identity.generate(name)
        agent.pair(self.identity)
        self.agent = agent
        self.chan = Channel(self.identity, agent.identity.public)
        self.ctr = {0: 0, 1: 0}

    def wire(self, kind, payload, lane=0):
        self.ctr[lane] += 1
        return self.chan.seal(kind, payload, self.ctr[lane], lane=lane)

    def send_wire(self, wire):
        status, out = self.agent.service.handle("POST", "/v1/msg", wire)
        if status != 200:
            return status, json.loads(out)
        _, reply = self.chan.open(out, 0)
        return status, reply

    def call(self, kind, payload, lane=0):
        return self.send_wire(self.wire(kind, payload, lane))


@pytest.fixture()
def agent(tmp_path):
    a = Agent(tmp_path)
    yield a
    a.state.close()
