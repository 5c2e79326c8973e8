"""The process's effective Linux capabilities, read from /proc/self/status (no libcap needed).

A system service run as the `sprout` account (not uid 0) gets its powers from the unit's AmbientCapabilities;
`sprout-agent run` checks here that it got at least what it cannot work without.
"""

from __future__ import annotations

from pathlib import Path

# linux/capability.h, in bit order
NAMES = ("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
         "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
         "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
         "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
         "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
         "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG",
         "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
         "CAP_CHECKPOINT_RESTORE")

# what a non-root system service cannot do without: bind the DNS filter to :53, close the child's programs
SERVICE_REQUIRED = ("CAP_KILL", "CAP_NET_BIND_SERVICE")


def decode(mask: int) -> set[str]:
    """A capability bit mask -> names; bits newer than this table come out as CAP_<bit>."""
    names = set()
    bit = 0
    while mask >> bit:
        if mask >> bit & 1:
            names.add(NAMES[bit] if bit < len(NAMES) else f"CAP_{bit}")
        bit += 1
    return names


def parse_status(text: str, field: str = "CapEff") -> set[str]:
    """The named capability set from the text of /proc/PID/status; empty when the field is absent or garbled."""
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() == field:
            try:
                return decode(int(value.strip(), 16))
            except ValueError:
                return set()
    return set()


def effective_capabilities(status: Path = Path("/proc/self/status")) -> set[str]:
    """This process's effective capabilities; empty where there is no /proc (macOS, Windows) or it is unreadable."""
    try:
        text = status.read_text(encoding="ascii", errors="replace")
    except OSError:
        return set()
    return parse_status(text)


def missing_for_service(have: set[str] | None = None) -> list[str]:
    """SERVICE_REQUIRED minus what this process has (in that order)."""
    have = effective_capabilities() if have is None else have
    return [cap for cap in SERVICE_REQUIRED if cap not in have]
