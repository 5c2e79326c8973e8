"""Journey: "pause internet until …" — the real `sprout-agent run` with its DNS filter on loopback (a real upstream
resolver behind it), the real `sprout-console`, real DNS queries (dnspython), the real block page over HTTP; in
Vietnamese and in English.

Before the pause a name resolves; paused, every name gets the block answer except the help sites (the 111 helpline,
the report address) and the parent's own allow list; the block page says "the internet is paused until HH:MM"; the
child restarts the agent: still paused; the parent resumes: names resolve again. The child's companion was told each
time, kindly, and the parent's console has each change as an alert.
"""

from __future__ import annotations

import socket
import time

import dns.message
import dns.query
import pytest
import requests

from agent.companion.ipc_client import IpcClient
from app.family import Family
from app.link_client import DeviceLink
from tests.support.dns_stub import StubUpstream, stub_address
from tests.support.journeys import BIN, run, start_agent

PAUSED = {"vi": "Đã tạm dừng Internet", "en": "Paused the internet"}
RESUMED = {"vi": "Đã bật lại Internet", "en": "The internet is back on"}


@pytest.fixture(params=["vi", "en"])
def lang(request):
    return request.param


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def resolve(port: int, name: str) -> str | None:
    reply = dns.query.udp(dns.message.make_query(name, "A"), "127.0.0.1", port=port, timeout=3)
    return reply.answer[0][0].address if reply.answer else None


def console_cli(state, lang, *args, ok=True):
    return run(BIN / "sprout-console", "--state", state, "--lang", lang, *args, ok=ok)


def notices(agent) -> list[dict]:
    client = IpcClient(agent.socket)
    try:
        return client.notices_since(0, reconnect_for=20)
    finally:
        client.close()


def alert_kinds(state) -> list[str]:
    fam = Family(state, name="mom")
    try:
        DeviceLink(fam, fam.devices()[0]["device_id"]).fetch()
        return [i["payload"].get("kind") for i in fam.items(kind="alert")]
    finally:
        fam.close()


def test_pause_blocks_every_name_but_help_survives_a_restart_and_resumes(tmp_path, lang):
    upstream = StubUpstream().start()
    port = free_port()
    extra = ("--dns", f"127.0.0.1:{port}", "--upstream", upstream.address)
    runs = start_agent(tmp_path, lang, *extra)
    agent = next(runs)
    try:
        state = tmp_path / "console"
        console_cli(state, lang, "pair", "--code", agent.pairing_code(), "--host", agent.host)
        name = console_cli(state, lang, "devices").stdout.split()[0]
        assert resolve(port, "www.wikipedia.org") == stub_address("www.wikipedia.org")

        out = console_cli(state, lang, "pause", name, "--minutes", "120").stdout
        assert PAUSED[lang] in out
        for site in ("www.wikipedia.org", "learn.example.net", "youtube.com"):
            assert resolve(port, site) in ("0.0.0.0", "127.0.0.1"), site
        # help stays open: the 111 helpline's site and the report address the block page links to
        assert resolve(port, "tongdai111.vn") == stub_address("tongdai111.vn")
        assert resolve(port, "canhbao.khonggianmang.vn") == stub_address("canhbao.khonggianmang.vn")

        note = next(n for n in notices(agent) if n["kind"] == "internet_paused")
        until = note["until"]
        assert until and until in out
        page_host = (agent.state / "blockpage.address").read_text().strip()
        page = requests.get(f"http://{page_host}/", headers={"Host": "www.wikipedia.org"}, timeout=10).text
        assert f"Internet đang tạm nghỉ đến {until}" in page and f"The internet is resting until {until}" in page
        assert "Your parents paused the internet" in page and "111" in page
        (tmp_path / f"blockpage-paused-{lang}.html").write_text(page, encoding="utf-8")

        # the child stops the agent and starts it again: still paused
        for _ in runs:
            pass
        assert not (agent.state / "link.address").exists() and not (agent.state / "dns.address").exists()
        runs = start_agent(tmp_path, lang, *extra)
        agent = next(runs)
        deadline = time.monotonic() + 60
        while not (agent.state / "dns.address").exists():  # the filter starts after the link
            assert time.monotonic() < deadline, agent.log.read_text()
            time.sleep(0.1)
        fam = Family(state, name="mom")
        fam.add_device(fam.peer_keys(fam.devices()[0]["device_id"]), agent.host)  # as LAN discovery finds it
        fam.close()
        assert resolve(port, "www.wikipedia.org") in ("0.0.0.0", "127.0.0.1")

        out = console_cli(state, lang, "resume", name).stdout
        assert RESUMED[lang] in out
        assert resolve(port, "www.wikipedia.org") == stub_address("www.wikipedia.org")
        assert [n["kind"] for n in notices(agent)].count("internet_resumed") == 1
        kinds = alert_kinds(state)
        assert kinds.count("internet_paused") == 1 and kinds.count("internet_resumed") == 1
        # a pause needs an end within a day: a clear error, nothing changed
        bad = console_cli(state, lang, "pause", name, ok=False)
        assert bad.returncode == 2 and "--until/--minutes" in bad.stderr and "Traceback" not in bad.stderr
        assert resolve(port, "www.wikipedia.org") == stub_address("www.wikipedia.org")
    finally:
        for _ in runs:
            pass
        upstream.stop()
