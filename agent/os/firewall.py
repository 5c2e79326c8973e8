"""Keep the child's DNS on the family filter: firewall rules by the child's account, installed and removed by the
service (agent/service/web_filter.py).

What the rules do, on every OS:
- DNS the child's programs send to any other resolver (UDP and TCP port 53, any address but the filter's) is
  redirected to the filter, so "use 8.8.8.8" in a program's settings changes nothing;
- DNS-over-TLS and DNS-over-QUIC (port 853, TCP and UDP) from the child's account is refused;
- IPv6 DNS to any other resolver is refused (the filter listens on IPv4 loopback; the system falls back to it).
DNS-over-HTTPS rides on port 443 like every web page: it is stopped by name (the bypass category) and by the
browser policies, not here.

Backends, one interface (apply / remove / is_applied):
- Linux: one nftables table, `inet sprout_dns`, replaced atomically by one `nft -f` script (run here: tests in a
  network namespace, tests/agent/os/test_firewall_e2e.py);
- Windows: Windows Filtering Platform rules through `netsh advfirewall` scoped to the child's SID, and macOS: a pf
  anchor `com.sprout.dns` with `user` rules. Both are written behind the same interface and tested only by the
  commands they would run (a recording runner): they are NOT run on this Linux machine. Windows Firewall cannot
  redirect, so there DNS to other resolvers is blocked instead of redirected.
"""

from __future__ import annotations

import sys
from abc import ABC, abstractmethod
from collections.abc import Sequence

from agent.os.runner import CommandRunner, SubprocessRunner

TABLE = "sprout_dns"
PF_ANCHOR = "com.sprout.dns"
WINDOWS_RULE = "Sprout DNS lock"
COMMAND_TIMEOUT_S = 15.0


class FirewallError(RuntimeError):
    """The rules could not be installed or removed; the message says which command failed and why."""


class DnsLock(ABC):
    @abstractmethod
    def apply(self, child: str | int, filter_v4: str, filter_port: int) -> None: ...

    @abstractmethod
    def remove(self) -> None: ...

    @abstractmethod
    def is_applied(self) -> bool: ...


def nft_script(child_uid: int, filter_v4: str, filter_port: int) -> str:
    """The nftables script: delete our table if present, then create it whole (one transaction)."""
    uid = int(child_uid)
    if uid <= 0:
        raise FirewallError(f"child uid {child_uid!r}: must be a positive account id (never root)")
    return f"""table inet {TABLE}
delete table inet {TABLE}
table inet {TABLE} {{
    chain redirect_dns {{
        type nat hook output priority -100; policy accept;
        meta skuid {uid} ip daddr != {filter_v4} udp dport 53 dnat ip to {filter_v4}:{filter_port}
        meta skuid {uid} ip daddr != {filter_v4} tcp dport 53 dnat ip to {filter_v4}:{filter_port}
    }}
    chain refuse_bypass {{
        type filter hook output priority 0; policy accept;
        meta skuid {uid} tcp dport 853 reject with tcp reset
        meta skuid {uid} udp dport 853 reject
        meta skuid {uid} meta nfproto ipv6 ip6 daddr != ::1 udp dport 53 reject
        meta skuid {uid} meta nfproto ipv6 ip6 daddr != ::1 tcp dport 53 reject with tcp reset
    }}
}}
"""


class NftablesLock(DnsLock):
    def __init__(self, runner: CommandRunner | None = None, nft: str = "nft") -> None:
        self.runner = runner or SubprocessRunner()
        self.nft = nft

    def apply(self, child: str | int, filter_v4: str, filter_port: int) -> None:
        script = nft_script(int(child), filter_v4, filter_port)
        import tempfile

        with tempfile.NamedTemporaryFile("w", prefix="sprout-nft-", suffix=".nft", delete=False) as fh:
            fh.write(script)
            path = fh.name
        try:
            self._run([self.nft, "-f", path], "install the DNS rules")
        finally:
            import os

            os.unlink(path)

    def remove(self) -> None:
        if self.is_applied():
            self._run([self.nft, "delete", "table", "inet", TABLE], "remove the DNS rules")

    def is_applied(self) -> bool:
        return self.runner.run([self.nft, "list", "table", "inet", TABLE], timeout=COMMAND_TIMEOUT_S).ok

    def _run(self, argv: Sequence[str], what: str) -> None:
        result = self.runner.run(argv, timeout=COMMAND_TIMEOUT_S)
        if not result.ok:
            raise FirewallError(f"cannot {what}: `{' '.join(argv)}` exited {result.returncode}: "
                                f"{(result.stderr or result.stdout).strip()[:400]}")


