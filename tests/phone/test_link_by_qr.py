"""The parent links the phone app by scanning the console's QR code (or typing its code), as a parent does: `sprout-relay setup` with phone
accounts and a WebSockets listener, the real `sprout-console phone link` showing its QR code, Chromium as a 390×844
phone whose camera sees that code (a fake camera stream), the app's own linking (phone/src/app/linking.js on
resources/phone/link.js), and the real `sprout-agent run` told by the console. Then the child asks for time and the
parent grants it from the phone — in Vietnamese and in English."""

from __future__ import annotations

import contextlib
import json
import subprocess
from pathlib import Path

import pytest

from agent.relay.phone_app import PhoneAppServer
from tests.support.journeys import BIN, ENV, ROOT, lang, run, start_agent  # noqa: F401 - lang is a fixture
from tests.support.phone_app import MISSING, phone_browser, qr_y4m, wait_for
from tests.support.python_phone import console_shows_link_code
from tests.support.relay_broker import MOSQUITTO, Broker, free_port

pytestmark = [pytest.mark.e2e,
              pytest.mark.skipif(MOSQUITTO is None, reason="needs mosquitto (scripts/debian-packages.txt)"),
              pytest.mark.skipif(MISSING is not None, reason=MISSING or "")]


@pytest.mark.parametrize("how", ["qr", "code"])
def test_the_phone_app_links_by_the_consoles_qr_code_and_grants(tmp_path: Path, lang: str, how: str) -> None:
    from selenium.webdriver.common.by import By

    mom = tmp_path / "mom"

    def console(*args: object) -> subprocess.CompletedProcess:
        p = subprocess.run([str(BIN / "sprout-console"), "--state", str(mom), "--lang", lang, "--name", "mom",
                            *map(str, args)], capture_output=True, text=True, timeout=120, env=ENV, cwd=ROOT)
        assert p.returncode == 0 and "Traceback" not in p.stderr, (args, p.stdout, p.stderr)
        return p

    state = tmp_path / "agent"
    agent_id = run(BIN / "sprout-agent", "relay", "id", "--user-mode", "--state", state).stdout.strip()
    console_id = console("relay", "id").stdout.strip()
    folder, port, ws_port = tmp_path / "relay", free_port(), free_port()
    run(BIN / "sprout-relay", "setup", folder, "--host", "127.0.0.1", "--port", port, "--listen", "127.0.0.1",
        "--family", "nguyen", "--agent", agent_id, "--console", console_id, "--phones", "1", "--ws-port", ws_port,
        "--ws-plain")
    broker = Broker(folder)
    broker.port = port
    broker.start()
    server = PhoneAppServer("127.0.0.1", 0).start()
    driver = linking = None
    try:
        run(BIN / "sprout-agent", "relay", "import", folder / "bundles" / f"{agent_id}.json", "--user-mode",
            "--state", state)
        console("relay", "import", folder / "bundles" / f"{console_id}.json")  # it carries the WebSockets address
        console("relay", "import", folder / "bundles" / f"{console_id}.phones.json")
        with contextlib.contextmanager(start_agent)(tmp_path, lang) as agent:
            console("pair", "--code", agent.pairing_code(), "--host", agent.host)
            qr_file = tmp_path / "qr.txt"
            linking, qr, code = console_shows_link_code(
                [str(BIN / "sprout-console"), "--state", str(mom), "--lang", lang, "phone", "link", "--timeout", "180"],
                qr_file, env=ENV, cwd=ROOT)
            ws = f"ws://127.0.0.1:{ws_port}/mqtt"
            assert "w=ws%3A%2F%2F127.0.0.1%3A" in qr or f"w={ws}" in qr, qr

            # the parent opens the app, names the phone and points its camera at the console's QR code, or types
            # the code (then the app's address names the broker: a code cannot carry it)
            driver = phone_browser(lang, tmp_path / "chromium", fake_camera=qr_y4m(qr, tmp_path / "qr.y4m"))
            driver.get(server.url if how == "qr" else f"{server.url}?ws={ws}")
            wait_for(driver, lambda: driver.find_element(By.CSS_SELECTOR, "[data-test=scan]"), why="first screen")
            name = driver.find_element(By.CSS_SELECTOR, "[data-test=phone-name]")
            name.clear()
            name.send_keys("Điện thoại của mẹ")
            if how == "qr":
                driver.find_element(By.CSS_SELECTOR, "[data-test=scan]").click()
            else:
                driver.find_element(By.CSS_SELECTOR, "details summary").click()
                driver.find_element(By.CSS_SELECTOR, "[data-test=link-code]").send_keys(code.lower())
                driver.find_element(By.CSS_SELECTOR, "[data-test=link-with-code]").click()
            wait_for(driver, lambda: driver.find_elements(By.CSS_SELECTOR, "nav [data-tab=home]"), timeout=90,
                     why="linked: the app's tabs")
            shown, err = linking.communicate(timeout=60)
            assert linking.returncode == 0, (shown, err)
            assert ("Đã liên kết điện thoại “Điện thoại của mẹ”" if lang == "vi"
                    else "Linked the phone “Điện thoại của mẹ”") in shown
            saved = json.loads(driver.execute_script("return localStorage.getItem('sprout-phone')"))
            assert [c["agent"] for c in saved["children"]] == [agent_id]
            assert saved["broker"]["username"] != saved["phone"]["id"]  # a broker slot, not the phone's keys
            assert saved["phone"]["id"][:7] in console("phone", "list").stdout

            # the PC was told by the console: the phone's requests are answered through the relay
            wait_for(driver, lambda: not driver.find_elements(By.CSS_SELECTOR, "[data-test=conn]"), why="connected")
            asked = run(BIN / "sprout-agent", "ask", "30", "--reason", "bài tập", "--socket", agent.socket,
                        "--lang", lang)
            assert asked.returncode == 0
            card = wait_for(driver, lambda: driver.find_element(By.CSS_SELECTOR, "[data-request]"), timeout=60,
                            why="the request")
            card.find_element(By.CSS_SELECTOR, "button[data-minutes='30']").click()
            note = wait_for(driver, lambda: driver.find_element(By.CSS_SELECTOR, "[data-note]").text, why="granted")
            assert note == ("Đã cho thêm 30 phút" if lang == "vi" else "Granted 30 minutes")
            status = json.loads(run(BIN / "sprout-agent", "status", "--json", "--user-mode", "--state",
                                    agent.state).stdout)
            (day,) = status["days"].values()
            assert 30 * 60 <= day["grant_screen_s"] < 35 * 60
    finally:
        if linking is not None and linking.poll() is None:
            linking.kill()
        if driver is not None:
            driver.quit()
        server.stop()
        broker.stop()
