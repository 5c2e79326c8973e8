"""The phone's side of Web Push: pushes the Python sender made (through the real local push service) are decrypted
in JavaScript by the npm http_ece (independent of the Python library, bundled in phone/test/vendor/) with the phone's
keys, and the built service worker (resources/phone/sw-push.js) shows "Minh Anh asks for 30 more minutes", "Minh
Anh's PC has been offline since 14:05" and tamper alerts in Vietnamese and English; a tap opens the right screen.
Node runs only this cross-check; the product never needs it."""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from agent.protocol import webpush
from tests.support.webpush_endpoint import Phone, PushService

ROOT = Path(__file__).resolve().parents[2]
SW = ROOT / "resources" / "phone" / "sw-push.js"
ECE = ROOT / "phone" / "test" / "vendor" / "http_ece.cjs"
NODE = shutil.which("node")
AGENT = "A" * 52
SCOPE = "https://phone.sprout.example/app/"


@pytest.fixture()
def pushed(tmp_path: Path) -> Iterator[tuple[Phone, PushService]]:
    phone = Phone()
    service = PushService(tmp_path / "push-service", phone).start()
    yield phone, service
    service.stop()


def phone_side(tmp_path: Path, phone: Phone, bodies: list[bytes], navigator: str = "vi-VN",
               windows: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    d = base64.urlsafe_b64decode(phone.private_jwk()["d"] + "=")
    spec = {"sw": str(SW), "ece": str(ECE), "cases": [
        {"body": base64.urlsafe_b64encode(b).decode(), "d": base64.urlsafe_b64encode(d).decode(),
         "auth": webpush.b64u(phone.auth), "navigator": navigator, "windows": windows or []} for b in bodies]}
    path = tmp_path / "cases.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    p = subprocess.run([NODE, str(ROOT / "phone" / "test" / "push.mjs"), str(path)], capture_output=True, text=True,
                       timeout=60, env=dict(os.environ, TZ="Asia/Ho_Chi_Minh"))
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


