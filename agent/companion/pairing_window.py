"""Shown on the child's PC while no parent's console is paired yet (the family setting up, or a device maker's first
boot): the pairing code in large type and as a QR code, for the parent to type or scan.

After the first pairing the service stops offering the code here; more consoles are paired with `sprout-agent pair`,
which needs the PC's administrator — so a child cannot pair a console of their own.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from agent.companion.common import Page, button, help_label, set_text
from agent.companion.look import BrandImage, show_logo_or_sprout, sprout_pixmap
from agent.companion.status_window import product_name
from common_qt.qr import qr_pixmap

translate = QCoreApplication.translate

LOGO_HEIGHT = 56  # the size of the sprout picture it stands in for


class PairingWindow(Page):
    """The first thing a family sees at first login: with a device maker's oem.toml, under its name and logo."""

    def __init__(self, pairing: dict[str, Any], parent: QWidget | None = None, *, brand: str | None = None,
                 logo: BrandImage | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.pairing = dict(pairing)
        self.pic = QLabel(self)
        self.pic.setPixmap(sprout_pixmap(56))
        self.logo = QLabel(self)
        self.logo.setVisible(False)
        self.brand: str | None = None
        self.brand_image: BrandImage | None = None
        self.brand_line = QLabel(self, objectName="brand", wordWrap=True)
        self.brand_line.setVisible(False)
        self.title = QLabel(self, objectName="title", wordWrap=True)
        self.body = QLabel(self, objectName="body", wordWrap=True)
        self.code = QLabel(self)
        self.code.setFont(QFont("DejaVu Sans Mono", 28, QFont.Weight.Bold))
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                          | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.qr = QLabel(self)
        self.valid = QLabel(self, objectName="ask", wordWrap=True)
        self.help = help_label(self)
        self.close_button = button(self, primary=True)
        self.close_button.clicked.connect(self.close)

        head = QHBoxLayout()
        head.addWidget(self.pic)
        head.addWidget(self.logo)
        heading = QVBoxLayout()
        heading.addWidget(self.brand_line)
        heading.addWidget(self.title)
        head.addLayout(heading, 1)
        middle = QHBoxLayout()
        middle.addWidget(self.qr)
        words = QVBoxLayout()
        words.addWidget(self.body)
        words.addWidget(self.code)
        words.addWidget(self.valid)
        words.addStretch(1)
        middle.addLayout(words, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 16, 16, 14)
        outer.addLayout(head)
        outer.addLayout(middle)
        outer.addWidget(self.help)
        outer.addLayout(buttons)
        self.setMinimumWidth(560)
        self.set_brand(brand, logo)
        self.update_pairing(pairing)

    def set_brand(self, brand: str | None, logo: BrandImage | None) -> None:
        """The device maker's name above the title and its logo in the sprout's place; None, None: Sprout's look."""
        self.brand = brand or None
        set_text(self.brand_line, self.brand or "")  # a name, never translated
        self.brand_line.setVisible(self.brand is not None)
        self.logo.setAccessibleName(product_name({"brand": self.brand}))
        if logo is self.brand_image:
            return
        self.brand_image = logo
        show_logo_or_sprout(self.logo, self.pic, logo, LOGO_HEIGHT)

    def update_pairing(self, pairing: dict[str, Any]) -> None:
        self.pairing = dict(pairing)
        self.qr.setPixmap(qr_pixmap(f"sprout:pair?code={self.pairing.get('code', '')}"))
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(translate("Pairing", "Connect to your parents"))
        set_text(self.title, translate("Pairing", "Connect this PC to your parents"))
        set_text(self.body, translate("Pairing", "Ask your parent to open Sprout on their computer and type this "
                                                 "code, or scan the square:"))
        code = str(self.pairing.get("code", ""))
        set_text(self.code, code, translate("Pairing", "Pairing code {code}").format(code=" ".join(code)))
        minutes = max(1, int(self.pairing.get("expires_in_s") or 0) // 60)
        set_text(self.valid, translate("Pairing", "The code works once, for {minutes} more minutes. A new one "
                                                  "appears by itself.").format(minutes=minutes))
        self.qr.setAccessibleName(translate("Pairing", "QR code of the pairing code"))
        set_text(self.close_button, translate("Pairing", "&Close"))
