"""What the phone-app tests share: Chromium driven by Selenium as a 390×844 phone, the phone app served from
resources/phone, and — for the screen tests (linking itself: tests/phone/test_link_by_qr.py) — a linked phone made by a fixture named so:
`link_phone_by_fixture` pins the phone's keys into the agent's link state directly (what a console-signed
`phone_add` will do) and writes the state the app expects in the browser's localStorage (docs/relay.md, "The
parent's phone app")."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from agent.link.state import LinkState
from agent.protocol.identity import Identity

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
PHONE_W, PHONE_H = 390, 844
MISSING = ("chromium is not installed (scripts/debian-packages.txt)" if CHROMIUM is None else
           "chromedriver is not installed (Debian package chromium-driver, scripts/debian-packages.txt)"
           if CHROMEDRIVER is None else None)
try:
    import selenium  # noqa: F401
except ImportError:
    MISSING = MISSING or "selenium is not installed (the dev extra of pyproject.toml)"


def phone_browser(lang: str, profile: Path, fake_camera: Path | None = None) -> Any:
    """Headless Chromium emulating a 390×844 phone; the page's language is `lang`."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--force-device-scale-factor=1",
                "--no-first-run", "--disable-extensions"):
        opts.add_argument(arg)
    if fake_camera is not None:  # the QR code shown to the phone's camera (linking)
        opts.add_argument("--use-fake-device-for-media-stream")
        opts.add_argument("--use-fake-ui-for-media-stream")
        opts.add_argument(f"--use-file-for-fake-video-capture={fake_camera}")
    locale = "vi-VN" if lang == "vi" else "en-GB"
    # the phone's languages (navigator.language: the app's first language when none was chosen)
    opts.add_experimental_option("prefs", {"intl.accept_languages": f"{locale},{lang}"})
    opts.add_argument(f"--accept-lang={locale},{lang}")
    opts.add_argument(f"--user-data-dir={profile}")  # the test's own profile: its localStorage, its service worker
    opts.add_experimental_option("mobileEmulation", {
        "deviceMetrics": {"width": PHONE_W, "height": PHONE_H, "pixelRatio": 2, "touch": True},
        "userAgent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
                     "Chrome/130.0 Mobile Safari/537.36"})
    return webdriver.Chrome(options=opts, service=Service(CHROMEDRIVER))


def link_phone_by_fixture(agent_state: Path, phone: Identity, *, broker_ws: str, password: str,
                          children: list[tuple[str, Identity | Any, str]]) -> dict[str, Any]:
    """TEST FIXTURE standing in for linking: pin the phone into the agent's link state (as a console-signed
    phone_add will) and return the linked state the app reads from localStorage."""
    LinkState(Path(agent_state) / "link.sqlite").pin(phone.public)
    raw = phone_secret(phone)
    return {
        "v": 1,
        "phone": {"id": phone.device_id, "name": phone.public.name, "sign_private": raw[:32].hex(),
                  "kx_private": raw[32:].hex()},
        "broker": {"ws": broker_ws, "username": phone.device_id, "password": password},
        "children": [{"agent": agent_id, "name": name, "kx_public": keys.kx_pub.hex(), "sign_public": keys.sign_pub.hex()}
                     for agent_id, keys, name in children],
    }


def phone_secret(phone: Identity) -> bytes:
    from cryptography.hazmat.primitives import serialization

    raw = serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    return phone._sign.private_bytes(*raw) + phone._kx.private_bytes(*raw)


def open_linked(driver: Any, url: str, state: dict[str, Any], lang: str) -> None:
    driver.get(url)
    driver.execute_script("localStorage.setItem('sprout-phone', arguments[0]);"
                          "localStorage.setItem('sprout-phone-lang', arguments[1]);", json.dumps(state), lang)
    driver.get(url)


def wait_for(driver: Any, what: Callable[[], Any], timeout: float = 60.0, step: float = 0.2, why: str = "") -> Any:
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        try:
            last = what()
        except Exception as exc:  # an element between two renders
            last = exc
        if last and not isinstance(last, Exception):
            return last
        time.sleep(step)
    raise AssertionError(f"timed out waiting: {why} (last: {last!r}); page: {driver.find_element('tag name', 'body').text!r}")


def shot(driver: Any, folder: Path, name: str) -> Path:
    """The screen as the phone shows it: 390×844 CSS pixels at a pixel ratio of 2."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    driver.save_screenshot(str(path))
    return path


def qr_y4m(text: str, path: Path, w: int = 640, h: int = 480, frames: int = 10) -> Path:
    """A camera stream (YUV4MPEG2) that shows `text` as a QR code: what Chromium's fake camera plays in a loop."""
    import qrcode

    qr = qrcode.QRCode(border=4)
    qr.add_data(text)
    qr.make()
    matrix = qr.get_matrix()
    n = len(matrix)
    scale = (h - 40) // n
    ox, oy = (w - n * scale) // 2, (h - n * scale) // 2
    y = bytearray(b"\xeb" * (w * h))  # white
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                for yy in range(oy + r * scale, oy + (r + 1) * scale):
                    y[yy * w + ox + c * scale: yy * w + ox + (c + 1) * scale] = b"\x10" * scale
    chroma = b"\x80" * (w * h // 4)
    with open(path, "wb") as f:
        f.write(f"YUV4MPEG2 W{w} H{h} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            f.write(b"FRAME\n" + bytes(y) + chroma + chroma)
    return path
