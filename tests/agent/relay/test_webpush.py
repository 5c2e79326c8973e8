"""Web Push to a linked phone whose app is closed (docs/relay.md): the agent encrypts a small notification to the
phone (RFC 8291 aes128gcm), signs VAPID (RFC 8292) with the key the phone subscribed with, and a real local push
service (tests/support/webpush_endpoint.py: HTTPS, checks the JWT, TTL and urgency, decrypts with the phone's keys) receives
it. 410 Gone forgets the subscription. The push service sees one size for every kind and no name, no minutes.

Until the phone-linking branch lands, the phone in the end-to-end test pairs with the agent like a console does
(`phone_paired_as_a_console`): the link message kinds it uses are the ones a linked phone uses."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from agent.link.backend import StoreBackend
from agent.protocol import webpush
from agent.protocol.errors import ProtocolError
from agent.relay.webpush import PushBook, WebPusher
from agent.store.db import EncryptedStore
from agent.store.keys import SecretVault
from tests.support.webpush_endpoint import Phone, PushService

AGENT = "A" * 52
PHONE = "P" * 52


@pytest.fixture()
def phone() -> Phone:
    return Phone()


@pytest.fixture()
def service(tmp_path: Path, phone: Phone) -> Iterator[PushService]:
    s = PushService(tmp_path / "push-service", phone).start()
    yield s
    s.stop()


def send(service: PushService, sub: webpush.Subscription, note: dict[str, Any], **kw: Any) -> int:
    return webpush.send(sub, note, verify=service.ca, **kw)


def test_a_push_reaches_the_phone_encrypted_signed_and_the_service_sees_nothing(service: PushService,
                                                                                 phone: Phone) -> None:
    sub = webpush.parse_subscription(phone.subscription(service.endpoint()))
    item = {"seq": 7, "kind": "time_request", "payload": {"id": "r1", "minutes": 30, "reason": "bài tập toán"}}
    note = webpush.notification(item, AGENT, "Minh Anh")
    assert send(service, sub, note) == 201
    (got,) = service.wait(1)
    assert got.path == "/push/phone-1"
    assert got.note == {"v": 1, "a": AGENT, "s": 7, "n": "Minh Anh", "t": "ask", "m": 30, "id": "r1"}
    assert len(got.plaintext) == webpush.PAYLOAD_BYTES  # padded: the kind and the name do not show in the size
    assert got.headers["Urgency"] == "high" and got.headers["TTL"] == "3600"
    assert got.claims["aud"] == service.origin and got.claims["sub"] == "https://phone.sprout.example"
    # what the push service holds: no field of the note (as the note spells them: two random bytes of ciphertext
    # are "30" one time in 16 on a 4 kB body, so bare values would make this check fail by chance)
    for secret in (b"Minh Anh", b'"m":30', b'"t":"ask"', b'"id":"r1"', "bài tập".encode()):
        assert secret not in got.body and secret not in json.dumps(got.headers).encode()
    assert "bài tập" not in got.plaintext.decode()  # the child's reason waits for the app: fetched, not pushed


def test_every_kind_has_one_size_and_its_own_ttl_and_urgency(service: PushService, phone: Phone) -> None:
    sub = webpush.parse_subscription(phone.subscription(service.endpoint()))
    notes = [webpush.notification({"seq": 1, "kind": "time_request", "payload": {"id": "x", "minutes": 240}},
                                  AGENT, "Nguyễn Thị Minh Anh Hương Giang"),
             webpush.notification({"seq": 2, "kind": "alert", "payload": {"kind": "clock_change"}}, AGENT, "An"),
             webpush.offline_notification(AGENT, "An", time.time())]
    for note in notes:
        send(service, sub, note)
    got = service.wait(3)
    assert len({len(g.body) for g in got}) == 1
    assert [(g.headers["Urgency"], g.headers["TTL"]) for g in got] == [("high", "3600"), ("high", "86400"),
                                                                       ("normal", "86400")]
    assert [g.note["t"] for g in got] == ["ask", "alert", "offline"]


def test_what_is_not_worth_waking_a_phone_for_is_not_pushed() -> None:
    def note(item_kind: str, **payload: Any) -> dict[str, Any] | None:
        return webpush.notification({"seq": 1, "kind": item_kind, "payload": payload}, AGENT, "An")

    assert note("daily_summary", day="2026-12-06") is None
    assert note("consent", state="agreed") is None
    assert note("alert", kind="new_fullscreen_app") is None
    assert note("alert", kind="protected_action", allowed=True) is None  # the parent's own uninstall
    assert note("alert", kind="protected_action", allowed=False)["k"] == "protected_action"


def test_a_forged_or_stale_vapid_token_is_refused_by_the_push_service(service: PushService, phone: Phone) -> None:
    """The local push service really checks: another key, or a token that expired, is refused (so the tests above
    could fail)."""
    stranger = Phone()
    forged = webpush.parse_subscription({**phone.subscription(service.endpoint()),
                                         "vapid": stranger.subscription("https://x/")["vapid"]})
    with pytest.raises(webpush.PushFailed) as exc:
        send(service, forged, webpush.offline_notification(AGENT, "An", 0))
    assert exc.value.status == 400
    sub = webpush.parse_subscription(phone.subscription(service.endpoint()))
    with pytest.raises(webpush.PushFailed):
        send(service, sub, webpush.offline_notification(AGENT, "An", 0), now=lambda: time.time() - 2 * 86400)
    assert service.refused == ["not the key the phone subscribed with", "exp"] and service.received == []


@pytest.mark.parametrize(("field", "value", "says"), [
    ("endpoint", "http://push.example/x", "endpoint: must be an https://"),
    ("endpoint", "https://user:pw@push.example/x", "endpoint: must be an https://"),
    ("endpoint", "https://push.example/" + "x" * 1100, "endpoint: expected a URL"),
    ("p256dh", "AAAA", "p256dh: expected 65 bytes"),
    ("p256dh", webpush.b64u(b"\x04" + b"\x01" * 64), "p256dh: not a P-256 public key"),
    ("auth", "not base64!", "auth: expected base64url"),
    ("auth", "x", "auth: expected base64url"),
    ("vapid", webpush.b64u(b"\xff" * 32), "vapid: not a P-256 private key"),
    ("subject", "javascript:alert(1)", "subject: expected an https:// URL"),
    ("lang", "fr", "lang: expected one of vi, en"),
])
def test_a_bad_subscription_is_refused_naming_the_field(phone: Phone, field: str, value: str, says: str) -> None:
    with pytest.raises(ProtocolError) as exc:
        webpush.parse_subscription({**phone.subscription("https://push.example/x"), field: value})
    assert exc.value.code == "bad_payload" and exc.value.reason.startswith(says), exc.value.reason


@pytest.fixture()
def agent_side(tmp_path: Path) -> Iterator[tuple[EncryptedStore, StoreBackend, PushBook]]:
    vault = SecretVault("sprout-agent", tmp_path / "agent", file_fallback=True)
    store = EncryptedStore.open(tmp_path / "agent" / "agent.db", os.urandom(32))
    yield store, StoreBackend(store), PushBook(vault)
    store.close()


def test_the_agent_pushes_new_requests_and_alerts_and_forgets_a_gone_subscription(
        service: PushService, phone: Phone, agent_side: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    store, backend, book = agent_side
    store.outbox_put("time_request", {"id": "old", "minutes": 15})  # before the agent started: fetched, not pushed
    book.subscribe(PHONE, phone.subscription(service.endpoint(), lang="en"))
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", service.ca)  # how a device trusts a push service: its CA bundle
    pusher = WebPusher(book, backend, AGENT, child_name=lambda: "Minh Anh", is_paired=lambda p: True)
    seq = store.outbox_put("time_request", {"id": "r2", "minutes": 30})
    store.outbox_put("daily_summary", {"day": "2026-12-06"})
    store.outbox_put("alert", {"kind": "timezone_change", "timezone": "Asia/Tokyo"})
    assert pusher.push_new() == 2
    got = service.wait(2)
    assert [(g.note["t"], g.note.get("m"), g.note.get("k"), g.note["l"]) for g in got] == [
        ("ask", 30, None, "en"), ("alert", None, "timezone_change", "en")]
    assert got[0].note["s"] == seq and b"Tokyo" not in got[1].plaintext
    assert pusher.push_new() == 0  # nothing twice
    service.gone.add("/push/phone-1")  # the parent uninstalled the app: the push service says 410
    store.outbox_put("time_request", {"id": "r3", "minutes": 60})
    assert pusher.push_new() == 0
    assert book.all() == {}


def test_a_push_service_that_does_not_answer_is_tried_again_then_given_up(
        phone: Phone, agent_side: Any) -> None:
    store, backend, book = agent_side
    book.subscribe(PHONE, phone.subscription("https://127.0.0.1:9/push/x"))  # nothing listens on port 9
    clock = [1000.0]
    calls: list[float] = []

    def failing(sub: webpush.Subscription, note: dict[str, Any]) -> int:
        calls.append(clock[0])
        raise webpush.PushFailed(0, "no answer")

    pusher = WebPusher(book, backend, AGENT, child_name=lambda: "An", is_paired=lambda p: True, send=failing,
                       monotonic=lambda: clock[0])
    store.outbox_put("time_request", {"id": "r", "minutes": 30})
    assert pusher.push_new() == 0 and calls == [1000.0]
    for wait in (5, 30, 120, 500):
        clock[0] += wait
        pusher.push_new()
    assert calls == [1000.0, 1005.0, 1035.0, 1155.0]  # three more tries, then the app fetches it when opened
    assert list(book.all()) == [PHONE]  # no answer is not "gone"


def test_a_removed_phone_gets_no_more_pushes(service: PushService, phone: Phone, agent_side: Any) -> None:
    store, backend, book = agent_side
    book.subscribe(PHONE, phone.subscription(service.endpoint()))
    paired = {PHONE}
    pusher = WebPusher(book, backend, AGENT, child_name=lambda: "An", is_paired=lambda p: p in paired,
                       send=lambda sub, note: webpush.send(sub, note, verify=service.ca))
    store.outbox_put("time_request", {"id": "r", "minutes": 30})
    assert pusher.push_new() == 1
    paired.clear()  # removed from the console: refused everywhere, its subscription forgotten
    store.outbox_put("time_request", {"id": "s", "minutes": 30})
    assert pusher.push_new() == 0 and book.all() == {}
    assert len(service.received) == 1


@pytest.fixture()
def phone_paired_as_a_console(tmp_path: Path) -> Iterator[Any]:
    """The phone's identity as the agent pins it. Until phone linking lands (a console-signed phone_add), the phone
    pairs with the pairing code like a console; the link messages it sends afterwards are a linked phone's."""
    from app.family import Family

    family = Family(tmp_path / "phone", name="mom's phone", use_keyring=False)
    yield family
    family.close()


