"""The device maker's logo (oem.toml `[brand] logo`) from the state folder to the child's screen: the runner reads and
checks it once, status() announces it, the `brand_logo` op pages it over the real local channel (a Unix socket),
and the real Qt windows draw it in the sprout's place — or fall back to Sprout's own look when anything is wrong.

Run as a script, it renders docs/screenshots/companion-oem-status.png and companion-oem-pairing.png:

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/agent/companion/test_oem_logo.py [--out docs/screenshots]
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import logging
import os
import random
import socket
import struct
import sys
import threading
import zlib
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT) not in sys.path:  # run as a script, not by pytest
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import QBuffer, QIODevice, QRectF, Qt  # noqa: E402
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPixmap  # noqa: E402
from PySide6.QtWidgets import QApplication, QLabel  # noqa: E402

from agent.companion.app import Companion  # noqa: E402
from agent.companion.i18n import Language  # noqa: E402
from agent.companion.ipc_client import IpcClient, ServiceRefused  # noqa: E402
from agent.companion.look import BrandImage, apply_look  # noqa: E402
from agent.companion.pairing_window import PairingWindow  # noqa: E402
from agent.companion.status_window import StatusWindow  # noqa: E402
from agent.oem import BrandLogo  # noqa: E402
from agent.service.companion_backend import CompanionBackend  # noqa: E402
from agent.service.local_ipc import LOGO_CHUNK, MAX_LINE, LocalIpcServer  # noqa: E402

pytestmark = pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="Unix sockets only")

TEAL = (0x1F, 0x7A, 0x8C, 0xFF)
PLUM = (0x6A, 0x4C, 0x93, 0xFF)
SVG_LOGO = (b'<?xml version="1.0" encoding="UTF-8"?>\n'
            b'<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60" viewBox="0 0 120 60">'
            b'<rect x="0" y="0" width="120" height="60" rx="12" fill="#1F7A8C"/>'
            b'<circle cx="30" cy="30" r="16" fill="#FFFFFF"/></svg>')


# ---- logos, made here: raw PNG bytes (zlib + struct) and Qt-drawn ones --------------------------------------
def png_bytes(width: int, height: int, rows: list[bytes], *, crc_ok: bool = True) -> bytes:
    """A real RGBA PNG from raw rows (width × 4 bytes each), written byte by byte as the PNG spec says."""
    def chunk(kind: bytes, body: bytes, ok: bool = True) -> bytes:
        crc = zlib.crc32(kind + body) ^ (0 if ok else 1)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    raw = b"".join(b"\x00" + row for row in rows)  # filter byte 0 (None) before every row
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0), crc_ok)
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def flip(data: bytes, at: int) -> bytes:
    """One damaged byte, as a bad copy or a bad disk would leave it."""
    out = bytearray(data)
    out[at] ^= 0xFF
    return bytes(out)


def solid_png(width: int, height: int, rgba: tuple[int, int, int, int]) -> bytes:
    return png_bytes(width, height, [bytes(rgba) * width] * height)


def noisy_png(width: int = 160, height: int = 160, seed: int = 7) -> bytes:
    """Random pixels do not compress: ~100 KB, so the op must page it in several 32 KiB pieces."""
    rng = random.Random(seed)
    return png_bytes(width, height, [rng.randbytes(width * 4) for _ in range(height)])


def sample_logo_png(size: int = 112) -> bytes:
    """The screenshots' sample brand: a teal rounded square with a white "A" and a small leaf, like a PC maker's
    mark. Drawn with Qt, saved as PNG, then served like any device maker's file."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(*TEAL))
    p.drawRoundedRect(QRectF(0, 0, size, size), size * 0.22, size * 0.22)
    p.setBrush(QColor("#9BD67A"))
    p.drawEllipse(QRectF(size * 0.62, size * 0.14, size * 0.2, size * 0.2))
    p.setPen(QColor("#FFFFFF"))
    font = QFont("DejaVu Sans", 10, QFont.Weight.Bold)
    font.setPixelSize(int(size * 0.62))
    p.setFont(font)
    p.drawText(QRectF(0, size * 0.04, size, size), Qt.AlignmentFlag.AlignCenter, "A")
    p.end()
    buf = QBuffer()
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buf, "PNG")
    return bytes(buf.data())


