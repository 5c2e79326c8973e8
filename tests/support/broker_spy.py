"""`Spy`: an MQTT client that records what a broker lets it see; `ids` names devices."""

from __future__ import annotations

import threading

from agent.protocol import relay
from agent.protocol.identity import Identity


def ids(n: int) -> list[str]:
    return [Identity.generate().device_id for _ in range(n)]


class Spy:
    """A device's own connection with its own credential; remembers what reached it."""

    def __init__(self, settings: relay.RelaySettings) -> None:
        self.got: list[tuple[str, bytes]] = []
        self.cond = threading.Condition()
        self.client = relay.connect(settings, on_message=self._on)
        self.sub_results: dict[int, list] = {}
        self.client.on_subscribe = self._on_sub
        self.sub_ev = threading.Event()

    def _on(self, c, u, msg) -> None:  # type: ignore[no-untyped-def]
        with self.cond:
            self.got.append((msg.topic, bytes(msg.payload)))
            self.cond.notify_all()

    def _on_sub(self, c, u, mid, reasons, props) -> None:  # type: ignore[no-untyped-def]
        self.sub_results[mid] = [r.is_failure for r in reasons]
        self.sub_ev.set()

    def subscribe(self, topic: str) -> bool:
        """True if the broker granted it."""
        self.sub_ev.clear()
        _, mid = self.client.subscribe(topic, qos=1)
        assert self.sub_ev.wait(60)  # a loaded machine, not a hang
        return not self.sub_results[mid][0]

    def publish(self, topic: str, payload: bytes) -> None:
        self.client.publish(topic, payload, qos=1).wait_for_publish(60)

    def wait_for(self, payload: bytes) -> None:
        with self.cond:
            assert self.cond.wait_for(lambda: any(p == payload for _, p in self.got), 10), self.got

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()