class PfLock(DnsLock):
    """macOS: a pf anchor with `user` rules (written, not run here)."""

    def __init__(self, runner: CommandRunner | None = None) -> None:
        self.runner = runner or SubprocessRunner()

    @staticmethod
    def rules(child: str | int, filter_v4: str, filter_port: int) -> str:
        return (f"rdr pass on lo0 inet proto {{udp tcp}} from any to !{filter_v4} port 53 -> {filter_v4} port "
                f"{filter_port}\n"
                f"pass out quick route-to lo0 inet proto {{udp tcp}} from any to !{filter_v4} port 53 user {child}\n"
                f"block return out quick proto {{udp tcp}} from any to any port 853 user {child}\n"
                f"block return out quick inet6 proto {{udp tcp}} from any to !::1 port 53 user {child}\n")

    def apply(self, child: str | int, filter_v4: str, filter_port: int) -> None:
        import tempfile

        with tempfile.NamedTemporaryFile("w", prefix="sprout-pf-", suffix=".conf", delete=False) as fh:
            fh.write(self.rules(child, filter_v4, filter_port))
            path = fh.name
        for argv in (["pfctl", "-a", PF_ANCHOR, "-f", path], ["pfctl", "-E"]):
            result = self.runner.run(argv, timeout=COMMAND_TIMEOUT_S)
            if not result.ok:
                raise FirewallError(f"cannot install the DNS rules: `{' '.join(argv)}`: {result.stderr.strip()}")

    def remove(self) -> None:
        self.runner.run(["pfctl", "-a", PF_ANCHOR, "-F", "all"], timeout=COMMAND_TIMEOUT_S)

    def is_applied(self) -> bool:
        result = self.runner.run(["pfctl", "-a", PF_ANCHOR, "-s", "rules"], timeout=COMMAND_TIMEOUT_S)
        return result.ok and "port = 853" in result.stdout


class WindowsFirewallLock(DnsLock):
    """Windows: outbound block rules for the child's SID (written, not run here). Windows Firewall cannot
    redirect, so DNS to any resolver but the filter is blocked; Windows then uses the filter it was pointed at
    (agent/os/dns_settings.py)."""

    def __init__(self, runner: CommandRunner | None = None) -> None:
        self.runner = runner or SubprocessRunner()

    @staticmethod
    def commands(child_sid: str, filter_v4: str) -> list[list[str]]:
        user = f"D:(A;;CC;;;{child_sid})"
        base = ["netsh", "advfirewall", "firewall", "add", "rule", "dir=out", "action=block", f"localuser={user}"]
        return [
            [*base, f"name={WINDOWS_RULE} (other resolvers, UDP)", "protocol=UDP", "remoteport=53",
             f"remoteip=0.0.0.0-{_before(filter_v4)},{_after(filter_v4)}-255.255.255.255,::/0"],
            [*base, f"name={WINDOWS_RULE} (other resolvers, TCP)", "protocol=TCP", "remoteport=53",
             f"remoteip=0.0.0.0-{_before(filter_v4)},{_after(filter_v4)}-255.255.255.255,::/0"],
            [*base, f"name={WINDOWS_RULE} (DNS over TLS)", "protocol=TCP", "remoteport=853"],
            [*base, f"name={WINDOWS_RULE} (DNS over QUIC)", "protocol=UDP", "remoteport=853"],
        ]

    def apply(self, child: str | int, filter_v4: str, filter_port: int) -> None:
        self.remove()
        for argv in self.commands(str(child), filter_v4):
            result = self.runner.run(argv, timeout=COMMAND_TIMEOUT_S)
            if not result.ok:
                raise FirewallError(f"cannot install the DNS rules: {argv[5]}: {result.stdout.strip()}")

    def remove(self) -> None:
        for argv in self.commands("S-1-0-0", "127.0.0.1"):
            name = next(a for a in argv if a.startswith("name="))
            self.runner.run(["netsh", "advfirewall", "firewall", "delete", "rule", name],
                            timeout=COMMAND_TIMEOUT_S)

    def is_applied(self) -> bool:
        result = self.runner.run(["netsh", "advfirewall", "firewall", "show", "rule",
                                  f"name={WINDOWS_RULE} (DNS over TLS)"], timeout=COMMAND_TIMEOUT_S)
        return result.ok


def _before(ip: str) -> str:
    parts = [int(p) for p in ip.split(".")]
    value = (parts[0] << 24 | parts[1] << 16 | parts[2] << 8 | parts[3]) - 1
    return ".".join(str(value >> s & 255) for s in (24, 16, 8, 0))


def _after(ip: str) -> str:
    parts = [int(p) for p in ip.split(".")]
    value = (parts[0] << 24 | parts[1] << 16 | parts[2] << 8 | parts[3]) + 1
    return ".".join(str(value >> s & 255) for s in (24, 16, 8, 0))


def dns_lock(platform: str | None = None, runner: CommandRunner | None = None) -> DnsLock:
    platform = platform or sys.platform
    if platform.startswith("linux"):
        return NftablesLock(runner)
    if platform == "darwin":
        return PfLock(runner)
    if platform.startswith("win"):
        return WindowsFirewallLock(runner)
    raise FirewallError(f"{platform}: no firewall backend")
