"""What the screenshot tools share: grabbing a real window into a PNG, and the `--out` command line."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

ROOT = Path(__file__).resolve().parent.parent


def grab(widget: QWidget, path: Path, size: tuple[int, int] | None = None, *, adjust: bool = True) -> Path:
    """Show the widget as a person would see it, save it to path, close it."""
    if adjust:
        widget.adjustSize()
    if size:
        widget.resize(*size)
    widget.show()
    QApplication.processEvents()
    widget.grab().save(str(path))
    widget.close()
    return path


def cli(render: Callable[[Path], list[Path]], doc: str | None) -> int:
    ap = argparse.ArgumentParser(description=(doc or "").splitlines()[0] if doc else None)
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    for p in render(ap.parse_args().out):
        print(p)
    return 0
