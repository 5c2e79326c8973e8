"""`sprout-agent dns`'s block log under a flood: every block its own line at a person's rate; past `--log-rate`
lines a second the rest are only counted, one summary line a period ("N more blocked tries, top names …"), so the
log stays bounded and the count stays exact (the same rule as the agent's events, agent/service/web_filter.py)."""

from __future__ import annotations

import io
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import dns.exception
import dns.message
import dns.query

from agent.dns.cli_cmd import LineSink
from tests.support.dns_stub import StubUpstream

ROOT = Path(__file__).resolve().parents[3]
SUMMARY = re.compile(r"^\S+\tsummary\t(\d+) more blocked tries \(over (\d+) a second, (\d+\+?) names\), "
                     r"top names: (.*)$")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def row(name: str) -> tuple[str, str, str, str | None, str, str]:
    return ("2026-12-06T22:00:00+00:00", "block", name, "adult", "list", "A")


def summaries(text: str) -> list[tuple[int, dict[str, int]]]:
    found = []
    for line in text.splitlines():
        m = SUMMARY.match(line)
        if m:
            top = {name: int(count) for name, count in re.findall(r"(\S+) \((\d+)\)", m.group(4))}
            found.append((int(m.group(1)), top))
    return found


def block_names(text: str) -> list[str]:
    return [line.split("\t")[2] for line in text.splitlines() if "\tblock\t" in line]


def test_under_the_rate_every_block_has_its_line_and_no_summary() -> None:
    out, clock = io.StringIO(), Clock()
    sink = LineSink(interval=3600, stream=out, per_second=10, clock=clock)
    for second in range(3):  # ten a second, three seconds: exactly the rate
        sink.add_rows([row(f"s{second}n{i}.test") for i in range(4)])
        sink.add_rows([row(f"s{second}m{i}.test") for i in range(6)])
        clock.now += 1.0
    sink.close()
    assert len(block_names(out.getvalue())) == 30
    assert summaries(out.getvalue()) == []


def test_a_flood_past_the_rate_is_counted_soon_not_held_until_the_interval_ends() -> None:
    """The rows set aside past the rate are memory until the writer counts them: a flood wakes it after
    BACKLOG_BATCHES batches instead of leaving a whole interval's worth (at 60,000 blocks a second and 0.5 s,
    30,000 rows, 7 MB) waiting."""
    out, clock = io.StringIO(), Clock()
    sink = LineSink(interval=3600, stream=out, per_second=1, period_s=10, clock=clock).start()
    try:
        for b in range(LineSink.BACKLOG_BATCHES - 1):
            sink.add_rows([row(f"b{b}r{i}.test") for i in range(64)])
        time.sleep(0.2)
        assert len(sink._surplus) == LineSink.BACKLOG_BATCHES - 1  # below the mark: the writer sleeps on
        sink.add_rows([row(f"last{i}.test") for i in range(64)])
        deadline = time.monotonic() + 30
        while sink._surplus and time.monotonic() < deadline:
            time.sleep(0.01)
        assert not sink._surplus  # counted by the writer, an hour before its interval
        assert sink._more == 64 * LineSink.BACKLOG_BATCHES - 1
    finally:
        sink.close()
    assert [more for more, _top in summaries(out.getvalue())] == [64 * LineSink.BACKLOG_BATCHES - 1]


def test_past_the_rate_the_rest_is_counted_in_one_line_a_period() -> None:
    out, clock = io.StringIO(), Clock()
    sink = LineSink(interval=3600, stream=out, per_second=5, period_s=10, clock=clock)
    sink.add_rows([row(f"u{i}.test") for i in range(3)] + [row("again.test")] * 4)  # 7: 5 lines, 2 counted
    sink.add_rows([row("again.test")] * 3)  # the second's lines are used up: counted
    sink.flush()
    assert block_names(out.getvalue()) == ["u0.test", "u1.test", "u2.test", "again.test", "again.test"]
    assert summaries(out.getvalue()) == []  # the period is not over: no summary yet
    clock.now += 1.0  # a new second: five more lines
    sink.add_rows([row(f"v{i}.test") for i in range(8)])
    clock.now += 9.5
    sink.flush()
    assert len(block_names(out.getvalue())) == 10
    assert summaries(out.getvalue()) == [(2 + 3 + 3, {"again.test": 5, "v5.test": 1, "v6.test": 1, "v7.test": 1})]
    sink.add_rows([row("late.test")] * 7)  # a later second: five lines, two counted
    sink.close()  # the last partial period is told at close
    text = out.getvalue()
    assert len(block_names(text)) + sum(n for n, _ in summaries(text)) == 7 + 3 + 8 + 7