@pytest.mark.e2e
def test_the_running_agent_wakes_a_closed_phone_when_the_child_asks(
        tmp_path: Path, service: PushService, phone: Phone, phone_paired_as_a_console: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """`sprout-agent run`; the phone hands over its subscription in a sealed `push_subscribe`; the phone app is
    closed; the child runs `sprout-agent ask 30`: the push service receives one push, the phone decrypts
    "Minh Anh asks for 30 more minutes"; once the push service says 410 the agent stops pushing there."""
    import contextlib

    from agent.policy import preset
    from app.link_client import DeviceLink, pair
    from tests.support import journeys

    monkeypatch.setitem(journeys.ENV, "REQUESTS_CA_BUNDLE", service.ca)  # the device trusts this push service
    doc = preset(12, ["vn-decree-147"])
    doc["screen"]["windows"] = {}
    doc["child"]["name"] = "Minh Anh"
    (tmp_path / "policy.json").write_text(json.dumps(doc), encoding="utf-8")
    mom = phone_paired_as_a_console
    with contextlib.contextmanager(journeys.start_agent)(tmp_path, "vi", "--policy", str(tmp_path / "policy.json")) \
            as agent:
        keys = pair(mom, agent.host, agent.pairing_code())
        link = DeviceLink(mom, keys.device_id)
        assert link.call("push_subscribe", phone.subscription(service.endpoint(), lang="vi")) == {"ok": True}
        with pytest.raises(Exception) as bad:  # a broken subscription: refused, naming the field, nothing stored
            link.call("push_subscribe", {**phone.subscription(service.endpoint()), "auth": "x"})
        assert "auth" in str(bad.value)

        def ask(minutes: int) -> None:
            journeys.run(journeys.BIN / "sprout-agent", "ask", str(minutes), "--reason", "homework", "--socket",
                         agent.socket, "--lang", "vi")

        ask(30)
        (got,) = service.wait(1, timeout=60)
        assert got.note["t"] == "ask" and got.note["m"] == 30 and got.note["n"] == "Minh Anh"
        assert got.note["a"] == keys.device_id and got.note["l"] == "vi"
        assert b"homework" not in got.plaintext and b"Minh" not in got.body
        (request,) = [i for i in link.fetch() if i["kind"] == "time_request"]  # the record comes by cursor
        assert request["seq"] == got.note["s"] and request["payload"]["reason"] == "homework"

        service.gone.add("/push/phone-1")
        ask(45)
        deadline = time.monotonic() + 60
        while "push subscription" not in agent.log.read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert link.call("push_unsubscribe", {}) == {"ok": True, "removed": False}  # already forgotten
        assert len(service.received) == 1


def test_a_clean_stop_says_turned_off_within_its_budget_and_says_whether_every_phone_heard(
        agent_side: Any) -> None:
    """The goodbye push (webpush.say_goodbye): each phone told once, a slow push service never holds the stop past
    its budget (an injected clock), a removed phone told nothing; True only when every phone's service took it."""
    _store, backend, book = agent_side
    other = "B" * 52
    book.subscribe(PHONE, Phone().subscription("https://push.example/p/1", lang="vi"))
    book.subscribe(other, Phone().subscription("https://push.example/p/2", lang="en"))
    clock = [0.0]
    sent: list[tuple[str, dict[str, Any], float]] = []
    slow: set[str] = set()

    def send(sub: webpush.Subscription, note: dict[str, Any], timeout_s: float = 10.0) -> int:
        sent.append((sub.endpoint, note, timeout_s))
        if sub.endpoint in slow:
            clock[0] += timeout_s  # the push service took the whole timeout and answered nothing
            raise webpush.PushFailed(0, "timed out")
        return 201

    paired = {PHONE, other}
    pusher = WebPusher(book, backend, AGENT, child_name=lambda: "Minh Anh", is_paired=lambda p: p in paired,
                       send=send, monotonic=lambda: clock[0])
    assert pusher.say_goodbye(1_765_000_000.0) is True
    assert sorted((e, n["t"], n["o"], n["n"], n["l"], n["at"]) for e, n, _ in sent) == [
        ("https://push.example/p/1", "offline", 1, "Minh Anh", "vi", 1_765_000_000),
        ("https://push.example/p/2", "offline", 1, "Minh Anh", "en", 1_765_000_000)]
    assert all(t <= 3.0 for _, _, t in sent)

    sent.clear()
    slow.update({"https://push.example/p/1", "https://push.example/p/2"})
    assert pusher.say_goodbye(1_765_000_100.0, budget_s=4.0) is False
    assert clock[0] <= 4.0 + 0.01 and len(sent) == 2  # 3 s, then the 1 s left: never past the budget
    assert sent[1][2] <= 1.0 + 1e-9

    sent.clear()
    paired.discard(other)  # removed from the family: told nothing, its subscription forgotten
    slow.clear()
    assert pusher.say_goodbye(1_765_000_200.0) is True
    assert [e for e, _, _ in sent] == ["https://push.example/p/1"] and list(book.all()) == [PHONE]
    book.remove(PHONE)
    assert pusher.say_goodbye(1_765_000_300.0) is False  # nobody to tell: the console may tell them
