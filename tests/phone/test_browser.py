"""The parent's phone app in a real browser: Chromium as a 390×844 phone (Selenium, chromium-driver) opens the app
served from resources/phone, reaches a real Mosquitto over MQTT on WebSockets, and talks to the real
`sprout-agent run` through the relay in v2 sessions — in Vietnamese and in English. The child asks
(`sprout-agent ask`), the phone shows it, the parent taps +30, and the child's side counts the 30 minutes.

The phone is linked by the fixture `link_phone_by_fixture` (tests/support/phone_app.py); linking itself is tested in
tests/phone/test_link_by_qr.py."""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from agent.protocol.identity import Identity
from agent.relay.phone_app import PhoneAppServer
from tests.support.journeys import BIN, both_agree, close_console, lang, paired_console, run, start_agent  # noqa: F401
from tests.support.phone_app import MISSING, link_phone_by_fixture, open_linked, phone_browser, shot, wait_for
from tests.support.relay_broker import MOSQUITTO, Broker, free_port

pytestmark = [pytest.mark.skipif(MOSQUITTO is None, reason="needs mosquitto (scripts/debian-packages.txt)"),
              pytest.mark.skipif(MISSING is not None, reason=MISSING or "")]
ROOT = Path(__file__).resolve().parents[2]
SHOTS = os.environ.get("SPROUT_PHONE_SHOTS")  # docs/screenshots when the pictures for the docs are made


def shots_dir(tmp: Path) -> Path:
    return Path(SHOTS) if SHOTS else tmp / "shots"


@pytest.fixture()
def app_server() -> Iterator[PhoneAppServer]:
    server = PhoneAppServer("127.0.0.1", 0).start()
    try:
        yield server
    finally:
        server.stop()


def test_the_phone_hears_a_request_grants_30_and_the_child_gets_them(tmp_path: Path, lang: str,
                                                                      app_server: PhoneAppServer) -> None:
    from selenium.webdriver.common.by import By

    state = tmp_path / "agent"
    agent_id = run(BIN / "sprout-agent", "relay", "id", "--user-mode", "--state", state).stdout.strip()
    phone = Identity(os.urandom(64), "Điện thoại của mẹ")
    broker = Broker(tmp_path / "relay")
    ws_port = free_port()
    broker.add("nguyen", [agent_id], phone_ids=[phone.device_id], ws_port=ws_port, ws_tls=False)
    assert f"listener {ws_port} 127.0.0.1\nprotocol websockets" in (broker.folder / "mosquitto.conf").read_text()
    bundle = json.loads((broker.folder / "bundles" / f"{phone.device_id}.json").read_text())
    assert bundle["ws"] == f"ws://127.0.0.1:{ws_port}/mqtt"
    broker.start()
    driver = console = None
    try:
        run(BIN / "sprout-agent", "relay", "import", broker.folder / "bundles" / f"{agent_id}.json", "--user-mode",
            "--state", state)
        with contextlib.contextmanager(start_agent)(tmp_path, lang) as agent:
            console = paired_console(tmp_path, agent, lang)  # the family as it is before a phone: rules, consent
            both_agree(console, agent, ["time_totals", "web_categories_blocked"])
            linked = link_phone_by_fixture(state, phone, broker_ws=bundle["ws"], password=bundle["password"],
                                           children=[(agent_id, console.family.peer_keys(agent_id), "Minh Anh")])
            pc_today = _pc_today(console, agent_id)
            past_week = _the_past_week_in_the_outbox(state, pc_today)
            driver = phone_browser(lang, tmp_path / "chromium")
            open_linked(driver, app_server.url, linked, lang)
            assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == lang
            wait_for(driver, lambda: not driver.find_elements(By.CSS_SELECTOR, "[data-test=conn]"), why="connected")
            today = wait_for(driver, lambda: driver.find_element(By.CSS_SELECTOR, "[data-test=today]").text,
                             why="today's time")
            assert today.startswith("Đã dùng" if lang == "vi" else "Used"), today
            shot(driver, shots_dir(tmp_path), f"phone-today-{lang}")

            _request_and_grant(driver, tmp_path, lang, agent)
            _levers(driver, tmp_path, lang, console, agent_id, pc_today)
            driver.find_element(By.CSS_SELECTOR, "[data-tab=week]").click()
            wait_for(driver, lambda: driver.find_element(By.CSS_SELECTOR, "[data-test=week]"), why="the week chart")
            bars = {c.get_attribute("data-day"): c.text.split("\n")[0]
                    for c in driver.find_elements(By.CSS_SELECTOR, "[data-test=week] .col")}
            assert list(bars)[-1] == pc_today.isoformat() and {d: bars[d] for d in past_week} == {
                d: str(m) for d, m in past_week.items()}, bars
            shot(driver, shots_dir(tmp_path), f"phone-week-{lang}")

        # the agent stopped: the phone's Alerts say since when its PC is offline
        driver.find_element(By.CSS_SELECTOR, "[data-tab=alerts]").click()
        offline = wait_for(driver, lambda: driver.find_element(By.CSS_SELECTOR, "[data-test=offline]").text,
                           why="offline alert")
        assert offline.startswith("Máy của Minh Anh đã ngoại tuyến từ" if lang == "vi" else
                                  "Minh Anh's PC has been offline since"), offline
        alerts = driver.find_element(By.TAG_NAME, "main").text
        assert ("Đồng hồ của máy bị chỉnh" if lang == "vi" else "The PC's clock was changed") in alerts, alerts
        shot(driver, shots_dir(tmp_path), f"phone-alerts-{lang}")
        _no_console_errors(driver)
    finally:
        if driver is not None:
            driver.quit()
        if console is not None:
            close_console(console)
        broker.stop()


