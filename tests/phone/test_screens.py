"""The phone app's other paths in a real Chromium phone (390×844): the first screen of a phone not linked yet (vi,
en), the camera path for linking (a fake camera stream showing a QR code, decoded by jsQR), a damaged link state
refused with what and where, and the offline shell (the service worker serves the app with the server gone). And
how it is served: the headers a PWA needs and a strict CSP, plain HTTP only on loopback."""

from __future__ import annotations

import json
import os
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from agent.relay.phone_app import PhoneAppServer
from tests.support.phone_app import MISSING, phone_browser, qr_y4m, shot, wait_for

browser = pytest.mark.skipif(MISSING is not None, reason=MISSING or "")
SHOTS = os.environ.get("SPROUT_PHONE_SHOTS")


def _shots(tmp: Path) -> Path:
    return Path(SHOTS) if SHOTS else tmp / "shots"


@pytest.fixture()
def served():
    server = PhoneAppServer("127.0.0.1", 0).start()
    try:
        yield server
    finally:
        server.stop()


@browser
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_phone_not_linked_yet_says_how_and_reads_a_qr_code_from_its_camera(tmp_path: Path, lang: str,
                                                                             served: PhoneAppServer) -> None:
    from selenium.webdriver.common.by import By

    code = "sprout:link?c=K7M2-Q9XF&id=TESTCONSOLEID"
    driver = phone_browser(lang, tmp_path / "chromium", fake_camera=qr_y4m(code, tmp_path / "qr.y4m"))
    try:
        driver.get(served.url)  # no language chosen yet: the phone's own (navigator.language)
        body = wait_for(driver, lambda: driver.find_element(By.TAG_NAME, "main").text, why="first screen")
        assert ("Điện thoại này chưa được liên kết" if lang == "vi" else "This phone is not linked yet") in body
        assert ("Liên kết điện thoại" if lang == "vi" else "Link a phone") in body
        shot(driver, _shots(tmp_path), f"phone-unlinked-{lang}")
        driver.find_element(By.CSS_SELECTOR, "[data-test=scan]").click()
        heard = wait_for(driver, lambda: driver.execute_script("return window.sproutScanned"), timeout=60,
                         why="the QR code")
        assert heard == code
        # someone else's QR code (not a Sprout phone link): said kindly, nothing sent, the phone stays unlinked
        refusal = "Đây không phải mã QR liên kết của Sprout." if lang == "vi" else "This is not a Sprout link QR code."
        wait_for(driver, lambda: driver.find_element(By.CSS_SELECTOR, "[data-test=scan-note]").text == refusal,
                 why="the refusal")
        assert driver.execute_script("return localStorage.getItem('sprout-phone')") is None
        assert driver.execute_script("return document.querySelector('video.scan').srcObject") is None  # camera off
    finally:
        driver.quit()


@browser
def test_a_damaged_link_state_is_named_field_by_field_and_nothing_is_sent(tmp_path: Path,
                                                                        served: PhoneAppServer) -> None:
    from selenium.webdriver.common.by import By

    driver = phone_browser("en", tmp_path / "chromium")
    try:
        driver.get(served.url)
        bad = {"v": 1, "phone": {"id": "nope", "sign_private": "00", "kx_private": "zz"},
               "broker": {"ws": "http://x", "username": "u", "password": "p"}, "children": []}
        driver.execute_script("localStorage.setItem('sprout-phone', arguments[0]);"
                              "localStorage.setItem('sprout-phone-lang', 'en')", json.dumps(bad))
        driver.get(served.url)
        text = wait_for(driver, lambda: driver.find_element(By.CSS_SELECTOR, ".warn").text, why="the problems")
        for where in ("phone.id: not a device ID", "phone.sign_private: 32 bytes in hex",
                      "broker.ws: a ws:// or wss:// address", "children: at least one linked PC"):
            assert where in text, text
        assert driver.execute_script("return window.sproutApp.family") is None  # no connection was made
        driver.execute_script("localStorage.setItem('sprout-phone', '{not json')")
        driver.get(served.url)
        assert "state: not JSON" in wait_for(driver, lambda: driver.find_element(By.CSS_SELECTOR, ".warn").text)
        # the language switch: one tap, remembered
        driver.find_element(By.CSS_SELECTOR, "[data-test=lang]").click()
        assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "vi"
        driver.get(served.url)
        assert "Điện thoại này chưa được liên kết" in wait_for(driver, lambda: driver.find_element(By.TAG_NAME, "main").text)
    finally:
        driver.quit()


@browser
def test_the_app_shell_opens_offline_from_its_service_worker(tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    server = PhoneAppServer("127.0.0.1", 0).start()
    driver = phone_browser("vi", tmp_path / "chromium")
    try:
        driver.get(server.url)
        driver.execute_script("localStorage.setItem('sprout-phone-lang', 'vi')")
        wait_for(driver, lambda: driver.execute_script(
            "return navigator.serviceWorker.ready.then(() => true)"), why="service worker ready")
        driver.get(server.url)  # now controlled by the worker, which has cached the shell
        wait_for(driver, lambda: driver.execute_script("return !!navigator.serviceWorker.controller"), why="controlled")
        server.stop()
        server = None
        driver.get(driver.current_url)
        body = wait_for(driver, lambda: driver.find_element(By.TAG_NAME, "main").text, why="the offline shell")
        assert "Điện thoại này chưa được liên kết" in body
    finally:
        driver.quit()
        if server is not None:
            server.stop()


def test_the_app_is_served_with_what_a_pwa_needs_and_a_strict_policy(served: PhoneAppServer) -> None:
    def get(path: str) -> tuple[Any, bytes]:
        with urllib.request.urlopen(served.url + path, timeout=10) as r:
            return r.headers, r.read()

    headers, _ = get("sw.js")
    assert headers["Content-Type"].startswith("text/javascript")  # a service worker needs a JavaScript type
    assert "script-src 'self'" in headers["Content-Security-Policy"] and "unsafe" not in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    headers, body = get("manifest.webmanifest")
    manifest = json.loads(body)
    assert headers["Content-Type"] == "application/manifest+json"
    sizes = {i["sizes"] for i in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes and manifest["display"] == "standalone"
    for icon in manifest["icons"]:
        assert get(icon["src"])[1][:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(urllib.error.HTTPError) as exc:  # no directory listings, nothing outside the app
        get("icons/")
    assert exc.value.code == 404
    with pytest.raises(urllib.error.HTTPError):
        get("../../agent/cli.py")


def test_a_phone_that_hangs_up_mid_download_costs_no_traceback(served: PhoneAppServer,
                                                               capfd: pytest.CaptureFixture[str]) -> None:
    import socket

    host, port = served.httpd.server_address[:2]
    for _ in range(5):
        with socket.create_connection((host, port), timeout=5) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")  # RST
            s.sendall(b"GET /app.js HTTP/1.0\r\n\r\n")
    with urllib.request.urlopen(served.url, timeout=10) as r:  # and it still serves
        assert r.status == 200
    assert "Traceback" not in capfd.readouterr().err


def test_plain_http_only_on_loopback() -> None:
    with pytest.raises(ValueError, match="plain HTTP only on a loopback address"):
        PhoneAppServer("0.0.0.0", 0)
    with pytest.raises(ValueError, match="go together"):
        PhoneAppServer("127.0.0.1", 0, cert=Path("x.pem"))
