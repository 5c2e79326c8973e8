"""README's command-line walk-through, run as written, in order, on a fresh state.

A person copies these lines into a terminal: each must work, print something a person can read (no traceback, no
raw floats), and lead to the next. The test types them into one bash, as that person would, putting in the pairing
code, device and request the earlier lines printed where README says CODE, DEVICE and REQUEST; it changes only
the state folder and the two ports (so it never meets another Sprout on this machine).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def readme_lines() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Command line"):]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "README's command-line section has no sh block"
    lines = []
    for raw in block.group(1).splitlines():
        line = re.sub(r"\s+#\s.*$", "", raw).rstrip()  # the comment a person reads, not types
        if line:
            lines.append(line)
    return lines


class Shell:
    """One bash a person types into: a line in, its output and exit status back."""

    def __init__(self, cwd: Path, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(["bash", "--norc", "--noprofile"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True, cwd=cwd, env=env, bufsize=1)

    def type(self, line: str, timeout: float = 120) -> tuple[int, str]:
        assert self.proc.stdin and self.proc.stdout
        marker = f"__done_{time.monotonic_ns()}__"
        background = line.endswith("&")
        # A background job's own output goes to a file, so it cannot interleave with the next line's.
        cmd = f"{line[:-1]} >{self.job_log} 2>&1 &" if background else f"{{ {line}\n}} 2>&1"
        self.proc.stdin.write(f"{cmd}\necho {marker} $?\n")
        self.proc.stdin.flush()
        out = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            got = self.proc.stdout.readline()
            if got.startswith(marker):
                return int(got.split()[1]), "".join(out)
            if not got:
                break
            out.append(got)
        raise AssertionError(f"no end of {line!r}; output so far: {''.join(out)}")

    job_log = "/dev/null"

    def close(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin
            self.proc.stdin.write("kill %1 2>/dev/null; exit\n")
            self.proc.stdin.flush()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def wait_listening(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError(f"nothing listens on 127.0.0.1:{port}")


def test_the_readme_walkthrough_runs_as_written(tmp_path: Path) -> None:
    lines = readme_lines()
    link, dns = free_port(), free_port()
    state = tmp_path / "walk"
    env = {**os.environ, "LANG": "C.UTF-8", "PYTHONPATH": str(ROOT)}
    env.pop("SPROUT_COMPANION_SOCKET", None)
    shell = Shell(ROOT, env)
    shell.job_log = str(tmp_path / "agent.log")
    seen: dict[str, str] = {}
    outputs: list[tuple[str, str]] = []
    try:
        for line in lines:
            typed = (line.replace("/tmp/sprout-walk", str(state)).replace("127.0.0.1:47810", f"127.0.0.1:{link}")
                     .replace("127.0.0.1:47863", f"127.0.0.1:{dns}").replace("B=.venv/bin", f"B={BIN}"))
            for word in ("CODE", "DEVICE", "REQUEST"):
                if re.search(rf"\b{word}\b", typed):
                    assert word in seen, f"{line!r} needs the {word} an earlier line prints"
                    typed = re.sub(rf"\b{word}\b", seen[word], typed)
            status, out = shell.type(typed)
            outputs.append((line, out))
            assert status == 0, f"{line!r} failed ({status}):\n{out}"
            assert "Traceback" not in out, f"{line!r}:\n{out}"
            if typed.endswith("&"):
                wait_listening(link)  # a person waits the moment it takes to start
            if "sprout-agent pair" in line and (m := re.search(r"\b([0-9A-Z]{4}-[0-9A-Z]{4})\b", out)):
                seen["CODE"] = m.group(1)
            if "sprout-console" in line and " pair " in line:
                devices = shell.type(f"{BIN}/sprout-console --state {state}/parent devices")[1]
                seen["DEVICE"] = re.search(r"\b([A-Z2-7]{7}(?:-[A-Z2-7]{7}){7})\b", devices).group(1)
            if "sprout-agent ask" in line:
                seen["REQUEST"] = re.search(r"\b([0-9a-f]{12})\b", out).group(1)
    finally:
        shell.close()
    text = dict(outputs)
    ask = next(out for line, out in outputs if "sprout-agent ask" in line)
    requests = next(out for line, out in outputs if line.endswith("requests"))
    # The console sees the request the child made, with the child's reason and nothing left dangling.
    assert seen["REQUEST"] in requests and "finish my science project" in requests, requests
    assert "20" in requests and not requests.rstrip().endswith("—"), requests
    assert "Policy version 2 applied" in text[next(x for x in text if "policy push" in x)] or \
        "phiên bản 2" in text[next(x for x in text if "policy push" in x)]
    assert seen["REQUEST"] in ask
    status = next(out for line, out in outputs if "sprout-agent status" in line)
    # People read minutes, not floats: no long decimals anywhere in the day's status.
    assert not re.search(r"\d+\.\d{4,}", status), status
    assert "time_request" in status and "grant" in status, status
