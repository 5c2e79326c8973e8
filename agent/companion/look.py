"""How the companion looks: soft greens and blues, a sprout, small pictures per notice. Never red, never a warning
triangle: a notice tells a child what happens and why; it is not an error. Fonts: DejaVu Sans where present, so
Vietnamese diacritics render even on a bare Linux session."""

from __future__ import annotations

import logging
import math
from pathlib import Path

from PySide6.QtCore import QByteArray, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontDatabase, QIcon, QImage, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication, QLabel

from agent.resources import resource_path

log = logging.getLogger(__name__)

# The whole palette. Tests check that none of these is red or orange.
PALETTE = {
    "page": "#F4FAEE",
    "card": "#FFFFFF",
    "text": "#2F3E2C",
    "soft_text": "#56664F",
    "leaf": "#6BB35A",
    "leaf_dark": "#3E7A34",
    "button": "#DCEFD2",
    "button_hover": "#CBE6BD",
    "button_focus": "#3E7A34",
    "help_bg": "#E8F2FA",
    "help_text": "#24475E",
    "sky": "#8EC5E8",
    "moon": "#F2E6A7",
}

STYLE = """
QWidget#companionPage {{ background: {page}; }}
QWidget {{ color: {text}; }}
QLabel#title {{ font-size: 16pt; font-weight: bold; color: {leaf_dark}; }}
QLabel#brand {{ font-size: 11pt; font-weight: bold; color: {soft_text}; }}
QLabel#body {{ font-size: 11pt; }}
QLabel#until, QLabel#ask {{ font-size: 10pt; color: {soft_text}; }}
QLabel#help {{ background: {help_bg}; color: {help_text}; border-radius: 8px; padding: 6px 8px; font-size: 10pt; }}
QPushButton {{ background: {button}; border: 1px solid {button_hover}; border-radius: 10px; padding: 6px 12px;
              font-size: 10pt; }}
QPushButton:hover {{ background: {button_hover}; }}
QPushButton:focus {{ border: 2px solid {button_focus}; }}
QPushButton#primary {{ background: {leaf_dark}; color: #FFFFFF; border: 2px solid {leaf_dark}; }}
QPushButton#primary:focus {{ border: 2px solid {text}; }}
QLineEdit, QPlainTextEdit {{ background: {card}; border: 1px solid {button_hover}; border-radius: 6px;
              padding: 4px; }}
QLineEdit:focus, QPlainTextEdit:focus {{ border: 2px solid {button_focus}; }}
QProgressBar {{ background: {button}; border: none; border-radius: 5px; height: 10px; text-align: center; }}
QProgressBar::chunk {{ background: {leaf}; border-radius: 5px; }}
""".format(**PALETTE)

_fonts_loaded = False


def apply_look(app: QApplication) -> None:
    """Load DejaVu Sans if the system has it (Linux), set the style sheet and the window icon."""
    global _fonts_loaded
    if not _fonts_loaded:
        for candidate in ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
                          "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"):
            if Path(candidate).exists():
                QFontDatabase.addApplicationFont(candidate)
        _fonts_loaded = True
    if "DejaVu Sans" in QFontDatabase.families():
        app.setFont(QFont("DejaVu Sans", 10))
    app.setStyleSheet(STYLE)
    app.setWindowIcon(sprout_icon())


def sprout_svg() -> Path:
    return resource_path("icons", "sprout.svg")


def sprout_pixmap(size: int) -> QPixmap:
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    renderer = QSvgRenderer(str(sprout_svg()))
    painter = QPainter(pix)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return pix


def sprout_icon() -> QIcon:
    icon = QIcon()
    for size in (16, 24, 32, 48, 64, 128):
        icon.addPixmap(sprout_pixmap(size))
    return icon


# ---- the device maker's logo (oem.toml [brand] logo), fetched from the service once per session ---------------
LOGO_WIDTH_FACTOR = 4  # a word-mark may be up to 4× as wide as it is high; a wider one is scaled down to fit


class BrandImage:
    """The device maker's logo, decoded once; pixmaps are made on demand for each (height, devicePixelRatio), so a
    vector logo stays sharp on a HiDPI screen and a PNG is scaled from its full size only once per size."""

    def __init__(self, kind: str, data: bytes, image: QImage | None, svg: QSvgRenderer | None,
                 natural: QSizeF) -> None:
        self.kind = kind
        self.data = data
        self._image = image
        self._svg = svg
        self.natural = natural  # the logo's own size, for its aspect ratio
        self._cache: dict[tuple[int, float], QPixmap] = {}

    @classmethod
    def load(cls, kind: str, data: bytes) -> BrandImage | None:
        """None (with a log line) when Qt cannot draw it: the windows then keep Sprout's own picture."""
        if kind == "png":
            image = QImage.fromData(data, "PNG")
            if image.isNull() or image.width() < 1 or image.height() < 1:
                log.warning("companion: the device maker's PNG logo cannot be decoded; showing Sprout's own look")
                return None
            return cls(kind, data, image, None, QSizeF(image.size()))
        if kind == "svg":
            renderer = QSvgRenderer(QByteArray(data))
            size = QSizeF(renderer.defaultSize())
            if size.isEmpty():
                size = renderer.viewBoxF().size()
            if not renderer.isValid() or size.isEmpty():
                log.warning("companion: the device maker's SVG logo cannot be drawn; showing Sprout's own look")
                return None
            return cls(kind, data, None, renderer, size)
        log.warning("companion: logo type %r is not png or svg; showing Sprout's own look", kind)
        return None

    def pixmap(self, height: int, dpr: float = 1.0) -> QPixmap:
        """The logo `height` device-independent pixels high (narrower if it would be wider than
        LOGO_WIDTH_FACTOR × height), aspect ratio kept, drawn at the screen's real pixel density."""
        dpr = dpr if dpr > 0 else 1.0
        key = (height, dpr)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        aspect = self.natural.width() / self.natural.height()
        w = height * aspect
        h = float(height)
        if w > height * LOGO_WIDTH_FACTOR:
            w, h = float(height * LOGO_WIDTH_FACTOR), height * LOGO_WIDTH_FACTOR / aspect
        pw, ph = max(1, round(w * dpr)), max(1, round(h * dpr))
        if self._image is not None:
            image = self._image.scaled(pw, ph, Qt.AspectRatioMode.IgnoreAspectRatio,
                                       Qt.TransformationMode.SmoothTransformation)
        else:
            assert self._svg is not None
            image = QImage(pw, ph, QImage.Format.Format_ARGB32_Premultiplied)
            image.fill(Qt.GlobalColor.transparent)
            painter = QPainter(image)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            self._svg.render(painter, QRectF(0, 0, pw, ph))
            painter.end()
        pix = QPixmap.fromImage(image)
        pix.setDevicePixelRatio(dpr)
        self._cache[key] = pix
        return pix


