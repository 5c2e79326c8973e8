"""The phone app names the child, reads a 24-hour clock, and gives the console its push subscription — in a real
Chromium phone (390×844) linked by the console's QR code, against the real `sprout-console` (phone link, relay
listen), the real `sprout-agent run` and a real Mosquitto; in Vietnamese and English.

- The console learnt the child's name from the PC ("Minh Anh", its rules) and gives it at linking: every card says
  "Minh Anh", never the PC's host name.
- Bedtime is typed and shown as 20:30 on both screens (a 24-hour text box: `<input type=time>` shows the browser's
  locale, "08:30 PM", on the Vietnamese screen).
- The app's `givePush` seals the subscription for the console (JavaScript, resources/phone/app.js) and the console
  (Python) opens it; when the PC is killed, the console pushes "offline since" to the phone's push service
  (tests/support/webpush_endpoint.py), and the open app's Alerts say it with the same clock.

Headless Chromium has no push service, so the browser's own `PushManager.subscribe` cannot run here: the test hands
`givePush` the subscription a browser would make (keys from tests/webpush_endpoint.Phone, the endpoint of the local
push service) — everything after that is the app's real code.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import subprocess
import time
from pathlib import Path

import pytest

from agent.relay.phone_app import PhoneAppServer
from tests.support import journeys
from tests.support.journeys import BIN, ENV, ROOT, lang, run, start_agent  # noqa: F401 - lang is a fixture
from tests.support.phone_app import MISSING, phone_browser, qr_y4m, shot, wait_for
from tests.support.python_phone import console_shows_link_code
from tests.support.relay_broker import MOSQUITTO, Broker, free_port
from tests.support.webpush_endpoint import Phone, PushService

pytestmark = [pytest.mark.e2e,
              pytest.mark.skipif(MOSQUITTO is None, reason="needs mosquitto (scripts/debian-packages.txt)"),
              pytest.mark.skipif(MISSING is not None, reason=MISSING or "")]
SHOTS = os.environ.get("SPROUT_PHONE_SHOTS")


def test_the_phone_names_the_child_reads_24_hours_and_hears_the_console_say_offline(
        tmp_path: Path, lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from selenium.webdriver.common.by import By

    shots = Path(SHOTS) if SHOTS else tmp_path / "shots"
    service = PushService(tmp_path / "push", Phone()).start()
    monkeypatch.setitem(journeys.ENV, "REQUESTS_CA_BUNDLE", service.ca)
    mom = tmp_path / "mom"

    def console(*args: object) -> str:
        p = subprocess.run([str(BIN / "sprout-console"), "--state", str(mom), "--lang", lang, "--name", "mom",
                            *map(str, args)], capture_output=True, text=True, timeout=120, env=ENV, cwd=ROOT)
        assert p.returncode == 0 and "Traceback" not in p.stderr, (args, p.stdout, p.stderr)
        return p.stdout

    from agent.policy import preset

    doc = preset(12, ["vn-decree-147"])
    doc["screen"]["windows"] = {}
    doc["child"]["name"] = "Minh Anh"
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps(doc), encoding="utf-8")
    state = tmp_path / "agent"
    agent_id = run(BIN / "sprout-agent", "relay", "id", "--user-mode", "--state", state).stdout.strip()
    console_id = console("relay", "id").strip()
    folder, port, ws_port = tmp_path / "relay", free_port(), free_port()
    run(BIN / "sprout-relay", "setup", folder, "--host", "127.0.0.1", "--port", port, "--listen", "127.0.0.1",
        "--family", "nguyen", "--agent", agent_id, "--console", console_id, "--phones", "1", "--ws-port", ws_port,
        "--ws-plain")
    broker = Broker(folder)
    broker.port = port
    broker.start()
    server = PhoneAppServer("127.0.0.1", 0).start()
    driver = linking = listen = None
    try:
        run(BIN / "sprout-agent", "relay", "import", folder / "bundles" / f"{agent_id}.json", "--user-mode",
            "--state", state)
        console("relay", "import", folder / "bundles" / f"{console_id}.json")
        console("relay", "import", folder / "bundles" / f"{console_id}.phones.json")
        with contextlib.contextmanager(start_agent)(tmp_path, lang, "--policy", str(policy)) as agent:
            console("pair", "--code", agent.pairing_code(), "--host", agent.host)
            out = tmp_path / "listen.out"
            listen = subprocess.Popen([str(BIN / "sprout-console"), "--state", str(mom), "--lang", lang, "relay",
                                       "listen"], stdout=out.open("w"), stderr=subprocess.STDOUT, env=ENV, cwd=ROOT)
            said = out.read_text
            # the listening console asks the online PC its child's name (its rules'), and keeps it
            names = mom / "child-names.json"
            deadline = time.monotonic() + 60
            while not names.exists():
                assert time.monotonic() < deadline and listen.poll() is None, said()
                time.sleep(0.1)
            assert json.loads(names.read_text()) == {agent_id: "Minh Anh"}

            linking, qr, _code = console_shows_link_code(
                [str(BIN / "sprout-console"), "--state", str(mom), "--lang", lang, "phone", "link", "--timeout", "180"],
                tmp_path / "qr.txt", env=ENV, cwd=ROOT)
            driver = phone_browser(lang, tmp_path / "chromium", fake_camera=qr_y4m(qr, tmp_path / "qr.y4m"))
            driver.get(server.url)
            wait_for(driver, lambda: driver.find_element(By.CSS_SELECTOR, "[data-test=scan]"), why="first screen")
            driver.find_element(By.CSS_SELECTOR, "[data-test=scan]").click()
            wait_for(driver, lambda: driver.find_elements(By.CSS_SELECTOR, "nav [data-tab=home]"), timeout=90,
                     why="linked")
            linking.communicate(timeout=60)
            # the app draws its screen again whenever the PC says something: read and tap in one go, never stale
            read = lambda sel, what="textContent": driver.execute_script(  # noqa: E731
                f"return document.querySelector(arguments[0])?.{what} ?? ''", sel)
            tap = lambda sel: driver.execute_script("document.querySelector(arguments[0]).click()", sel)  # noqa: E731
            saved = json.loads(driver.execute_script("return localStorage.getItem('sprout-phone')"))
            assert [c["name"] for c in saved["children"]] == ["Minh Anh"]  # from linking, before any status
            assert re.fullmatch(r"[0-9a-f]{64}", saved["console"]["kx_public"])
            wait_for(driver, lambda: not driver.find_elements(By.CSS_SELECTOR, "[data-test=conn]"), why="connected")
            wait_for(driver, lambda: driver.find_element(By.CSS_SELECTOR, "[data-test=today]"), why="status")
            assert driver.execute_script("return [...document.querySelectorAll('main h2')].map((e) => e.textContent)"
                                         ) == ["Minh Anh"]
            updated = driver.execute_script("return document.querySelector('main').innerText")
            assert re.search(r"(Cập nhật lúc|Updated at) ([01]\d|2[0-3]):[0-5]\d$", updated, re.M), updated
            assert not re.search(r"\b(AM|PM|SA|CH)\b", updated), updated

            # the app gives its push subscription to the PC and, sealed, to the console (the browser's part of
            # subscribing cannot run headless: this is what it would give)
            sub = service.phone.subscription(service.endpoint(), lang=lang)
            given = driver.execute_async_script(
                "const done = arguments[arguments.length - 1];"
                "window.sproutApp.family.givePush(arguments[0]).then(done, (e) => done(String(e)));", sub)
            assert given == {agent_id: "ok", "console": "ok"}, given
            deadline = time.monotonic() + 30
            while not ("“Điện thoại của bố mẹ”" in said() or "“Parent's phone”" in said()):
                assert time.monotonic() < deadline, said()
                time.sleep(0.1)

            # bedtime typed the way a parent types it on a number pad, shown 20:30 on both screens
            tap("[data-tab=rules]")
            wait_for(driver, lambda: read("[data-test=daily-minutes]", "value"), why="the PC's rules asked")
            # typed into the box and saved in one go (the app draws the screen again whenever the PC answers)
            type_and_save = ("const b = document.querySelector('[data-test=bedtime]'); b.value = arguments[0];"
                             "document.querySelector('[data-test=save-bedtime]').click();")
            driver.execute_script(type_and_save, "2030")
            note = wait_for(driver, lambda: read("[data-test=rules-note]").startswith(("Đã lưu", "Saved")),
                            why="bedtime saved")
            assert read("[data-test=bedtime]", "value") == "20:30", note
            assert read("main h2") == ("Quy tắc cho Minh Anh" if lang == "vi" else "Rules for Minh Anh")
            shot(driver, shots, f"phone-rules-24h-{lang}")
            driver.execute_script(type_and_save, "25:00")  # not a time of day: refused, saying how, nothing sent
            assert read("[data-test=rules-note]") == (
                "Hãy gõ giờ theo kiểu 24 giờ, ví dụ 21:00." if lang == "vi" else
                "Type a 24-hour time, for example 21:00.")

            tap("[data-tab=alerts]")
            agent.proc.kill()  # SIGKILL: the PC cannot say goodbye; the console hears the broker's last will
            agent.proc.wait(10)
            killed_at = time.time()
            deadline = time.monotonic() + 60  # the PC's own pushes (its alerts) came to the same phone before
            while not [r for r in service.received if r.note["t"] == "offline"]:
                assert time.monotonic() < deadline, [r.note for r in service.received]
                time.sleep(0.1)
            (got,) = [r for r in service.received if r.note["t"] == "offline"]
        assert got.note["t"] == "offline" and got.note["n"] == "Minh Anh" and got.note["l"] == lang
        assert abs(got.note["at"] - killed_at) < 30
        offline = wait_for(driver, lambda: read("[data-test=offline]"), why="offline alert")
        hhmm = dt.datetime.fromtimestamp(got.note["at"]).strftime("%H:%M")  # this machine's zone = the browser's
        assert offline in (f"Máy của Minh Anh đã ngoại tuyến từ {hhmm}", f"Minh Anh's PC has been offline since {hhmm}")
        shot(driver, shots, f"phone-alerts-offline-{lang}")
    finally:
        if listen is not None:
            listen.terminate()
            listen.wait(20)
        if linking is not None and linking.poll() is None:
            linking.kill()
        if driver is not None:
            driver.quit()
        server.stop()
        broker.stop()
        service.stop()
