"""The parent's phone presses "Lock now" and "Pause internet until …": Chromium as a 390×844 phone (Selenium) opens
the app served from resources/phone, reaches a real Mosquitto over MQTT on WebSockets, and talks to the real
`sprout-agent run` through the relay in v2 sessions — in Vietnamese and in English.

The phone is pinned as a *phone* (agent.link.phones: a phone's rights, not a console's), by the fixture this file
names so, as a console-signed `phone_add` does (linking itself: tests/phone/test_link_by_qr.py). The child's PC
locks and pauses as the phone asks, says until when, and the phone's Unlock and Resume end each."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from agent.companion.ipc_client import IpcClient
from agent.link.phones import PhoneBook
from agent.link.state import LinkState
from agent.protocol.identity import Identity
from agent.relay.phone_app import PhoneAppServer
from tests.support.journeys import BIN, close_console, lang, paired_console, run, start_agent  # noqa: F401
from tests.support.phone_app import MISSING, link_phone_by_fixture, open_linked, phone_browser, shot, wait_for
from tests.support.relay_broker import MOSQUITTO, Broker, free_port

pytestmark = [pytest.mark.skipif(MOSQUITTO is None, reason="needs mosquitto (scripts/debian-packages.txt)"),
              pytest.mark.skipif(MISSING is not None, reason=MISSING or "")]
SHOTS = os.environ.get("SPROUT_PHONE_SHOTS")  # docs/screenshots when the pictures for the docs are made
LOCKED = {"vi": "Máy đang khóa đến", "en": "Locked until"}
PAUSED = {"vi": "Internet tạm dừng đến", "en": "Internet paused until"}


@pytest.fixture()
def app_server() -> Iterator[PhoneAppServer]:
    server = PhoneAppServer("127.0.0.1", 0).start()
    try:
        yield server
    finally:
        server.stop()


def pin_as_phone_by_fixture(agent_state: Path, phone: Identity, console_id: str) -> None:
    """TEST FIXTURE standing in for linking: what the agent does on a console-signed phone_add — the phone pinned
    with a phone's rights, its broker account (here its device ID) as its relay topic."""
    book = PhoneBook(LinkState(agent_state / "link.sqlite"))
    book.add(phone.public, phone.device_id, console_id)


def press(driver: Any, script: str) -> None:
    """Set the inputs and tap the button in one step: the app redraws the card whenever the PC's status arrives, so
    an element found a moment earlier may already be replaced (and a chosen value with it)."""
    driver.execute_script(script)


def child_status(agent: Any) -> dict:
    client = IpcClient(agent.socket)
    try:
        return client.status(reconnect_for=10)
    finally:
        client.close()


def test_the_phone_locks_and_pauses_the_childs_pc(tmp_path: Path, lang: str, app_server: PhoneAppServer,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from selenium.webdriver.common.by import By

    folder = Path(SHOTS) if SHOTS else tmp_path / "shots"
    state = tmp_path / "agent"
    agent_id = run(BIN / "sprout-agent", "relay", "id", "--user-mode", "--state", state).stdout.strip()
    phone = Identity(os.urandom(64), "Điện thoại của mẹ")
    broker = Broker(tmp_path / "relay")
    broker.add("nguyen", [agent_id], phone_ids=[phone.device_id], ws_port=free_port(), ws_tls=False)
    bundle = json.loads((broker.folder / "bundles" / f"{phone.device_id}.json").read_text())
    broker.start()
    driver = console = None
    try:
        run(BIN / "sprout-agent", "relay", "import", broker.folder / "bundles" / f"{agent_id}.json", "--user-mode",
            "--state", state)
        with contextlib.contextmanager(start_agent)(tmp_path, lang) as agent:
            console = paired_console(tmp_path, agent, lang)
            linked = link_phone_by_fixture(tmp_path / "unused", phone, broker_ws=bundle["ws"],
                                           password=bundle["password"],
                                           children=[(agent_id, console.family.peer_keys(agent_id), "Minh Anh")])
            pin_as_phone_by_fixture(state, phone, console.family.identity.device_id)
            # the parent's phone is in the family's time zone (the rules' own), as the child's PC is
            monkeypatch.setenv("TZ", console.policy(console.kid.id)["timezone"])
            driver = phone_browser(lang, tmp_path / "chromium")
            open_linked(driver, app_server.url, linked, lang)
            wait_for(driver, lambda: not driver.find_elements(By.CSS_SELECTOR, "[data-test=conn]"), why="connected")
            label = wait_for(driver, lambda: driver.find_element(By.CSS_SELECTOR, "[data-test=lock-now]").text,
                             why="the Lock now button")
            assert label == ("Khóa máy ngay" if lang == "vi" else "Lock now")
            shot(driver, folder, f"phone-controls-{lang}")

            press(driver, "document.querySelector('[data-test=lock-for]').value = '30';"
                          "document.querySelector('[data-test=lock-now]').click();")
            locked = wait_for(driver, lambda: driver.find_element(By.CSS_SELECTOR, "[data-test=locked]").text,
                              why="locked")
            st = child_status(agent)
            assert st["locked_reason"] == "parent_lock" and st["parent_lock"]["by"] == phone.device_id
            assert locked == f"{LOCKED[lang]} {st['parent_lock']['until_text']}"
            shot(driver, folder, f"phone-controls-locked-{lang}")
            press(driver, "document.querySelector('[data-test=unlock]').click();")
            wait_for(driver, lambda: driver.find_element(By.CSS_SELECTOR, "[data-test=lock-now]"), why="unlocked")
            assert child_status(agent)["parent_lock"] is None

            press(driver, "document.querySelector('[data-test=pause-until]').value = '23:59';"
                          "document.querySelector('[data-test=pause]').click();")
            paused = wait_for(driver, lambda: driver.find_element(By.CSS_SELECTOR, "[data-test=paused]").text,
                              why="paused")
            st = child_status(agent)
            assert st["internet_paused"]["until_text"].startswith("23:59")  # the phone's 23:59 is the PC's 23:59
            assert paused == f"{PAUSED[lang]} {st['internet_paused']['until_text']}"
            shot(driver, folder, f"phone-controls-paused-{lang}")
            press(driver, "document.querySelector('[data-test=resume]').click();")
            wait_for(driver, lambda: driver.find_element(By.CSS_SELECTOR, "[data-test=pause]"), why="resumed")
            assert child_status(agent)["internet_paused"] is None

            # the alerts say what happened, in the phone's language
            press(driver, "document.querySelector('[data-tab=alerts]').click();")
            text = wait_for(driver, lambda: (t := driver.find_element(By.TAG_NAME, "main").text) and (
                ("Internet đã bật lại" if lang == "vi" else "The internet is back on") in t) and t, why="alerts")
            assert ("Máy đã khóa theo lệnh của bố mẹ" if lang == "vi" else "The PC was locked by a parent") in text
            errors = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
            assert errors == [], errors
    finally:
        if driver is not None:
            driver.quit()
        if console is not None:
            close_console(console)
        broker.stop()