# ---- an in-memory backend with a logo, served by the real channel -------------------------------------------
class LogoBackend:
    """A CompanionBackend with the optional brand_logo(); `logo` may be anything with .type/.data/.sha256, so a
    test can hand out bytes whose announced sha256 is wrong."""

    def __init__(self, logo: Any = None, brand: str | None = "An Phát Kids PC") -> None:
        self.logo = logo
        self.brand = brand
        self.pairing: dict[str, Any] | None = None
        self.fetches = 0  # brand_logo calls with offset 0: how often the companion (re)fetched the logo
        self.lock = threading.Lock()

    def status(self) -> dict[str, Any]:
        st: dict[str, Any] = {"screen_used_s": 5400, "screen_left_s": 2100, "games_used_s": 3000,
                              "games_left_s": 600, "current_game": None, "age_band": "7-10", "lang": "en",
                              "child_name": "An", "next_window": None, "locked_reason": None}
        if self.brand:
            st["brand"] = self.brand
        if self.logo is not None:
            st["brand_logo"] = {"type": self.logo.type, "size": len(self.logo.data), "sha256": self.logo.sha256}
        if self.pairing:
            st["pairing"] = self.pairing
        return st

    def brand_logo(self) -> Any:
        return self.logo

    def notices_since(self, cursor: int) -> list[dict[str, Any]]:
        return []

    def submit_request(self, minutes: int, reason: str, scope: str) -> dict[str, Any]:
        return {"id": "r1", "state": "queued"}

    def privacy_report(self) -> dict[str, Any]:
        return {"sent": {}, "never_sent": [], "example_today": {}, "retention_days": 30, "recipients": "parents"}

    def report_harmful(self, what: str, note: str) -> dict[str, Any]:
        return {"state": "sent_to_parent", "hotline": "111"}


class CountingServer(LocalIpcServer):
    """The real server; counts the logo fetches the companion starts (offset 0) to show the session cache."""

    def __init__(self, backend: LogoBackend, path: Path) -> None:
        super().__init__(backend, path, poll_s=0.02)
        op = self.dispatcher.ops["brand_logo"]

        def counted(args: dict[str, Any]) -> Any:
            if args.get("offset") == 0:
                backend.fetches += 1
            return op(args)

        self.dispatcher.ops["brand_logo"] = counted


@pytest.fixture
def sock(tmp_path: Path) -> Path:
    return tmp_path / "ipc" / "companion.sock"


@pytest.fixture
def serve(sock: Path):
    servers: list[LocalIpcServer] = []

    def start(backend: LogoBackend) -> LocalIpcServer:
        srv = CountingServer(backend, sock).start()
        servers.append(srv)
        return srv

    yield start
    for srv in servers:
        srv.stop()


@pytest.fixture
def make_companion(qapp: QApplication, sock: Path):
    made: list[Companion] = []

    def make(**kwargs: Any) -> Companion:
        kwargs.setdefault("watch", False)
        kwargs.setdefault("tray", False)
        c = Companion(sock, **kwargs)
        made.append(c)
        return c

    yield make
    for c in made:
        c.shutdown()


def shown(label: QLabel) -> bool:
    return not label.isHidden()


def logical_height(pix: QPixmap) -> float:
    return pix.height() / pix.devicePixelRatio()


