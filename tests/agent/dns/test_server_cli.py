"""`sprout-agent dns` as a real process: queries, its block log line, the block page over HTTP, SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import dns.exception
import dns.message
import dns.query
import pytest

from agent.cli import main
from tests.support.dns_stub import StubUpstream, stub_address

ROOT = Path(__file__).resolve().parents[3]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_udp(port: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            dns.query.udp(dns.message.make_query("ready.test", "A"), "127.0.0.1", port=port, timeout=0.3)
            return
        except (dns.exception.Timeout, OSError):
            time.sleep(0.1)
    raise AssertionError("the filter did not start answering")


def test_dns_command_filters_logs_serves_the_page_and_stops_on_sigterm(tmp_path: Path) -> None:
    stub = StubUpstream().start()
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps({"schema": 2, "version": 3, "web": {
        "blocked_categories": ["gambling"], "deny": ["homework-avoider.test"],
        "safesearch": {"google": True, "bing": True, "duckduckgo": True}, "youtube": "strict"}}))
    port, page_port = free_port(), free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "agent.cli", "dns", "--listen", f"127.0.0.1:{port}", "--upstream",
         "127.0.0.1:9", "--upstream", stub.address, "--timeout", "0.3", "--policy", str(policy),
         "--blockpage", f"127.0.0.1:{page_port}"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        wait_for_udp(port, time.monotonic() + 15)
        blocked = dns.query.udp(dns.message.make_query("www.bet365.com", "A"), "127.0.0.1", port=port, timeout=3)
        assert [r.to_text() for rrset in blocked.answer for r in rrset] == ["127.0.0.1"]
        denied = dns.query.tcp(dns.message.make_query("homework-avoider.test", "A"), "127.0.0.1", port=port,
                               timeout=3)
        assert [r.to_text() for rrset in denied.answer for r in rrset] == ["127.0.0.1"]
        ok = dns.query.udp(dns.message.make_query("school.test", "A"), "127.0.0.1", port=port, timeout=3)
        assert [r.to_text() for rrset in ok.answer for r in rrset] == [stub_address("school.test")]
        yt = dns.query.udp(dns.message.make_query("www.youtube.com", "A"), "127.0.0.1", port=port, timeout=3)
        assert yt.answer[0][0].to_text() == "restrict.youtube.com."

        request = urllib.request.Request(f"http://127.0.0.1:{page_port}/some/path?q=1",
                                         headers={"Host": "www.bet365.com"})
        with urllib.request.urlopen(request, timeout=3) as response:
            assert response.status == 200 and response.headers["Cache-Control"] == "no-store"
            page = response.read().decode("utf-8")
        assert "www.bet365.com" in page and "111" in page
        assert "Gambling" in page and "Cờ bạc" in page  # the category's titles in both languages
        assert "/some/path" not in page  # the page never echoes the path (no full URLs)
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=10)
        stub.stop()
    assert proc.returncode == 0, err
    lines = [line.split("\t") for line in out.splitlines()]
    assert ["block", "www.bet365.com", "gambling", "list", "A"] in [line[1:] for line in lines]
    assert ["block", "homework-avoider.test", "-", "denylist", "A"] in [line[1:] for line in lines]
    assert "stopped" in err


@pytest.mark.parametrize(("argv", "message"), [
    (["dns", "--listen", "localhost:53"], "--listen 'localhost:53': 'localhost' is not an IPv4 or IPv6 address"),
    (["dns", "--upstream", "1.1.1.1:99999"], "port must be a number from 1 to 65535"),
    (["dns", "--upstream", "127.0.0.1:53", "--policy", "/nonexistent/p.json"], "--policy /nonexistent/p.json: cannot read"),
    (["dns", "--upstream", "127.0.0.1:53", "--index", "/nonexistent/idx"], "--index /nonexistent/idx: no such file"),
    (["dns", "--upstream", "127.0.0.1:53", "--timeout", "0"], "--timeout 0.0: must be between"),
])
def test_dns_command_mistakes_are_one_line(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_dns_command_reports_a_port_it_cannot_take(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as taken:
        taken.bind(("127.0.0.1", 0))
        port = taken.getsockname()[1]
        code = main(["dns", "--listen", f"127.0.0.1:{port}", "--upstream", "127.0.0.1:53",
                     "--blockpage", f"127.0.0.1:{free_port()}"])
    assert code == 2
    err = capsys.readouterr().err
    assert f"--listen 127.0.0.1:{port}: cannot listen" in err and "Traceback" not in err
