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
# A test says its kind with @pytest.mark.unit / integration / e2e (or pytestmark in its file); otherwise its place
# says it: everything under journeys/ and every test_*_e2e.py is e2e, the files below are what they are listed as,
# and the rest is integration. `bash scripts/test.sh` runs all three; `bash scripts/test.sh -m unit` is the quick
# loop while editing. Paths are relative to tests/.
KINDS = ("unit", "integration", "e2e")
E2E_FOLDERS = ("journeys/",)  # the family's stories through the assembled product
E2E_FILES = {  # the assembled product as people use it: sprout-agent run, Qt windows, Xvfb, Chromium, packages
    "adversarial/test_counting.py", "adversarial/test_floods.py", "adversarial/test_pairing.py",
    "adversarial/test_policy.py", "agent/os/test_browser_policies.py", "agent/os/test_x11.py",
    "agent/test_cli_errors.py", "installers/test_packages.py", "installers/test_system.py",
    "project/test_readme_walkthrough.py", "project/test_wheel_install.py",
    # the phone app in Chromium as a 390×844 phone, against a real broker and agent
    "phone/test_browser.py", "phone/test_controls.py", "phone/test_link_by_qr.py", "phone/test_offline_push.py",
    "phone/test_screens.py",
}
UNIT_FILES = {  # one module (or one decision chain), in memory or on temporary files: the whole set runs in seconds
    "agent/catalog/test_catalog.py", "agent/dns/test_categories.py", "agent/dns/test_classifier.py",
    "agent/dns/test_filter_setup.py", "agent/dns/test_index.py", "agent/dns/test_keywords.py",
    "agent/dns/test_list_rates.py", "agent/dns/test_mirrors_and_words.py", "agent/dns/test_safesearch.py",
    "agent/dns/test_wire_classify.py", "agent/ledger/test_days.py", "agent/ledger/test_state.py",
    "agent/os/test_dns_settings.py", "agent/os/test_idle.py", "agent/os/test_platforms.py",
    "agent/policy/test_canonical.py", "agent/policy/test_models.py", "agent/policy/test_policy.py",
    "agent/protocol/test_protocol.py", "agent/store/test_sqlite.py", "agent/test_fileio.py", "agent/test_lru.py",
    "app/test_reports.py", "project/test_architecture.py", "project/test_packaging.py", "project/test_tests_layout.py",
}
TESTS = Path(__file__).resolve().parent


def kind_of(path: Path) -> str:
    """The kind a test file's place gives it (what a test's own marker does not override)."""
    rel = path.resolve().relative_to(TESTS).as_posix()
    if rel.startswith(E2E_FOLDERS) or rel.endswith("_e2e.py") or rel in E2E_FILES:
        return "e2e"
    return "unit" if rel in UNIT_FILES else "integration"


def pytest_collection_modifyitems(items):  # type: ignore[no-untyped-def]
    for item in items:
        if any(item.get_closest_marker(kind) for kind in KINDS):
            continue
        item.add_marker(getattr(pytest.mark, kind_of(Path(str(item.fspath)))))