def three_pushes(phone: Phone, service: PushService, lang: str) -> list[bytes]:
    sub = webpush.parse_subscription(phone.subscription(service.endpoint(), lang=lang))
    since = dt.datetime(2026, 12, 6, 14, 5, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")).timestamp()
    notes = [webpush.notification({"seq": 41, "kind": "time_request", "payload": {"id": "r7", "minutes": 30}},
                                  AGENT, "Minh Anh"),
             webpush.offline_notification(AGENT, "Minh Anh", since),
             webpush.notification({"seq": 42, "kind": "alert", "payload": {"kind": "protected_action",
                                                                           "allowed": False}}, AGENT, "Minh Anh")]
    for note in notes:
        webpush.send(sub, dict(note, l=lang), verify=service.ca)
    return [g.body for g in service.wait(3)]


EXPECTED = {
    "vi": [("Minh Anh xin thêm 30 phút", "Chạm để trả lời", "requests"),
           ("Máy của Minh Anh đã ngoại tuyến từ 14:05", "Sprout sẽ báo khi máy trực tuyến trở lại", "alerts"),
           ("Máy của Minh Anh", "Có người đã thử tắt hoặc gỡ Sprout", "alerts")],
    "en": [("Minh Anh asks for 30 more minutes", "Tap to answer", "requests"),
           ("Minh Anh's PC has been offline since 14:05", "Sprout will tell you when it is back online", "alerts"),
           ("Minh Anh's PC", "Someone tried to stop or remove Sprout", "alerts")],
}


@pytest.mark.skipif(NODE is None, reason="node is not installed (only this cross-check uses it)")
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_phone_decrypts_and_the_service_worker_shows_each_push(tmp_path: Path, pushed: Any, lang: str) -> None:
    phone, service = pushed
    results = phone_side(tmp_path, phone, three_pushes(phone, service, lang))
    assert [json.loads(r["plaintext"])["t"] for r in results] == ["ask", "offline", "alert"]
    seen = [(r["shown"][0]["title"], r["shown"][0]["options"]["body"], r["shown"][0]["options"]["data"]["route"])
            for r in results]
    assert seen == EXPECTED[lang]
    assert [r["clicked"] for r in results] == [[f"{SCOPE}#/requests"], [f"{SCOPE}#/alerts"], [f"{SCOPE}#/alerts"]]
    assert results[0]["shown"][0]["options"]["data"] == {"agent": AGENT, "seq": 41, "route": "requests",
                                                          "request": "r7"}
    assert all(r["shown"][0]["options"]["lang"] == lang for r in results)


@pytest.mark.skipif(NODE is None, reason="node is not installed (only this cross-check uses it)")
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_turned_off_and_offline_since_read_on_a_24_hour_clock_and_replace_each_other(
        tmp_path: Path, pushed: Any, lang: str) -> None:
    """The agent's own goodbye (o=1) and the console's "offline since" (the last will) for the same PC: one tag, so
    the second replaces the first on the phone; the time is 21:04 on an English (en-US) phone too, never 09:04 PM."""
    phone, service = pushed
    sub = webpush.parse_subscription(phone.subscription(service.endpoint(), lang=lang))
    at = dt.datetime(2026, 12, 6, 21, 4, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")).timestamp()
    webpush.send(sub, dict(webpush.offline_notification(AGENT, "Minh Anh", at), o=1, l=lang), verify=service.ca)
    webpush.send(sub, dict(webpush.offline_notification(AGENT, "Minh Anh", at + 3600), l=lang), verify=service.ca)
    results = phone_side(tmp_path, phone, [g.body for g in service.wait(2)], navigator="en-US")
    titles = [r["shown"][0]["title"] for r in results]
    assert titles == ({"vi": ["Máy của Minh Anh đã tắt lúc 21:04", "Máy của Minh Anh đã ngoại tuyến từ 22:04"],
                       "en": ["Minh Anh's PC turned off at 21:04", "Minh Anh's PC has been offline since 22:04"]}[lang])
    assert {r["shown"][0]["options"]["tag"] for r in results} == {f"offline-{AGENT}"}


@pytest.mark.skipif(NODE is None, reason="node is not installed (only this cross-check uses it)")
def test_an_open_app_is_told_and_a_damaged_push_still_shows_something(tmp_path: Path, pushed: Any) -> None:
    phone, service = pushed
    (ask, *_rest) = three_pushes(phone, service, "en")
    visible = [{"url": SCOPE, "visibilityState": "visible", "focused": True}]
    (open_app,) = phone_side(tmp_path, phone, [ask], windows=visible)
    assert open_app["shown"] == [] and open_app["posted"][0]["type"] == "sprout-push"
    assert open_app["posted"][0]["note"]["m"] == 30

    flipped = bytearray(ask)
    flipped[-5] ^= 1  # one bit changed on the way: the phone refuses it (AES-GCM), nothing is shown from it
    (refused,) = phone_side(tmp_path, phone, [bytes(flipped)])
    assert "error" in refused
    # a payload the worker cannot read (an older PC, a bug) still gives a notification, never the browser's own
    sub = webpush.parse_subscription(phone.subscription(service.endpoint()))
    webpush.send(sub, {"t": "ask", "v": 99}, verify=service.ca)
    odd = service.wait(4)[-1].body
    (shown,) = phone_side(tmp_path, phone, [odd], navigator="en-US")
    assert (shown["shown"][0]["title"], shown["shown"][0]["options"]["body"]) == ("Sprout",
                                                                                   "Open the app to see what is new")


def test_the_service_worker_is_built_static_and_its_libraries_pinned() -> None:
    text = SW.read_text(encoding="utf-8")
    assert not re.search(r"""^\s*(import|export)\s""", text, re.M)  # a classic script: importScripts() works
    assert "showNotification" in text and "notificationclick" in text
    pkg = json.loads((ROOT / "phone" / "package.json").read_text())
    assert pkg["devDependencies"]["http_ece"] == "1.2.1" and "sw-push.js" in pkg["scripts"]["build:push"]
    lock = json.loads((ROOT / "phone" / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/http_ece"]["version"] == "1.2.1"
    assert lock["packages"]["node_modules/http_ece"]["integrity"].startswith("sha512-")