def test_a_flood_of_unique_names_keeps_the_counting_bounded() -> None:
    out, clock = io.StringIO(), Clock()
    sink = LineSink(interval=3600, stream=out, per_second=10, max_names=100, clock=clock)
    for batch in range(50):
        sink.add_rows([row(f"b{batch}n{i}.test") for i in range(64)])
        if batch % 10 == 9:
            sink.flush()
            assert len(sink._names) <= 100 + 64  # at most one batch past the cap
    sink.close()
    text = out.getvalue()
    assert len(block_names(text)) == 10
    (more, top), = summaries(text)
    assert more == 50 * 64 - 10
    assert "100+ names" in text and len(top) == LineSink.TOP


def test_rate_zero_logs_every_block() -> None:
    out = io.StringIO()
    sink = LineSink(interval=3600, stream=out, per_second=0)
    for batch in range(20):
        sink.add_rows([row(f"b{batch}n{i}.test") for i in range(64)])
    sink.close()
    assert len(block_names(out.getvalue())) == 20 * 64 and summaries(out.getvalue()) == []


def _start(tmp_path: Path, stub: StubUpstream, *extra: str) -> tuple[subprocess.Popen[str], int]:
    policy = tmp_path / "policy.json"
    policy.write_text('{"schema": 2, "version": 1, "web": {"deny": ["denied.test"]}}')
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "agent.cli", "dns", "--listen", f"127.0.0.1:{port}", "--upstream", stub.address,
         "--policy", str(policy), "--no-blockpage", *extra],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    deadline = time.monotonic() + 30
    while True:
        try:
            dns.query.udp(dns.message.make_query("ready.test", "A"), "127.0.0.1", port=port, timeout=0.3)
            return proc, port
        except (dns.exception.Timeout, OSError):
            assert proc.poll() is None, proc.communicate()[1]
            assert time.monotonic() < deadline, "the filter did not start answering"


def _stop(proc: subprocess.Popen[str]) -> tuple[str, str]:
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    return out, err


def test_a_flood_through_the_real_process_is_answered_and_its_log_bounded_and_counted(tmp_path: Path) -> None:
    """3,600 blocked tries as fast as one socket sends them (every third one the same name): all answered; the
    log has at most --log-rate lines a second plus summaries, and lines + counted tries = tries."""
    stub = StubUpstream().start()
    proc, port = _start(tmp_path, stub, "--log-rate", "20")
    names = [("again.denied.test" if i % 3 == 0 else f"u{i}.denied.test") for i in range(3600)]
    try:
        client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 21)
        client.connect(("127.0.0.1", port))
        client.settimeout(10)
        started = time.monotonic()
        answered = 0
        for start in range(0, len(names), 200):  # windows of 200 in flight: none dropped on loopback
            for i in range(start, start + 200):
                client.send(dns.message.make_query(names[i], "A", id=i % 65536).to_wire())
            for _ in range(200):
                reply = dns.message.from_wire(client.recv(600))
                assert reply.answer[0][0].to_text() == "0.0.0.0"
                answered += 1
        client.close()
        out, err = _stop(proc)
        elapsed = time.monotonic() - started
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
        stub.stop()
    assert answered == len(names)
    logged = block_names(out)
    told = summaries(out)
    assert len(logged) + sum(n for n, _ in told) == len(names)  # every try either a line or counted
    assert told, "a flood past the rate ends in a summary line"
    assert len(logged) <= 20 * (elapsed + 2)  # bounded by the rate, whatever the machine's speed
    assert len(told) <= elapsed / 10 + 2  # one summary a period, plus the one at the stop
    first_top = next(iter(told[0][1]))
    assert first_top == "again.denied.test" and told[0][1][first_top] >= 2
    assert sum(top.get("again.denied.test", 0) for _, top in told) <= 1200 - logged.count("again.denied.test")
    assert "Traceback" not in err


def test_at_a_normal_rate_each_block_has_its_line(tmp_path: Path) -> None:
    stub = StubUpstream().start()
    proc, port = _start(tmp_path, stub)  # the default rate, 100 lines a second
    try:
        for i in range(30):
            reply = dns.query.udp(dns.message.make_query(f"n{i}.denied.test", "A"), "127.0.0.1", port=port, timeout=5)
            assert reply.answer[0][0].to_text() == "0.0.0.0"
            time.sleep(0.02)  # a person's pace: tens of names a second at most
        out, _ = _stop(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
        stub.stop()
    assert block_names(out) == [f"n{i}.denied.test" for i in range(30)]
    assert summaries(out) == []


def test_a_bad_log_rate_is_a_clear_error(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "agent.cli", "dns", "--listen", "127.0.0.1:47853", "--upstream", "127.0.0.1:9",
         "--log-rate", "-1"], cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode != 0
    assert "--log-rate -1: must be between 0" in proc.stderr and "Traceback" not in proc.stderr

