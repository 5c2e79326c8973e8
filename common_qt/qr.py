"""A QR code as a QPixmap, drawn module by module from qrcode's matrix (no imaging library needed): the companion's
pairing code and the console's phone link (the Qt faces' one copy)."""

from __future__ import annotations

import qrcode
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter, QPixmap


def qr_pixmap(text: str, box: int = 6, border: int = 2) -> QPixmap:
    qr = qrcode.QRCode(border=border)
    qr.add_data(text)
    matrix = qr.get_matrix()
    size = len(matrix) * box
    pix = QPixmap(size, size)
    pix.fill(QColor("white"))
    painter = QPainter(pix)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("black"))
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                painter.drawRect(x * box, y * box, box, box)
    painter.end()
    return pix