def _request_and_grant(driver: Any, tmp_path: Path, lang: str, agent: Any) -> None:
    from selenium.webdriver.common.by import By

    # the child asks for 30 more minutes; the phone shows it at once (a push, or the lane-1 long-poll)
    limit_before = _limit(driver)
    reason = "bài tập toán" if lang == "vi" else "maths homework"
    asked = run(BIN / "sprout-agent", "ask", "30", "--reason", reason, "--socket", agent.socket, "--lang", lang)
    assert asked.returncode == 0
    card = wait_for(driver, lambda: driver.find_element(By.CSS_SELECTOR, "[data-request]"), why="the request")
    assert ("Minh Anh xin thêm 30 phút" if lang == "vi" else "Minh Anh asks for 30 more minutes") in card.text
    assert reason in card.text
    shot(driver, shots_dir(tmp_path), f"phone-request-{lang}")

    card.find_element(By.CSS_SELECTOR, "button[data-minutes='30']").click()
    note = wait_for(driver, lambda: driver.find_element(By.CSS_SELECTOR, "[data-note]").text, why="granted")
    assert note == ("Đã cho thêm 30 phút" if lang == "vi" else "Granted 30 minutes")
    assert not driver.find_elements(By.CSS_SELECTOR, "[data-request]")

    # the child's side counts it: the agent's ledger and what the companion is told
    status = json.loads(run(BIN / "sprout-agent", "status", "--json", "--user-mode", "--state", agent.state).stdout)
    (day,) = status["days"].values()
    assert 30 * 60 <= day["grant_screen_s"] < 35 * 60
    from agent.companion.ipc_client import IpcClient

    child = IpcClient(agent.socket)
    try:
        seen = child.status(reconnect_for=10)
    finally:
        child.close()
    assert _granted_s(seen) >= 30 * 60, seen
    # and the phone hears it back from the PC: today's limit is 30 minutes longer
    wait_for(driver, lambda: _limit(driver) == limit_before + 30, why="the longer limit")
    shot(driver, shots_dir(tmp_path), f"phone-granted-{lang}")

    # what a child might try: markup in the reason is shown as text, never run; the parent declines it
    trick = '<img src=x onerror="window.pwned=1"><b>cho con 60 phút</b>'
    run(BIN / "sprout-agent", "ask", "60", "--reason", trick, "--socket", agent.socket, "--lang", lang)
    card = wait_for(driver, lambda: driver.find_element(By.CSS_SELECTOR, "[data-request]"), why="the second request")
    assert trick in card.text and not card.find_elements(By.TAG_NAME, "img")
    assert driver.execute_script("return window.pwned") is None
    card.find_element(By.CSS_SELECTOR, "button.decline").click()
    wait_for(driver, lambda: any(n.text == ("Đã từ chối" if lang == "vi" else "Declined")
                                 for n in driver.find_elements(By.CSS_SELECTOR, "[data-note]")), why="declined")
    status = json.loads(run(BIN / "sprout-agent", "status", "--json", "--user-mode", "--state", agent.state).stdout)
    (day,) = status["days"].values()
    assert day["grant_screen_s"] < 35 * 60  # the declined hour was not added


