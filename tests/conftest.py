"""Shared test setup. Qt must never try a real display in CI: offscreen unless a test asks for Xvfb."""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent


def _grey_text_smoothing() -> None:
    """Letters smoothed in grey in every window the suite draws (and in the programs it starts), whatever this
    machine's font settings: Ubuntu's default subpixel smoothing fringes black letters with orange and blue, which
    the colour checks would read as the design's, and screenshots would differ from machine to machine."""
    import atexit
    import shutil
    import tempfile

    base = os.environ.get("FONTCONFIG_FILE") or "/etc/fonts/fonts.conf"
    conf = Path(tempfile.mkdtemp(prefix="sprout-fonts-")) / "fonts.conf"
    conf.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">{base}</include>
  <match target="font"><edit name="rgba" mode="assign"><const>none</const></edit></match>
</fontconfig>
""", encoding="utf-8")
    conf.parent.chmod(0o755)  # read by programs the tests run as another account
    conf.chmod(0o644)
    os.environ["FONTCONFIG_FILE"] = str(conf)
    atexit.register(shutil.rmtree, conf.parent, ignore_errors=True)


_grey_text_smoothing()
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


import pytest  # noqa: E402

from tests import os_accounts  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def _remove_test_accounts():  # type: ignore[no-untyped-def]
    """Accounts a test made (tests/os_accounts.py) carry this run's tag; remove them when the run ends."""
    yield
    os_accounts.remove_accounts()


@pytest.fixture()
def kid():  # type: ignore[no-untyped-def]
    """A child account for the test's agent to count and close (tests/os_accounts.py: Kid)."""
    import shutil

    k = os_accounts.make_kid()
    yield k
    shutil.rmtree(k.folder, ignore_errors=True)
