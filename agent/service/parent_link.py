"""Serve paired parent consoles from inside the agent: the link endpoint over the same store, with the running
core as the place policies and grants are applied."""

from __future__ import annotations

import logging
import socket
import threading
import time
from typing import Any

from agent.fileio import atomic_write
from agent.link.backend import StoreBackend
from agent.link.endpoint import start_link
from agent.protocol.pairing import display_code
from agent.service.consent import status_for_parent
from agent.service.core import AgentCore

log = logging.getLogger(__name__)


def start_parent_link(core: AgentCore, opts: Any) -> Any:
    if core.vault is None:
        raise RuntimeError("the parent link needs the key custody the store was opened with")

    def parent_status() -> dict[str, Any]:
        # A paired console reads usage only as far as the family agreed (agent.service.consent).
        view = core.consent_view()
        return status_for_parent(core.status(), view["in_force"], view["state"])

    def on_event(code: str, peer: str | None, detail: str) -> None:
        if code == "paired":  # the age's defaults are now shown to the child and to the parent to agree to
            core.offer_consent()

    backend = StoreBackend(core.store, policy_sink=core.apply_policy, grant_sink=core.decide_request,
                           status_source=parent_status, policy_source=lambda: core.policy_doc,
                           consent_sink=core.parent_consent, consent_source=core.consent_view,
                           time_sink=core.console_time, control_sink=core.parent_control,
                           refused_sink=core.control_refused)
    core.on_outbox.append(backend.notify)
    advertise = not opts.user_mode or not opts.link_listen.startswith("127.")
    (opts.state_dir / "link.address").unlink(missing_ok=True)  # the last run's, if it ended without stopping
    running = start_link(opts.state_dir, backend, core.vault, listen=opts.link_listen,
                         name=core.policy_doc["child"].get("name") or socket.gethostname(), advertise=advertise,
                         on_event=on_event)
    state = running.state
    if state.peers():  # paired before consent existed, or before a restart: the proposal is there to answer
        core.offer_consent()

    def offer() -> dict[str, Any] | None:
        # Before the family's first pairing, or while a parent's approval lasts (`sprout-agent pair` by the PC's
        # administrator, or `pair_allow` from a paired console): never because the child asked (link/state.py).
        got = state.offer_code()
        if got is None:
            return None
        code, expires = got
        return {"code": display_code(code), "expires_in_s": max(0, int(expires - time.time()))}

    core.pairing_offer = offer
    watch = RevocationWatch(state, core).start()

    def on_link_event(code: str, peer: str | None, detail: str) -> None:
        on_event(code, peer, detail)
        if code == "unpaired":  # withdraw that console's policy at once, not at the next check
            watch.check()

    running.service.on_event = on_link_event
    from agent.relay.bridge import start_bridge

    bridge = start_bridge(running.service, backend, core.vault, opts.state_dir)  # None: no relay, the LAN only
    if bridge is not None:
        core.on_outbox.append(bridge.notify)
    from agent.relay.webpush import PushBook, WebPusher

    running.service.push_book = PushBook(core.vault)  # linked phones hand over their Web Push subscriptions
    pusher = WebPusher(running.service.push_book, backend, running.service.identity.device_id,
                       child_name=lambda: core.policy_doc["child"].get("name") or "",
                       # a console or a linked phone; a removed phone gets no pushes
                       is_paired=lambda peer: running.service.peer_keys(peer) is not None).start()
    core.on_outbox.append(pusher.notify)
    host, port = running.address
    log.info("parent link: %s:%d", host, port)
    # whole or not at all, and only while this run listens: a reader (run.sh, a test) never takes the last run's
    # address, or half of this one's, for where the agent is
    address_file = opts.state_dir / "link.address"
    atomic_write(address_file, f"{host}:{port}\n".encode())

    def stop() -> None:
        address_file.unlink(missing_ok=True)
        watch.stop()
        pusher.stop()
        # a clean stop: the phones hear "turned off" by Web Push before the relay hears "offline"
        told = pusher.say_goodbye(time.time())
        if bridge is not None:
            bridge.stop(phones_told=told)
        running.stop()

    return stop


class RevocationWatch:
    """A console unpaired (by itself, or with `sprout-agent pair --unpair` on this PC) loses what it set: the core
    restores the last policy of a source still trusted. Checked at start (a revocation while the agent was off)
    and every `every_s` on its own thread: never on the tick."""

    def __init__(self, state: Any, core: AgentCore, every_s: float = 1.0) -> None:
        from agent.link.phones import PhoneBook

        self.state = state
        self.phones = PhoneBook(state)  # a linked phone's lever changes count as trusted; a removed one's go too
        self.core = core
        self.every_s = every_s
        self._done: set[str] = set()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="sprout-revocations", daemon=True)

    def trusted(self, signer: str | None) -> bool:
        return signer in (None, "local-file") or (isinstance(signer, str) and (
            self.state.peer(signer) is not None or self.phones.peer(signer) is not None))

    def check(self) -> None:
        with self._lock:
            try:
                revoked = {p["device_id"] for p in self.state.peers(include_revoked=True) if p["revoked_at"]}
                revoked |= {p["device_id"] for p in self.phones.list(include_removed=True) if p["removed_at"]}
            except Exception:
                log.exception("cannot read the paired consoles")
                return
            for device in sorted(revoked - self._done):
                try:
                    self.core.withdraw_console(device, self.trusted)
                except Exception:
                    log.exception("withdrawing the policy of console %s failed", device[:12])
                    continue
                self._done.add(device)

    def start(self) -> RevocationWatch:
        self.check()
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.every_s):
            self.check()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
