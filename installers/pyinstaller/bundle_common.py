"""Shared settings for the three PyInstaller specs (imported by them; PyInstaller runs specs as Python)."""

from __future__ import annotations

from pathlib import Path

from PyInstaller.utils.hooks import collect_data_files, collect_submodules

REPO = Path(__file__).resolve().parents[2]
# The time zone database travels with every bundle (the tzdata package, with its modules, beside the program):
# Python reads the system's first, and a minimal Ubuntu has none ("unknown time zone 'Asia/Ho_Chi_Minh'" at the
# first start of the .deb in a bare Ubuntu 24.04 root).
RESOURCES = [(str(REPO / "resources"), "resources"), *collect_data_files("tzdata", include_py_files=True)]
ENTRIES = Path(__file__).resolve().parent
QT = ["PySide6", "shiboken6"]
# Never wanted in any bundle: test and build tools that happen to live in the same venv.
ALWAYS_EXCLUDED = ["pytest", "_pytest", "pytestqt", "ruff", "PyInstaller", "tkinter", "setuptools", "pip"]


def modules(package: str, skip: tuple[str, ...] = ()) -> list[str]:
    """Every submodule of package: the CLI imports its subcommands by name, so PyInstaller cannot see them."""
    return [m for m in collect_submodules(package, on_error="ignore") if not m.startswith(skip)]
