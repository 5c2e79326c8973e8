"""Shared test setup. Qt must never try a real display in CI: offscreen unless a test asks for Xvfb."""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
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