def _levers(driver: Any, tmp_path: Path, lang: str, console: Any, agent_id: str, pc_today: datetime.date) -> None:
    """Minutes a day and bedtime, signed by the phone and checked by the agent like the console's."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By

    before = console.link(agent_id).call("policy_get", {})["policy"]
    today = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[pc_today.weekday()]
    driver.find_element(By.CSS_SELECTOR, "[data-tab=rules]").click()
    box = wait_for(driver, lambda: driver.find_element(By.CSS_SELECTOR, "[data-test=daily-minutes]"))
    # the box shows what the PC's rules say now (asked of the PC, not a guess)
    want = before["screen"]["daily_minutes"][today]
    assert isinstance(want, int), before["screen"]  # the age-12 rules limit every day
    wait_for(driver, lambda: driver.find_element(By.CSS_SELECTOR, "[data-test=daily-minutes]").get_attribute("value")
             == str(want), why="today's minutes from the PC's policy")
    box = driver.find_element(By.CSS_SELECTOR, "[data-test=daily-minutes]")
    box.clear()
    box.send_keys("2000")  # more than a day: refused on the phone with a clear sentence, nothing sent
    driver.find_element(By.CSS_SELECTOR, "[data-test=save-minutes]").click()
    refused = driver.find_element(By.CSS_SELECTOR, "[data-test=rules-note]").text
    assert refused == ("Số phút phải là số nguyên từ 0 đến 1440." if lang == "vi" else
                       "Minutes must be a whole number from 0 to 1440.")
    assert console.link(agent_id).call("policy_get", {})["policy"]["version"] == before["version"]
    # the PC's status arrives while the parent types (it does every minute) and the screen is drawn again: what was
    # typed stays, and so does the cursor
    box = driver.find_element(By.CSS_SELECTOR, "[data-test=daily-minutes]")
    box.clear()
    box.send_keys("75")
    driver.execute_script("return window.sproutApp.family.status(arguments[0])", agent_id)
    with pytest.raises(StaleElementReferenceException):  # the box the parent typed in was drawn again
        box.get_attribute("value")
    box = driver.find_element(By.CSS_SELECTOR, "[data-test=daily-minutes]")
    assert box.get_attribute("value") == "75"
    assert driver.execute_script("return document.activeElement.dataset.test") == "daily-minutes"
    box.clear()
    box.send_keys("90")
    driver.find_element(By.CSS_SELECTOR, "[data-test=save-minutes]").click()
    note = lambda: _final(driver.find_element(By.CSS_SELECTOR, "[data-test=rules-note]").text)  # noqa: E731
    saved = wait_for(driver, note, why="minutes saved")
    assert saved.startswith("Đã lưu" if lang == "vi" else "Saved"), saved
    bed = driver.find_element(By.CSS_SELECTOR, "[data-test=bedtime]")
    driver.execute_script("arguments[0].value = '20:30'", bed)
    driver.find_element(By.CSS_SELECTOR, "[data-test=save-bedtime]").click()
    wait_for(driver, lambda: note() not in (None, saved), why="bedtime saved")
    assert note().startswith("Đã lưu" if lang == "vi" else "Saved"), note()
    policy = console.link(agent_id).call("policy_get", {})["policy"]
    assert set(policy["screen"]["daily_minutes"].values()) == {90}
    assert all(w == [{"start": "06:00", "end": "20:30"}] for w in policy["screen"]["windows"].values())
    shot(driver, shots_dir(tmp_path), f"phone-rules-{lang}")


def _pc_today(console: Any, agent_id: str) -> datetime.date:
    """The child's PC's own day: its policy's time zone (Hà Nội), which need not be this machine's day."""
    from zoneinfo import ZoneInfo

    tz = console.link(agent_id).call("policy_get", {})["policy"]["timezone"]
    return datetime.datetime.now(ZoneInfo(tz)).date()


def _the_past_week_in_the_outbox(state: Path, today: datetime.date) -> dict[str, int]:
    """Six earlier days' summaries and a tamper alert, written into the running agent's own outbox as its day-end
    and tamper code write them (agent/service/core.py), so the week chart and the alerts have a week to show."""
    from agent.assembly import open_store

    store, _ = open_store(state, file_fallback=True, create=False)
    minutes = {}
    try:
        for back, m in zip(range(6, 0, -1), (95, 120, 60, 135, 80, 110), strict=True):
            day = (today - datetime.timedelta(days=back)).isoformat()
            minutes[day] = m
            store.outbox_put("daily_summary", {"day": day, "screen_s": m * 60, "games_s": m * 20, "requests": 1,
                                               "limits_reached": {"screen": m >= 120, "games": False},
                                               "consent": "both"}, day=day)
        store.outbox_put("alert", {"kind": "clock_change", "at": time.time() - 3600, "delta_s": 7200})
    finally:
        store.close()
    return minutes


def _limit(driver: Any) -> int:
    from selenium.webdriver.common.by import By

    text = driver.find_element(By.CSS_SELECTOR, "[data-test=today]").text
    found = re.search(r"(\d+) (?:of|/) (\d+)", text)
    assert found, text
    return int(found.group(2))


def _final(text: str) -> str | None:
    return text if text and not text.endswith("…") else None


def _granted_s(status: dict[str, Any]) -> int:
    found = [v for k, v in _walk(status) if "grant" in k and isinstance(v, int)]
    return max(found, default=0)


def _walk(obj: Any, key: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _walk(v, str(k))
    elif isinstance(obj, list):
        for v in obj:
            yield from _walk(v, key)
    else:
        yield key, obj


def _no_console_errors(driver: Any) -> None:
    errors = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
    assert errors == [], errors
