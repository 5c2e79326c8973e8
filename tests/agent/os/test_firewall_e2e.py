"""No way around the filter in service mode on Linux, tried for real: the real `sprout-agent run` (service mode,
as root) inside a network namespace installs nftables rules for the child's uid; a program running as that uid
asks "another resolver" (a real stub resolver on 10.99.0.53:53 in the namespace) and still gets the filter's
answers, cannot reach DNS-over-TLS on 853 nor IPv6 DNS; root is untouched; the rules go when the service stops.

Needs root, `ip netns`, `nft` and `setpriv` (Debian: iproute2, nftables, util-linux); skips saying which is missing.
Inside a chroot `ip netns exec` cannot remount / (MACHINE-NOTES); the test then skips too.

The other OS backends (pf on macOS, Windows Firewall) are checked by the commands they would run only."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from agent.os.firewall import TABLE, PfLock, WindowsFirewallLock, dns_lock, nft_script
from agent.os.runner import CommandResult

ROOT = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent
CHILD_UID = 4242
OTHER = "10.99.0.53"  # "a public resolver" inside the namespace

PROBE = textwrap.dedent('''
    import json, socket, struct, sys
    def query(name, qid=0x1234):
        q = b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\\0"
        return struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0) + q + struct.pack("!HH", 1, 1)
    def a_records(reply):
        an = struct.unpack("!H", reply[6:8])[0]
        pos = 12
        while reply[pos]:
            pos += reply[pos] + 1
        pos += 5
        out = []
        for _ in range(an):
            pos += 2 if reply[pos] & 0xC0 == 0xC0 else 0
            rtype, _cls, _ttl, rdlen = struct.unpack("!HHIH", reply[pos:pos + 10])
            pos += 10
            if rtype == 1:
                out.append(socket.inet_ntoa(reply[pos:pos + 4]))
            pos += rdlen
        return out
    def udp(host, name, family=socket.AF_INET):
        with socket.socket(family, socket.SOCK_DGRAM) as s:
            s.settimeout(3)
            try:
                s.sendto(query(name), (host, 53))
                return a_records(s.recv(4096))
            except OSError as exc:
                return type(exc).__name__
    def tcp(host, name, port=53):
        try:
            with socket.create_connection((host, port), timeout=3) as s:
                if port != 53:
                    return "connected"
                data = query(name)
                s.sendall(struct.pack("!H", len(data)) + data)
                size = struct.unpack("!H", s.recv(2))[0]
                reply = b""
                while len(reply) < size:
                    reply += s.recv(size - len(reply))
                return a_records(reply)
        except OSError as exc:
            return type(exc).__name__
    other = sys.argv[1]
    print(json.dumps({
        "uid": __import__("os").getuid(),
        "udp_blocked": udp(other, "pornhub.com"),
        "udp_allowed": udp(other, "wikipedia.org"),
        "tcp_blocked": tcp(other, "pornhub.com"),
        "dot": tcp(other, "-", port=853),
        "ipv6_dns": udp("fd00::53", "pornhub.com", socket.AF_INET6),
    }))
''')


def _missing() -> str | None:
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return "needs root"
    for tool in ("ip", "nft", "setpriv"):
        if shutil.which(tool) is None:
            return f"needs `{tool}`"
    probe = subprocess.run(["ip", "netns", "add", "sprout-probe-13"], capture_output=True, text=True)
    if probe.returncode != 0:
        return f"`ip netns add` failed: {probe.stderr.strip()}"
    ok = subprocess.run(["ip", "netns", "exec", "sprout-probe-13", "true"], capture_output=True, text=True)
    subprocess.run(["ip", "netns", "del", "sprout-probe-13"], capture_output=True)
    if ok.returncode != 0:
        return f"`ip netns exec` failed (a chroot?): {ok.stderr.strip()}"
    return None


def sh(*argv: str) -> None:
    done = subprocess.run(list(argv), capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, (argv, done.stderr)


@pytest.fixture
def namespace():
    why = _missing()
    if why:
        pytest.skip(why)
    ns = f"sprout-fw-{os.getpid()}"
    sh("ip", "netns", "add", ns)
    try:
        sh("ip", "-n", ns, "link", "set", "lo", "up")
        # The other resolver's addresses on the namespace's loopback (no kernel module needed, unlike dummy)
        sh("ip", "-n", ns, "addr", "add", f"{OTHER}/32", "dev", "lo")
        sh("ip", "-n", ns, "-6", "addr", "add", "fd00::53/128", "dev", "lo", "nodad")
        yield ns
    finally:
        subprocess.run(["ip", "netns", "del", ns], capture_output=True)


def in_ns(ns: str, *argv: str, **kw) -> subprocess.Popen:
    return subprocess.Popen(["ip", "netns", "exec", ns, *argv], **kw)


def probe(ns: str, as_child: bool) -> dict:
    # The system python with the probe given inline: the child's uid can read neither pytest's temp folders nor
    # the venv's interpreter under /root.
    user = ["setpriv", f"--reuid={CHILD_UID}", f"--regid={CHILD_UID}", "--clear-groups"] if as_child else []
    done = subprocess.run(["ip", "netns", "exec", ns, *user, "/usr/bin/python3", "-I", "-c", PROBE, OTHER],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_childs_dns_cannot_go_around_the_filter(namespace, tmp_path: Path) -> None:
    from tests.support.dns_stub import stub_address

    ns = namespace
    env = dict(os.environ, PYTHONPATH=str(ROOT), SPROUT_OEM=str(tmp_path / "no-oem.toml"))
    procs = []
    log = open(tmp_path / "agent.log", "w")  # noqa: SIM115 - the agent writes to it for the whole test
    try:
        procs.append(in_ns(ns, sys.executable, str(ROOT / "tests" / "support" / "dns_stub.py"), "--listen",
                           f"{OTHER}:53", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        procs.append(in_ns(ns, sys.executable, "-c",
                           "import socket,time;s=socket.socket();s.setsockopt(socket.SOL_SOCKET,"
                           f"socket.SO_REUSEADDR,1);s.bind(('{OTHER}',853));s.listen(5);time.sleep(120)",
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        procs.append(in_ns(ns, sys.executable, "-c",  # an IPv6 "resolver" that echoes the question back
                           "import socket\ns=socket.socket(socket.AF_INET6,socket.SOCK_DGRAM)\n"
                           "s.bind(('fd00::53',53))\nwhile True:\n d,a=s.recvfrom(4096)\n s.sendto(d,a)",
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        state = tmp_path / "state"
        agent = in_ns(ns, str(BIN / "sprout-agent"), "run", "--state", str(state), "--child-uid", str(CHILD_UID),
                      "--dns", "127.0.0.1:53", "--upstream", f"{OTHER}:53", "--no-companion-socket",
                      "--key-file-fallback", "--lang", "en", stdout=log, stderr=log, env=env, cwd=ROOT)
        procs.append(agent)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            listed = subprocess.run(["ip", "netns", "exec", ns, "nft", "list", "table", "inet", TABLE],
                                    capture_output=True, text=True)
            if listed.returncode == 0 and (state / "dns.address").exists():
                break
            assert agent.poll() is None, (tmp_path / "agent.log").read_text()
            time.sleep(0.2)
        else:
            raise AssertionError("the service never installed its rules: " + (tmp_path / "agent.log").read_text())

        child = probe(ns, as_child=True)
        assert child["uid"] == CHILD_UID
        assert child["udp_blocked"] == ["127.0.0.1"]  # "another resolver" answered by the filter: blocked
        assert child["udp_allowed"] == [stub_address("wikipedia.org")]  # allowed names still resolve
        assert child["tcp_blocked"] == ["127.0.0.1"]
        assert child["dot"] in ("ConnectionRefusedError", "ConnectionResetError")  # DNS over TLS refused
        assert child["ipv6_dns"] in ("PermissionError", "ConnectionRefusedError")  # IPv6 DNS refused
        parent = probe(ns, as_child=False)
        assert parent["udp_blocked"] == [stub_address("pornhub.com")]  # only the child's account is redirected
        assert parent["dot"] == "connected"
        assert parent["ipv6_dns"] == []  # the IPv6 resolver is there (its echo has no answers) for others

        agent.send_signal(signal.SIGTERM)
        agent.wait(30)
        gone = subprocess.run(["ip", "netns", "exec", ns, "nft", "list", "table", "inet", TABLE],
                              capture_output=True, text=True)
        assert gone.returncode != 0, gone.stdout  # the service removed its rules
    finally:
        for p in procs:
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    p.kill()
        log.close()


def test_the_rules_refuse_root_and_nonsense() -> None:
    from agent.os.firewall import FirewallError

    with pytest.raises(FirewallError, match="never root"):
        nft_script(0, "127.0.0.1", 53)
    script = nft_script(1001, "127.0.0.1", 53)
    assert "meta skuid 1001" in script and "dport 853" in script and "ip6 daddr != ::1" in script


class Recorder:
    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def run(self, argv, *, timeout=5.0):
        self.calls.append(list(argv))
        return CommandResult(0, "port = 853", "")


def test_windows_and_macos_backends_write_the_same_rules_not_run_here() -> None:
    rec = Recorder()
    assert isinstance(dns_lock("win32", rec), WindowsFirewallLock)
    dns_lock("win32", rec).apply("S-1-5-21-1-2-3-1001", "127.0.0.1", 53)
    added = [c for c in rec.calls if c[3] == "add"]
    assert len(added) == 4 and all("localuser=D:(A;;CC;;;S-1-5-21-1-2-3-1001)" in c for c in added)
    assert any("remoteport=853" in c for c in added)
    assert any("remoteip=0.0.0.0-127.0.0.0,127.0.0.2-255.255.255.255,::/0" in c for c in added)
    rules = PfLock.rules("child", "127.0.0.1", 53)
    assert "port 853 user child" in rules and "!127.0.0.1 port 53" in rules
