"""Journey: a 15-year-old opens a social network for the first time, then a video-call app turns the camera on; the
companion shows a short, kind reminder about private information each time, in Vietnamese and in English, against
the real `sprout-agent run` (its DNS port, its companion socket). The site is answered as usual, never blocked; the
reminder comes once per site; the parent, paired and with the child's full consent, sees nothing of it.

This machine has no camera: the "camera" is a file under a device folder of the test's own (--capture-devices), held
open by a real process of the test named "videocall", found by the agent's real /proc scan.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import dns.message
import dns.query

from agent.companion.app import Companion
from agent.companion.ipc_client import IpcClient
from agent.companion.reminder_window import ReminderWindow
from agent.skills.reminders import load_reminders
from tests.support.camera_holder import HOLDER
from tests.support.dns_stub import StubUpstream, stub_address
from tests.support.journeys import (  # noqa: F401 - fixtures
    both_agree,
    clipped,
    close_console,
    english_in,
    lang,
    paired_console,
    shooter,
    start_agent,
    visible_texts,
)

AGE = 15


def reminders(companion: Companion) -> list[ReminderWindow]:
    return [n for n in companion.notices if isinstance(n, ReminderWindow) and n.isVisible()]


def test_first_visit_and_first_camera_use_bring_a_kind_reminder_and_nothing_to_the_parent(qtbot, tmp_path, lang):
    shot = shooter(tmp_path)
    stub = StubUpstream().start()
    devices = tmp_path.resolve() / "dev"
    devices.mkdir()
    (devices / "video0").write_bytes(b"")
    agents = start_agent(tmp_path, lang, "--dns", "127.0.0.1:0", "--upstream", stub.address, "--capture-devices",
                         str(devices), "--capture-every", "0.3")
    agent = next(agents)
    holder = None

    def teen_with_social(doc: dict) -> None:
        doc["child"]["birth_year"] = time.localtime().tm_year - AGE
        doc["web"]["blocked_categories"] = [c for c in doc["web"]["blocked_categories"] if c != "social"]

    console = paired_console(tmp_path, agent, lang, edit=teen_with_social)
    companion = None
    try:
        both_agree(console, agent, ["time_totals", "web_categories_blocked", "lessons_finished"])
        companion = Companion(agent.socket, lang=lang, tray=False, watch=True)
        port = int((agent.state / "dns.address").read_text().strip().rsplit(":", 1)[1])
        qtbot.wait(1500)  # the companion's notice watcher is in step with the service before anything happens

        # The child opens facebook.com: answered as usual (the upstream's address), a reminder appears.
        reply = dns.query.udp(dns.message.make_query("www.facebook.com", "A"), "127.0.0.1", port=port, timeout=5)
        assert reply.answer[0][0].address == stub_address("www.facebook.com")
        qtbot.waitUntil(lambda: len(reminders(companion)) == 1, timeout=15_000)
        (site,) = reminders(companion)
        title, body, note = load_reminders().words("site", "15-17", lang, "facebook.com")
        assert (site.title.text(), site.body.text(), site.until.text()) == (title, body, note)
        assert "111" in site.help.text() and not site.ask_button.isVisible()
        assert clipped(site) == []
        if lang == "vi":
            assert english_in(visible_texts(site), {"facebook.com"}) == []
        shot(site, f"privacy-reminder-1-site-{lang}")

        # Again, and another name of the same site: no second reminder.
        for name in ("facebook.com", "m.facebook.com", "www.facebook.com"):
            dns.query.udp(dns.message.make_query(name, "A"), "127.0.0.1", port=port, timeout=5)
        qtbot.wait(1500)
        child = IpcClient(agent.socket)
        try:
            sites = [n for n in child.notices_since(0) if n["kind"] == "privacy_reminder" and n["reason"] == "site"]
        finally:
            child.close()
        assert [n["target"] for n in sites] == ["facebook.com"]

        # A video-call app opens the camera: a reminder naming it.
        holder = subprocess.Popen([sys.executable, "-c", HOLDER, "videocall", str(devices / "video0")],
                                  stdout=subprocess.PIPE, text=True)
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        qtbot.waitUntil(lambda: any(w.reminder_kind == "camera" for w in reminders(companion)), timeout=15_000)
        camera = next(w for w in reminders(companion) if w.reminder_kind == "camera")
        assert camera.title.text() == load_reminders().words("camera", "15-17", lang, "videocall")[0]
        assert clipped(camera) == []
        shot(camera, f"privacy-reminder-2-camera-{lang}")

        # The parent, with the child's consent to everything proposed, receives nothing of either reminder.
        assert console.fetch_all() == []
        seen = json.dumps([console.child_items(console.kid.id), console.status(console.devices()[0]["device_id"])],
                          ensure_ascii=False)
        assert "facebook" not in seen and "videocall" not in seen and "privacy_reminder" not in seen
        # … and the agent kept the domain only, encrypted (the events the parent could read name neither).
        assert not [e for e in agent.events() if "facebook" in json.dumps(e) or "videocall" in json.dumps(e)]
    finally:
        if holder is not None:
            holder.kill()
            holder.wait(10)
        if companion is not None:
            companion.shutdown()
        close_console(console)
        next(agents, None)
        stub.stop()
    db = b"".join(p.read_bytes() for p in agent.state.glob("agent.db*"))
    assert b"facebook" not in db and b"videocall" not in db
