"""`sprout-agent lists export`: Sprout's categories loaded into a real Unbound (RPZ) and a real dnsmasq, each
forwarding to a real stub resolver on loopback; names of each exported category get NXDOMAIN (subdomains too),
other names resolve. Skips when the Debian packages unbound / dnsmasq-base are not installed."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import dns.message
import dns.query
import dns.rcode
import pytest

from agent.cli import main
from agent.dns.categories import iter_domains, load_categories
from tests.support.dns_stub import StubUpstream, stub_address

ROOT = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent
CATEGORIES = ["adult", "gambling", "bypass"]


@pytest.fixture
def stub() -> Iterator[StubUpstream]:
    s = StubUpstream().start()
    yield s
    s.stop()


def export(tmp_path: Path, fmt: str, monkeypatch) -> Path:
    monkeypatch.setenv("SPROUT_OEM", str(tmp_path / "no-oem.toml"))
    out = tmp_path / f"sprout.{fmt}"
    args = ["lists", "export", "--format", fmt, "--state", str(tmp_path / "lists"), "--output", str(out)]
    for c in CATEGORIES:
        args += ["--category", c]
    assert main(args) == 0
    return out


def sample() -> list[str]:
    cats = load_categories()
    return [next(iter_domains(cats[c])) for c in CATEGORIES]


def ask(port: int, name: str) -> dns.message.Message:
    return dns.query.udp(dns.message.make_query(name, "A"), "127.0.0.1", port=port, timeout=3)


def wait_answering(port: int, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert proc.poll() is None, log.read_text()
        try:
            ask(port, "ready.test")
            return
        except Exception:
            time.sleep(0.2)
    raise AssertionError("the server never answered: " + log.read_text())


def start(argv: list[str], log: Path) -> tuple[subprocess.Popen, int]:
    """Start a server on a port the system picks for us: bind 0 is not possible for these daemons, so try a few
    free-looking ports and keep the first that starts."""
    import socket

    for _ in range(5):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        with open(log, "w") as fh:
            proc = subprocess.Popen([a.replace("{port}", str(port)) for a in argv], stdout=fh, stderr=fh)
        time.sleep(0.3)
        if proc.poll() is None:
            return proc, port
    raise AssertionError("could not start: " + log.read_text())


def check_answers(port: int) -> None:
    for name in sample():
        for asked in (name, f"www.{name}", f"a.b.{name}"):
            assert ask(port, asked).rcode() == dns.rcode.NXDOMAIN, asked
    reply = ask(port, "wikipedia.org")
    assert reply.rcode() == dns.rcode.NOERROR
    assert [rr.to_text() for rrset in reply.answer for rr in rrset] == [stub_address("wikipedia.org")]


@pytest.mark.skipif(shutil.which("unbound", path="/usr/sbin:/usr/bin") is None, reason="needs Debian's unbound")
def test_the_rpz_export_works_in_unbound(tmp_path: Path, stub, monkeypatch) -> None:
    rpz = export(tmp_path, "rpz", monkeypatch)
    conf = tmp_path / "unbound.conf"
    conf.write_text(f"""server:
    interface: 127.0.0.1
    port: {{port}}
    do-daemonize: no
    username: ""
    chroot: ""
    directory: "{tmp_path}"
    pidfile: "{tmp_path}/unbound.pid"
    use-syslog: no
    logfile: ""
    verbosity: 1
    do-ip6: no
    access-control: 127.0.0.0/8 allow
    do-not-query-localhost: no
    module-config: "respip iterator"
    auto-trust-anchor-file: ""
rpz:
    name: sprout.rpz
    zonefile: "{rpz}"
forward-zone:
    name: "."
    forward-addr: 127.0.0.1@{stub.port}
""")
    template = conf.read_text()
    unbound = shutil.which("unbound", path="/usr/sbin:/usr/bin")
    proc, port = None, 0
    try:
        for _ in range(5):
            import socket

            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                s.bind(("127.0.0.1", 0))
                port = s.getsockname()[1]
            conf.write_text(template.replace("{port}", str(port)))
            log = tmp_path / "unbound.log"
            with open(log, "w") as fh:
                proc = subprocess.Popen([unbound, "-d", "-c", str(conf)], stdout=fh, stderr=fh)
            time.sleep(0.5)
            if proc.poll() is None:
                break
        wait_answering(port, proc, tmp_path / "unbound.log")
        check_answers(port)
    finally:
        if proc is not None and proc.poll() is None:
            proc.terminate()
            proc.wait(10)


@pytest.mark.skipif(shutil.which("dnsmasq", path="/usr/sbin:/usr/bin") is None, reason="needs Debian's dnsmasq-base")
def test_the_dnsmasq_export_works_in_dnsmasq(tmp_path: Path, stub, monkeypatch) -> None:
    conf = export(tmp_path, "dnsmasq", monkeypatch)
    dnsmasq = shutil.which("dnsmasq", path="/usr/sbin:/usr/bin")
    proc, port = start([dnsmasq, "--keep-in-foreground", "--port={port}", "--listen-address=127.0.0.1",
                        "--bind-interfaces", "--no-resolv", "--no-hosts", "--conf-file=" + str(conf),
                        f"--server=127.0.0.1#{stub.port}", f"--pid-file={tmp_path}/dnsmasq.pid", "--user=root",
                        "--cache-size=0"], tmp_path / "dnsmasq.log")
    try:
        wait_answering(port, proc, tmp_path / "dnsmasq.log")
        check_answers(port)
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.mark.parametrize(("fmt", "expect"), [
    ("hosts", ["0.0.0.0 {name}", "0.0.0.0 www.{name}"]), ("adblock", ["||{name}^"]),
    ("rpz", ["{name} CNAME .", "*.{name} CNAME ."]), ("dnsmasq", ["address=/{name}/"]),
])
def test_every_format_holds_every_name_of_the_chosen_categories(tmp_path, monkeypatch, fmt, expect) -> None:
    text = export(tmp_path, fmt, monkeypatch).read_text(encoding="utf-8").splitlines()
    cats = load_categories()
    for c in CATEGORIES:
        for name in iter_domains(cats[c]):
            for line in expect:
                assert line.format(name=name) in text, (fmt, name)
    assert not any("tinder.com" in line for line in text)  # dating was not asked for


def test_an_unknown_category_is_one_clear_line(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("SPROUT_OEM", str(tmp_path / "no-oem.toml"))
    assert main(["lists", "export", "--format", "rpz", "--category", "nope", "--state", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "--category nope: no such category" in err and "Traceback" not in err
