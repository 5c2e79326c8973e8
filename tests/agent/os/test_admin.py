"""Admin detection: real accounts on Linux (root only: creates two throwaway users), runner-faked macOS/Windows."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from types import SimpleNamespace

import pytest

from agent.os.admin import admin_status, linux_admin_status, macos_admin_status, windows_admin_status
from agent.os.runner import CommandResult
from tests.support import os_accounts


def test_root_is_admin() -> None:
    assert linux_admin_status("root").is_admin is True


def test_unknown_account_is_undecided_not_false() -> None:
    status = linux_admin_status("no-such-sprout-user")
    assert status.is_admin is None and "no account" in status.reason


def _pw(name: str, uid: int, gid: int) -> SimpleNamespace:
    return SimpleNamespace(pw_name=name, pw_uid=uid, pw_gid=gid)


def _gr(name: str, gid: int, members: list[str]) -> SimpleNamespace:
    return SimpleNamespace(gr_name=name, gr_gid=gid, gr_mem=members)


def test_primary_group_wheel_counts() -> None:
    groups = [_gr("wheel", 10, []), _gr("users", 100, ["an"])]
    status = linux_admin_status("an", getpwnam=lambda n: _pw(n, 1001, 10), groups=lambda: groups,
                                getgrgid=lambda g: next(x for x in groups if x.gr_gid == g))
    assert status.is_admin is True and "wheel" in status.reason


@pytest.fixture(scope="module")
def accounts() -> tuple[str, str]:
    if not os_accounts.can_make_accounts():
        pytest.skip("needs root and useradd")
    plain = os_accounts.account("sprout-kid-plain", person=False).pw_name
    admin = os_accounts.account("sprout-kid-admin", person=False).pw_name
    if subprocess.run(["getent", "group", "sudo"], capture_output=True).returncode != 0:
        subprocess.run(["groupadd", "--system", "sudo"], check=True)
    subprocess.run(["usermod", "-aG", "sudo", admin], check=True)
    return plain, admin


def test_real_accounts_on_this_machine(accounts: tuple[str, str]) -> None:
    plain, admin = accounts
    assert admin_status(plain, platform="linux").is_admin is False
    status = admin_status(admin, platform="linux")
    assert status.is_admin is True and "sudo" in status.reason


class FakeRunner:
    def __init__(self, result: CommandResult) -> None:
        self.result = result
        self.calls: list[list[str]] = []

    def run(self, argv: Sequence[str], *, timeout: float = 5.0) -> CommandResult:
        self.calls.append(list(argv))
        return self.result


def test_macos_admin_group() -> None:
    yes = FakeRunner(CommandResult(0, "yes an is a member of admin\n"))
    assert macos_admin_status("an", yes).is_admin is True
    assert yes.calls == [["dseditgroup", "-o", "checkmember", "-m", "an", "admin"]]
    no = FakeRunner(CommandResult(67, "no an is NOT a member of admin\n"))
    assert macos_admin_status("an", no).is_admin is False
    broken = FakeRunner(CommandResult(64, "", "Group not found"))
    assert macos_admin_status("an", broken).is_admin is None


def test_windows_administrators_by_sid() -> None:
    runner = FakeRunner(CommandResult(0, "PC-AN\\Administrator\nPC-AN\\Bo\n"))
    assert windows_admin_status("PC-AN\\Bo", runner).is_admin is True
    assert "S-1-5-32-544" in runner.calls[0][-1]
    assert windows_admin_status("An", runner).is_admin is False
    failed = FakeRunner(CommandResult(1, "", "Get-LocalGroupMember : not recognized"))
    assert windows_admin_status("An", failed).is_admin is None