def show_logo_or_sprout(logo_label: QLabel, sprout: QLabel, logo: BrandImage | None, height: int) -> None:
    """The device maker's logo `height` high in `logo_label`, standing in for the sprout picture; with None the
    sprout again and the label emptied."""
    if logo is not None:
        logo_label.setPixmap(logo.pixmap(height, logo_label.devicePixelRatioF()))
    else:
        logo_label.clear()
    logo_label.setVisible(logo is not None)
    sprout.setVisible(logo is None)


# ---- one small picture per notice kind: for the youngest, the picture carries the meaning ------------------
PICTURE_FOR_KIND = {"warn": "clock", "warn_games": "clock", "remind": "cup", "lock": "moon", "close": "pause",
                    "block": "pause", "web_block": "globe", "grant": "heart", "decline": "sprout", "info": "sprout"}


def _round_pen(color: QColor, width: float) -> QPen:
    pen = QPen(color, width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    return pen


def notice_picture(kind: str, size: int) -> QPixmap:
    name = PICTURE_FOR_KIND.get(kind, "sprout")
    if name == "sprout":
        return sprout_pixmap(size)
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = size / 64.0
    p.scale(s, s)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("#EAF6E1"))
    p.drawEllipse(QPointF(32, 32), 30, 30)
    dark = QColor(PALETTE["leaf_dark"])
    if name == "clock":
        p.setBrush(QColor("#FFFFFF"))
        p.setPen(QPen(dark, 3))
        p.drawEllipse(QPointF(32, 32), 19, 19)
        p.setPen(_round_pen(dark, 3))
        p.drawLine(QPointF(32, 32), QPointF(32, 20))
        p.drawLine(QPointF(32, 32), QPointF(41, 36))
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QBrush(QColor(PALETTE["leaf_dark"])))
        # Hour dots as rectangles: QPointF built from math.cos() floats crashed PySide6 6.12 at interpreter exit.
        for i in range(12):
            a = i * math.pi / 6
            x, y = round(32 + 15 * math.cos(a), 2), round(32 + 15 * math.sin(a), 2)
            p.drawEllipse(QRectF(x - 1.3, y - 1.3, 2.6, 2.6))
    elif name == "moon":
        p.setBrush(QColor(PALETTE["sky"]))
        p.drawEllipse(QPointF(32, 32), 24, 24)
        path = QPainterPath()
        path.addEllipse(QPointF(30, 32), 14, 14)
        cut = QPainterPath()
        cut.addEllipse(QPointF(37, 27), 12, 12)
        p.setBrush(QColor(PALETTE["moon"]))
        p.drawPath(path.subtracted(cut))
        p.setBrush(QColor("#FFFFFF"))
        for x, y in ((45, 40), (40, 18), (20, 44)):
            p.drawEllipse(QPointF(x, y), 1.8, 1.8)
    elif name == "pause":
        p.setBrush(QColor(PALETTE["sky"]))
        p.drawEllipse(QPointF(32, 32), 20, 20)
        p.setBrush(QColor("#FFFFFF"))
        p.drawRoundedRect(QRectF(24, 22, 6, 20), 2, 2)
        p.drawRoundedRect(QRectF(34, 22, 6, 20), 2, 2)
    elif name == "globe":
        p.setBrush(QColor(PALETTE["sky"]))
        p.setPen(QPen(QColor(PALETTE["help_text"]), 2))
        p.drawEllipse(QPointF(32, 32), 19, 19)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawEllipse(QPointF(32, 32), 8, 19)
        p.drawLine(QPointF(13, 32), QPointF(51, 32))
    elif name == "heart":
        path = QPainterPath()
        path.moveTo(32, 48)
        path.cubicTo(12, 34, 16, 16, 32, 24)
        path.cubicTo(48, 16, 52, 34, 32, 48)
        p.setBrush(QColor("#8CCB6E"))  # a leaf-green heart: warm, never an alarm colour
        p.drawPath(path)
    elif name == "cup":
        p.setBrush(QColor(PALETTE["sky"]))
        p.drawRoundedRect(QRectF(20, 24, 20, 22), 4, 4)
        p.setPen(QPen(QColor(PALETTE["sky"]), 3))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawEllipse(QPointF(42, 34), 5, 6)
        p.setPen(_round_pen(dark, 2))
        p.drawLine(QPointF(26, 20), QPointF(27, 14))
        p.drawLine(QPointF(33, 20), QPointF(34, 14))
    p.end()
    return pix
