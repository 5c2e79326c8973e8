"""`sprout-agent system install/remove` on a scratch root: resolver, browser policies, the upstream record."""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "installers" / "linux"))

import sprout_system  # noqa: E402  (bundled as a top-level module into the agent)


def tree(root: Path) -> dict[str, str]:
    out = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_symlink():
            out[rel] = "->" + os.readlink(path)
        elif path.is_file():
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest() + oct(path.stat().st_mode & 0o777)
        else:
            out[rel] = "dir"
    return out


@pytest.fixture
def resolved_root(tmp_path: Path) -> Path:
    """A systemd-resolved machine: /etc/resolv.conf links to the stub, real upstreams in /run."""
    (tmp_path / "run/systemd/resolve").mkdir(parents=True)
    (tmp_path / "run/systemd/resolve/stub-resolv.conf").write_text("nameserver 127.0.0.53\n")
    (tmp_path / "run/systemd/resolve/resolv.conf").write_text("nameserver 198.51.100.7\nnameserver 2001:db8::1\n")
    (tmp_path / "etc/systemd").mkdir(parents=True)
    (tmp_path / "etc/systemd/resolved.conf").write_text("[Resolve]\n")
    os.symlink("../run/systemd/resolve/stub-resolv.conf", tmp_path / "etc/resolv.conf")
    return tmp_path


def test_install_and_remove_with_systemd_resolved_leave_no_trace(resolved_root: Path) -> None:
    before = tree(resolved_root)
    messages = sprout_system.install(resolved_root)
    dropin = (resolved_root / "etc/systemd/resolved.conf.d/sprout.conf").read_text()
    assert "DNS=127.0.0.1" in dropin
    env = (resolved_root / sprout_system.ENV_FILE).read_text()
    assert "--upstream 198.51.100.7:53 --upstream '[2001:db8::1]:53'" in env  # not resolved's own stub
    assert (resolved_root / "etc/opt/chrome/policies/managed/sprout.json").is_file()
    assert any("browser policies" in m for m in messages)
    sprout_system.install(resolved_root)  # a reinstall keeps the first record
    assert (resolved_root / sprout_system.ENV_FILE).read_text() == env
    sprout_system.remove(resolved_root)
    assert tree(resolved_root) == before


def test_plain_resolv_conf_upstreams_skip_loopback(tmp_path: Path) -> None:
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc/resolv.conf").write_text("# dhcp\nnameserver 127.0.0.1\nnameserver 203.0.113.9\nsearch lan\n")
    assert sprout_system.upstreams_before(tmp_path, resolved=False) == ["203.0.113.9:53"]
    (tmp_path / "etc/resolv.conf").write_text("nameserver 127.0.0.1\n")
    assert sprout_system.upstreams_before(tmp_path, resolved=False) == []


def test_allow_stop_without_systemd_changes_nothing(tmp_path: Path) -> None:
    assert "systemd is not running" in sprout_system.allow_stop(tmp_path)[0]
    assert list(tmp_path.iterdir()) == []
