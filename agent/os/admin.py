"""Does the child's account have administrator rights? An admin child can stop the service, so this is detected
and reported to the parent, never assumed away."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from agent.os.runner import CommandRunner, SubprocessRunner

LINUX_ADMIN_GROUPS = ("sudo", "wheel", "admin")
WINDOWS_ADMINISTRATORS_SID = "S-1-5-32-544"  # the built-in Administrators group, whatever the display language


@dataclass(frozen=True)
class AdminStatus:
    is_admin: bool | None  # None = could not tell (said in `reason`, and reported as such)
    reason: str


def linux_admin_status(username: str, *, getpwnam: Callable[[str], object] | None = None,
                       groups: Callable[[], Iterable[object]] | None = None,
                       getgrgid: Callable[[int], object] | None = None) -> AdminStatus:
    """uid 0, or a member (primary or supplementary) of sudo / wheel / admin."""
    import grp
    import pwd

    getpwnam = getpwnam or pwd.getpwnam
    groups = groups or grp.getgrall
    getgrgid = getgrgid or grp.getgrgid
    try:
        user = getpwnam(username)
    except KeyError:
        return AdminStatus(None, f"no account named {username!r}")
    if user.pw_uid == 0:  # type: ignore[attr-defined]
        return AdminStatus(True, f"{username} is root (uid 0)")
    try:
        primary = getgrgid(user.pw_gid).gr_name  # type: ignore[attr-defined]
    except KeyError:
        primary = None
    for g in groups():
        name = g.gr_name  # type: ignore[attr-defined]
        if name in LINUX_ADMIN_GROUPS and (username in g.gr_mem or name == primary):  # type: ignore[attr-defined]
            return AdminStatus(True, f"{username} is in the {name} group")
    return AdminStatus(False, f"{username} is not in {', '.join(LINUX_ADMIN_GROUPS)}")


def macos_admin_status(username: str, runner: CommandRunner) -> AdminStatus:
    out = runner.run(["dseditgroup", "-o", "checkmember", "-m", username, "admin"])
    text = out.stdout.strip()
    if out.ok and text.startswith("yes"):
        return AdminStatus(True, f"{username} is in the admin group")
    if text.startswith("no"):
        return AdminStatus(False, f"{username} is not in the admin group")
    return AdminStatus(None, f"dseditgroup could not tell: {(out.stderr or text).strip() or out.returncode}")


def windows_admin_status(username: str, runner: CommandRunner) -> AdminStatus:
    """Members of the built-in Administrators group, asked by SID (the group's name is translated). Group
    membership through a domain group shows as that group's name and is reported as unknown for the parent."""
    script = f"(Get-LocalGroupMember -SID {WINDOWS_ADMINISTRATORS_SID}).Name -join [char]10"
    out = runner.run(["powershell", "-NoProfile", "-NonInteractive", "-Command", script], timeout=15.0)
    if not out.ok:
        return AdminStatus(None, f"Get-LocalGroupMember failed: {(out.stderr or out.stdout).strip()[:200]}")
    members = [m.strip().lower() for m in out.stdout.splitlines() if m.strip()]
    wanted = username.lower()
    for m in members:
        if m == wanted or m.rsplit("\\", 1)[-1] == wanted.rsplit("\\", 1)[-1]:
            return AdminStatus(True, f"{username} is in Administrators")
    return AdminStatus(False, f"{username} is not in Administrators")


def current_process_is_admin_windows() -> bool:
    """For the companion: is the program running with an elevated token right now (shell32.IsUserAnAdmin)."""
    import ctypes

    return bool(ctypes.windll.shell32.IsUserAnAdmin())  # type: ignore[attr-defined]


def admin_status(username: str, *, platform: str | None = None, runner: CommandRunner | None = None) -> AdminStatus:
    platform = platform or sys.platform
    if platform == "win32":
        return windows_admin_status(username, runner or SubprocessRunner())
    if platform == "darwin":
        return macos_admin_status(username, runner or SubprocessRunner())
    return linux_admin_status(username)
