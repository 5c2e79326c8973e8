"""Shared test setup. Qt must never try a real display in CI: offscreen unless a test asks for Xvfb."""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]


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

from tests.support import os_accounts  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def _remove_test_accounts():  # type: ignore[no-untyped-def]
    """Accounts a test made (tests/support/os_accounts.py) carry this run's tag; remove them when the run ends."""
    yield
    os_accounts.remove_accounts()


@pytest.fixture()
def kid():  # type: ignore[no-untyped-def]
    """A child account for the test's agent to count and close (tests/support/os_accounts.py: Kid)."""
    import shutil

    k = os_accounts.make_kid()
    yield k
    shutil.rmtree(k.folder, ignore_errors=True)


# ---- kinds of test: unit, integration, e2e (registered in pyproject.toml) -------------------------------------
# A test says its kind with @pytest.mark.unit / integration / e2e (or pytestmark in its file); otherwise its file's
# kind below applies, and a file in neither list is integration. `bash scripts/test.sh` runs all three;
# `bash scripts/test.sh -m unit` is the quick loop while editing.
KINDS = ("unit", "integration", "e2e")
E2E_FILES = {  # the assembled product as people use it: sprout-agent run, Qt windows, Xvfb, Chromium, packages
    "test_adversarial_counting", "test_adversarial_floods", "test_adversarial_pairing", "test_adversarial_policy",
    "test_agent_cli_errors", "test_agent_e2e", "test_browser_policies", "test_companion_service", "test_consent_e2e",
    "test_dns_browser", "test_gui_e2e", "test_installers_packages", "test_installers_system",
    "test_journey_blocked_site", "test_journey_first_start", "test_journey_game_cap", "test_journey_harmful_report",
    "test_journey_late_grant", "test_journey_lock_fails", "test_journey_policy_truth", "test_journey_reports",
    "test_journey_time_request", "test_journey_vietnamese_only", "test_link_e2e", "test_os_x11",
    "test_readme_walkthrough", "test_web_filter_firewall", "test_web_filter_installed", "test_wheel_install",
}
UNIT_FILES = {  # one module, in memory or on temporary files
    "test_architecture", "test_policy_canonical", "test_fileio", "test_ledger_days", "test_ledger_state", "test_lru",
    "test_os_idle", "test_os_platforms", "test_packaging", "test_protocol", "test_console_reports", "test_store_sqlite",
    "test_web_filter_rates",
}


def pytest_collection_modifyitems(items):  # type: ignore[no-untyped-def]
    for item in items:
        if any(item.get_closest_marker(kind) for kind in KINDS):
            continue
        name = Path(str(item.fspath)).stem
        kind = "e2e" if name in E2E_FILES else "unit" if name in UNIT_FILES else "integration"
        item.add_marker(getattr(pytest.mark, kind))