def centre_colour(pix: QPixmap) -> tuple[int, int, int]:
    c = pix.toImage().pixelColor(pix.width() // 2, pix.height() // 2)
    return c.red(), c.green(), c.blue()


# ---- the service side: runner, status, the brand_logo op ----------------------------------------------------
def build_core_with(state: Path, files: dict[str, bytes], oem: dict[str, Any]) -> Any:
    """The real runner.build_core on a state folder as first-start leaves it (oem.json + the copied logo)."""
    from agent.assembly import ServiceOptions, build_core
    from agent.ledger.clock import SimulatedClock

    state.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (state / name).write_bytes(data)
    (state / "oem.json").write_text(json.dumps(oem), encoding="utf-8")
    clock = SimulatedClock(dt.datetime.fromisoformat("2026-12-01T08:00:00+07:00").timestamp())

    class NoProcesses:
        def snapshot(self) -> list[Any]:
            return []

    adapters = {"processes": NoProcesses(), "foreground": None, "idle": None, "session": None,
                "closer": lambda *a, **k: "closed"}
    return build_core(ServiceOptions(state_dir=state, user_mode=True), clock=clock, adapters=adapters)


def test_the_service_pages_a_large_png_logo_byte_for_byte(tmp_path: Path, sock: Path) -> None:
    data = noisy_png()
    assert len(data) > 3 * LOGO_CHUNK  # really several pieces
    core = build_core_with(tmp_path / "state", {"brand-logo.png": data},
                           {"brand_name": "An Phát Kids PC", "logo": "brand-logo.png"})
    meta = core.status()["brand_logo"]
    assert meta == {"type": "png", "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    with LocalIpcServer(core, sock, poll_s=0.02):
        client = IpcClient(sock)
        try:
            first = client.call("brand_logo", {"offset": 0})
            assert (first["type"], first["size"], first["offset"]) == ("png", len(data), 0)
            assert base64.b64decode(first["data"]) == data[:LOGO_CHUNK]
            tail = client.call("brand_logo", {"offset": len(data) - 10})
            assert base64.b64decode(tail["data"]) == data[-10:]
            assert client.call("brand_logo", {"offset": len(data)})["data"] == ""  # at the end: nothing more
            assert client.brand_logo(expected=meta) == ("png", data)
            # One piece fits the channel's line limit with room to spare.
            line = json.dumps({"id": 1, "ok": True, "result": first}, separators=(",", ":")).encode()
            assert len(line) < MAX_LINE
        finally:
            client.close()


@pytest.mark.parametrize(("offset", "words"), [
    ("past", "is past the end of the logo"), (-1, "args.offset: must be a whole number from 0"),
    ("12", "args.offset: must be a whole number from 0"), (True, "args.offset:"),
])
def test_a_wrong_offset_is_a_bad_request_saying_what_and_where(sock: Path, offset: Any, words: str) -> None:
    data = solid_png(8, 8, TEAL)
    with LocalIpcServer(LogoBackend(BrandLogo("png", data)), sock, poll_s=0.02):
        client = IpcClient(sock)
        try:
            asked = len(data) + 1 if offset == "past" else offset
            with pytest.raises(ServiceRefused) as info:
                client.call("brand_logo", {"offset": asked})
            assert info.value.code == "bad_request" and words in info.value.message
            if offset == "past":
                assert f"{len(data) + 1}" in info.value.message and f"({len(data)} bytes)" in info.value.message
            assert client.status()["brand_logo"]["size"] == len(data)  # the connection is still usable
        finally:
            client.close()


def test_without_a_logo_the_op_says_not_found_and_the_client_returns_none(tmp_path: Path, sock: Path) -> None:
    core = build_core_with(tmp_path / "state", {}, {"brand_name": "An Phát Kids PC", "logo": None})
    assert "brand_logo" not in core.status() and core.brand_logo() is None
    with LocalIpcServer(core, sock, poll_s=0.02):
        client = IpcClient(sock)
        try:
            with pytest.raises(ServiceRefused) as info:
                client.call("brand_logo", {"offset": 0})
            assert info.value.code == "not_found" and "no device maker's logo" in info.value.message
            assert client.brand_logo() is None
        finally:
            client.close()


@pytest.mark.parametrize(("name", "data", "reason"), [
    ("brand-logo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "not a PNG file: the first chunk is"),
    ("brand-logo.png", b"GIF89a" + b"\x00" * 40, "not a PNG file: it does not start with the PNG signature"),
    ("brand-logo.png", flip(solid_png(4, 4, TEAL), 19), "not a PNG file: the IHDR chunk is damaged"),
    ("brand-logo.png", png_bytes(5000, 1, [bytes(20000)]), "PNG of 5000×1 pixels"),
    ("brand-logo.svg", b'<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">]>\n'
                       b'<svg xmlns="http://www.w3.org/2000/svg">&a;</svg>', "SVG file with a DOCTYPE"),
    ("brand-logo.svg", b"<html><body/></html>", "not an SVG file: the root element is <html>"),
    ("brand-logo.svg", b"<svg><g></svg>", "not an SVG file: not well-formed XML"),
    ("brand-logo.png", None, "file not found"),
])
def test_a_bad_logo_is_refused_at_load_with_one_warning_naming_the_file(tmp_path: Path, caplog, name: str,
                                                                        data: bytes | None, reason: str) -> None:
    state = tmp_path / "state"
    caplog.set_level(logging.INFO, logger="sprout.agent")
    core = build_core_with(state, {name: data} if data is not None else {},
                           {"brand_name": "An Phát Kids PC", "logo": name})
    warnings = [r.getMessage() for r in caplog.records if r.name == "sprout.agent" and r.levelno == logging.WARNING
                and "logo" in r.getMessage()]
    assert len(warnings) == 1, warnings
    assert str(state / name) in warnings[0] and reason in warnings[0], warnings[0]
    assert "Sprout's own look" in warnings[0]
    assert core.brand_logo() is None and "brand_logo" not in core.status()
    assert core.status()["brand"] == "An Phát Kids PC"  # the name still shows


def test_a_logo_name_that_leaves_the_state_folder_is_refused(tmp_path: Path, caplog) -> None:
    (tmp_path / "elsewhere.png").write_bytes(solid_png(4, 4, TEAL))
    caplog.set_level(logging.WARNING, logger="sprout.agent")
    core = build_core_with(tmp_path / "state", {}, {"logo": "../elsewhere.png"})
    assert core.brand_logo() is None
    assert any("not a file name in the state folder" in r.getMessage() for r in caplog.records)


# ---- the companion: draws it, caches it, falls back ---------------------------------------------------------
def test_fits_the_backend_protocol() -> None:
    assert isinstance(LogoBackend(), CompanionBackend)


def test_the_companion_shows_a_png_logo_in_the_status_and_pairing_windows(qtbot, serve, make_companion) -> None:
    data = solid_png(90, 60, TEAL)  # 3:2, so the width shows the aspect ratio was kept
    backend = LogoBackend(BrandLogo("png", data))
    backend.pairing = {"code": "7KQ2-M9XD", "expires_in_s": 540}
    serve(backend)
    companion = make_companion()
    win = companion.status_window
    assert win is not None and companion.logo is not None and companion.logo.kind == "png"
    pix = win.logo.pixmap()
    assert shown(win.logo) and not shown(win.pic) and not pix.isNull()
    assert logical_height(pix) == 48 and pix.width() / pix.devicePixelRatio() == 72
    assert centre_colour(pix) == TEAL[:3]
    assert shown(win.brand_line) and win.brand_line.text() == "An Phát Kids PC"
    assert win.logo.accessibleName() == "An Phát Kids PC"
    pairing = companion.windows["pairing"]
    assert isinstance(pairing, PairingWindow)
    ppix = pairing.logo.pixmap()
    assert shown(pairing.logo) and not shown(pairing.pic) and not ppix.isNull()
    assert logical_height(ppix) == 56 and centre_colour(ppix) == TEAL[:3]
    assert pairing.brand_line.text() == "An Phát Kids PC" and pairing.code.text() == "7KQ2-M9XD"
    # The grabbed window really carries the logo's colour where the label sits.
    QApplication.processEvents()  # let the header re-lay itself out around the logo
    shot = win.grab().toImage()
    spot = win.logo.geometry().center()
    c = shot.pixelColor(int(spot.x() * shot.devicePixelRatio()), int(spot.y() * shot.devicePixelRatio()))
    assert (c.red(), c.green(), c.blue()) == TEAL[:3]


def test_the_companion_renders_an_svg_logo(qtbot, serve, make_companion) -> None:
    backend = LogoBackend(BrandLogo("svg", SVG_LOGO))
    serve(backend)
    companion = make_companion()
    win = companion.status_window
    assert win is not None and companion.logo is not None and companion.logo.kind == "svg"
    pix = win.logo.pixmap()
    assert shown(win.logo) and not shown(win.pic)
    assert logical_height(pix) == 48 and pix.width() / pix.devicePixelRatio() == 96  # 2:1 like its viewBox
    dot = pix.toImage().pixelColor(pix.width() // 4, pix.height() // 2)
    assert (dot.red(), dot.green(), dot.blue()) == (255, 255, 255)  # the white circle a quarter in…
    assert centre_colour(pix) == TEAL[:3]  # …on the teal card


def test_a_logo_whose_sha256_does_not_match_falls_back_to_sprout(qtbot, serve, make_companion, caplog) -> None:
    data = solid_png(40, 40, TEAL)
    forged = SimpleNamespace(type="png", data=data, sha256=hashlib.sha256(b"another logo").hexdigest())
    backend = LogoBackend(forged)
    backend.pairing = {"code": "7KQ2-M9XD", "expires_in_s": 540}
    serve(backend)
    caplog.set_level(logging.INFO, logger="agent.companion.ipc_client")
    companion = make_companion()
    win = companion.status_window
    assert win is not None and companion.logo is None
    assert shown(win.pic) and not shown(win.logo) and win.logo.pixmap().isNull()
    assert any("sha256 mismatch" in r.getMessage() for r in caplog.records)
    pairing = companion.windows["pairing"]
    assert isinstance(pairing, PairingWindow) and shown(pairing.pic) and not shown(pairing.logo)
    assert pairing.brand_line.text() == "An Phát Kids PC"  # the name is still the device maker's
    assert set(companion.windows) == {"pairing"} and companion.notices == []  # no error window for the child
    # Bounded retries for the same bad logo: not a fetch every 15 s for the whole session.
    for _ in range(5):
        companion.refresh()
    assert backend.fetches == 3 and companion.logo is None


def test_an_undrawable_png_falls_back_to_sprout(qtbot, serve, make_companion) -> None:
    good = solid_png(40, 40, TEAL)
    broken = good[:33] + b"\x00\x00\x00\x10IDAT" + b"not zlib at all!" + b"\x00\x00\x00\x00"  # header fine, no image
    serve(LogoBackend(BrandLogo("png", broken)))
    companion = make_companion()
    assert companion.logo is None and companion.status_window is not None
    assert shown(companion.status_window.pic) and not shown(companion.status_window.logo)


def test_the_logo_is_fetched_once_per_session_and_again_when_it_changes(qtbot, serve, make_companion) -> None:
    backend = LogoBackend(BrandLogo("png", solid_png(40, 40, TEAL)))
    serve(backend)
    companion = make_companion()
    win = companion.status_window
    assert win is not None and backend.fetches == 1
    for _ in range(3):
        companion.refresh()
    assert backend.fetches == 1 and centre_colour(win.logo.pixmap()) == TEAL[:3]
    backend.logo = BrandLogo("png", solid_png(40, 40, PLUM))  # a new sha256 in status: fetch the new one
    companion.refresh()
    assert backend.fetches == 2 and centre_colour(win.logo.pixmap()) == PLUM[:3]
    backend.logo = None  # gone (e.g. refused after a restart): Sprout's own look again
    companion.refresh()
    assert companion.logo is None and shown(win.pic) and not shown(win.logo)


def test_a_wide_logo_is_fitted_and_hidpi_pixmaps_are_sharp(qapp) -> None:
    wide = BrandImage.load("png", solid_png(400, 50, TEAL))
    assert wide is not None
    pix = wide.pixmap(48)
    assert (pix.width(), pix.height()) == (192, 24)  # 4 × 48 wide at most, aspect ratio kept
    svg = BrandImage.load("svg", SVG_LOGO)
    assert svg is not None
    sharp = svg.pixmap(48, 2.0)
    assert (sharp.width(), sharp.height(), sharp.devicePixelRatio()) == (192, 96, 2.0)
    assert svg.pixmap(48, 2.0) is sharp  # cached for the session
    assert BrandImage.load("svg", b"<svg/>") is None  # no size at all: nothing sensible to draw
    assert BrandImage.load("gif", b"GIF89a") is None


# ---- screenshots ----------------------------------------------------------------------------------------------
STATUS = {"screen_used_s": 5400, "screen_left_s": 2100, "games_used_s": 3000, "games_left_s": 600,
          "current_game": "minecraft", "age_band": "7-10", "lang": "vi", "child_name": "An", "next_window": None,
          "locked_reason": None, "brand": "An Phát Kids PC"}


def oem_windows() -> tuple[StatusWindow, PairingWindow]:
    """The status and pairing windows as a device maker ships them, in Vietnamese, with the sample logo."""
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    apply_look(app)
    Language().switch("vi")
    logo = BrandImage.load("png", sample_logo_png())
    assert logo is not None
    status = StatusWindow()
    status.set_logo(logo)
    status.update_status(dict(STATUS), connected=True)
    pairing = PairingWindow({"code": "7KQ2-M9XD", "expires_in_s": 540}, brand=STATUS["brand"], logo=logo)
    return status, pairing


def render_oem_screenshots(out: Path, windows: tuple[StatusWindow, PairingWindow] | None = None) -> list[Path]:
    status, pairing = windows or oem_windows()
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for widget, name in ((status, "companion-oem-status.png"), (pairing, "companion-oem-pairing.png")):
        widget.adjustSize()
        widget.show()
        QApplication.processEvents()
        path = out / name
        if not widget.grab().save(str(path)):
            raise SystemExit(f"could not write {path}")
        widget.close()
        written.append(path)
    return written


def test_oem_screenshots_show_the_logo_and_vietnamese(qtbot, tmp_path: Path) -> None:
    windows = oem_windows()
    for w in windows:
        qtbot.addWidget(w)
    paths = render_oem_screenshots(tmp_path, windows)
    try:
        for path in paths:
            img = QImage(str(path))
            assert img.width() >= 360 and img.height() >= 150, path
            # The logo's teal is in the top-left corner where the sprout would be.
            teal = sum(1 for x in range(10, 80, 2) for y in range(10, 80, 2)
                       if (img.pixelColor(x, y).red(), img.pixelColor(x, y).green(),
                           img.pixelColor(x, y).blue()) == TEAL[:3])
            assert teal > 200, (path, teal)
        status, pairing = windows
        assert status.brand_line.text() == "An Phát Kids PC" and pairing.brand_line.text() == "An Phát Kids PC"
        assert status.screen_line.text() == "Thời gian dùng máy còn: 35 phút"
        assert pairing.title.text() != "Connect this PC to your parents"  # worded in Vietnamese
    finally:
        Language().switch("en")


def _main() -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    QApplication.instance() or QApplication([])
    for path in render_oem_screenshots(args.out.resolve()):
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(_main())

