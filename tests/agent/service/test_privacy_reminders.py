"""Reminders where private information goes out: the words as data (resources/privacy-reminders), the registrable
domain, the service's once-per-site book and rate limit over the real core and encrypted store, the DNS filter's
hook on real loopback DNS (allowed, never blocked by it), and what the parent sees of it (nothing)."""

from __future__ import annotations

import copy
import json
import threading
from types import SimpleNamespace

import dns.message
import dns.query
import pytest

from agent.dns.registrable import registrable_domain
from agent.service.privacy_reminders import KEY, PrivacyReminders, ReminderBook, SiteWatch
from agent.service.web_filter import start_web_filter
from agent.skills.kit import BANDS, LANGS
from agent.skills.reminders import KINDS, check_reminders, default_path, load_reminders
from tests.support.agent_core import Tick, core  # noqa: F401  (core is a fixture)
from tests.support.dns_stub import StubUpstream, stub_address


# ---- the words, as data ------------------------------------------------------------------------------------
def own_doc() -> dict:
    return json.loads(default_path().read_text("utf-8"))


def test_sprouts_own_words_load_for_every_band_kind_and_language():
    words = load_reminders()
    assert words.problems == []
    assert {"social", "chat-strangers"} <= words.site_categories
    for band in BANDS:
        for kind in KINDS:
            for lang in LANGS:
                title, body, note = words.words(kind, band, lang, "example.com" if kind == "site" else "Zoom")
                assert title and body and note
                assert "{" not in title + body  # every placeholder filled
                assert len(body) <= 260
    # Worded by age: no two bands say a site's reminder the same way.
    assert len({words.words("site", band, "en", "x.com")[1] for band in BANDS}) == 4
    assert "x.com" in words.words("site", "6-8", "vi", "x.com")[1]


@pytest.mark.parametrize(("change", "expected"), [
    (lambda d: d["bands"].pop("12-14"), "bands: missing '12-14'"),
    (lambda d: d["bands"]["6-8"]["site"]["body"].update(vi="Trên {url}, con nhé"),
     "bands.6-8.site.body.vi: unknown placeholder 'url' (allowed here: {site})"),
    (lambda d: d["bands"]["9-11"]["camera"]["title"].update(en="{site} uses the camera"),
     "bands.9-11.camera.title.en: unknown placeholder 'site' (allowed here: {app})"),
    (lambda d: d["bands"]["15-17"]["microphone"]["body"].update(en="a { brace"),
     "bands.15-17.microphone.body.en: a brace without its pair"),
    (lambda d: d["bands"]["6-8"]["site"]["title"].update(en=""), "bands.6-8.site.title.en: must not be empty"),
    (lambda d: d.update(site_categories=[]), "site_categories: needs at least 1 item"),
])
def test_a_bad_file_is_refused_with_the_path_and_the_reason(change, expected):
    doc = own_doc()
    change(doc)
    problems = check_reminders(doc)
    assert any(p.startswith(expected) for p in problems), problems


def test_a_device_makers_words_are_used_and_a_broken_file_named_not_fatal(tmp_path):
    doc = own_doc()
    doc["reminders"] = "school-a"
    doc["bands"]["9-11"]["site"]["title"]["en"] = "Careful on {site}!"
    good = tmp_path / "school.json"
    good.write_text(json.dumps(doc), "utf-8")
    assert load_reminders(good).words("site", "9-11", "en", "x.com")[0] == "Careful on x.com!"
    broken = copy.deepcopy(doc)
    broken["bands"]["9-11"]["site"]["title"]["en"] = "Careful on {url}!"
    bad = tmp_path / "broken.json"
    bad.write_text(json.dumps(broken), "utf-8")
    words = load_reminders(bad)
    assert words.problems and str(bad) in words.problems[0] and "unknown placeholder 'url'" in words.problems[0]
    assert words.words("site", "9-11", "en", "x.com")[0] == load_reminders().words("site", "9-11", "en", "x.com")[0]
    (tmp_path / "junk.json").write_text("{not json", "utf-8")
    assert load_reminders(tmp_path / "junk.json").problems[0].startswith(f"{tmp_path / 'junk.json'}: (file):")


@pytest.mark.parametrize(("name", "domain"), [
    ("www.facebook.com", "facebook.com"), ("M.Facebook.COM.", "facebook.com"), ("a.b.com.vn", "b.com.vn"),
    ("someone.github.io", "github.io"), ("omegle.com", "omegle.com"), ("com.vn", None), ("localhost", None),
    ("", None), ("a..b.com", None),
])
def test_only_the_registrable_domain_is_kept(name, domain):
    assert registrable_domain(name) == domain


# ---- the service: once per site, rate-limited, remembered encrypted, nothing to the parent -------------------
def set_age(core, birth_year: int, allow_social: bool = True) -> None:
    doc = copy.deepcopy(core.policy_doc)
    doc["version"] += 1
    doc["child"] = {"name": "Lan", "birth_year": birth_year}
    if allow_social:
        doc["web"]["blocked_categories"] = [c for c in doc["web"]["blocked_categories"] if c != "social"]
    core.apply_policy(doc)


def reminders_posted(core) -> list[dict]:
    return [n for n in core.notices_since(0) if n["kind"] == "privacy_reminder"]


def test_the_first_visit_gets_one_reminder_in_the_childs_band(core):
    clock = Tick()
    set_age(core, 2016)
    reminders = PrivacyReminders(core, clock=clock)
    assert reminders.site("www.facebook.com", "social")
    clock.now += 3600
    assert not reminders.site("m.facebook.com", "social")  # the same site: once
    [notice] = reminders_posted(core)
    assert notice["target"] == "facebook.com" and notice["reason"] == "site" and notice["category"] == "social"
    assert notice["band"] == "9-11"


@pytest.mark.parametrize(("birth_year", "band"), [(2019, "6-8"), (2016, "9-11"), (2013, "12-14"), (2010, "15-17")])
def test_the_band_follows_the_childs_age(core, birth_year, band):
    set_age(core, birth_year)
    PrivacyReminders(core).site("omegle.com", "chat-strangers")
    assert reminders_posted(core)[0]["band"] == band


def test_a_page_load_of_one_site_family_is_one_reminder_and_a_spree_is_rate_limited(core):
    clock = Tick()
    reminders = PrivacyReminders(core, clock=clock, burst=2, per_s=1 / 600, merge_s=30)
    assert reminders.site("facebook.com", "social")
    assert not reminders.site("fbcdn.net", "social")  # same category within 30 s: remembered, no second notice
    assert reminders.book.seen("site", "fbcdn.net")
    clock.now += 60
    assert reminders.site("omegle.com", "chat-strangers")
    clock.now += 60
    assert not reminders.site("tiktok.com", "social")  # the bucket is empty: refused …
    assert not reminders.book.seen("site", "tiktok.com")  # … and not remembered, so a later visit brings it
    clock.now += 600
    assert reminders.site("tiktok.com", "social")
    assert [n["target"] for n in reminders_posted(core)] == ["facebook.com", "omegle.com", "tiktok.com"]


def test_the_book_survives_a_restart_encrypted_and_keeps_only_domains(core, tmp_path):
    reminders = PrivacyReminders(core)
    reminders.site("www.instagram.com", "social")
    reminders.app("zoom", "camera")
    raw = json.loads(core.store.kv_get(KEY))
    assert raw == {"sites": ["instagram.com"], "apps": ["camera:zoom"]}
    db = b"".join(p.read_bytes() for p in (tmp_path / "state").glob("agent.db*"))
    assert b"instagram" not in db and b"zoom" not in db  # encrypted at rest
    again = PrivacyReminders(core)  # what a restarted agent reads back
    assert not again.site("instagram.com", "social") and not again.app("zoom", "camera")
    assert again.app("zoom", "microphone")  # the microphone is its own first time


def test_an_unreadable_book_starts_afresh_without_failing(core):
    core.store.kv_put(KEY, b"\xff not json")
    assert ReminderBook(core.store).sites == {}
    assert PrivacyReminders(core).site("facebook.com", "social")


def test_the_parent_sees_nothing_of_the_reminders_even_with_full_consent(core):
    set_age(core, 2012)
    core.offer_consent()
    core.parent_consent(list(core.consent.data["proposal"]["fields"]), "console")
    core.child_consent(True)
    assert core.consent.state(core.child_age()) == "both"
    before = [(o.kind, o.payload) for o in core.store.outbox_since(0, 1000)]
    events_before = len(core.store.events())
    reminders = PrivacyReminders(core)
    assert reminders.site("www.facebook.com", "social") and reminders.app("Discord", "microphone")
    core.save()
    after = [(o.kind, o.payload) for o in core.store.outbox_since(0, 1000)]
    assert after == before and len(core.store.events()) == events_before
    day = core.ledger.local_day(core.clock.now())
    text = json.dumps([core.summary(day), core.status(), core.privacy_report()["example_today"]])
    assert "facebook" not in text and "Discord" not in text and "privacy_reminder" not in text


# ---- the DNS filter: real loopback DNS, allowed and answered, the reminder off the answering path -------------
def ask(port: int, name: str, tcp: bool = False) -> dns.message.Message:
    q = dns.message.make_query(name, "A")
    return (dns.query.tcp if tcp else dns.query.udp)(q, "127.0.0.1", port=port, timeout=5)


def test_a_chat_site_is_answered_as_usual_and_reminded_once(core, tmp_path):
    set_age(core, 2010)  # 16: social and chat-strangers allowed by the family (chat-strangers by hand here)
    doc = copy.deepcopy(core.policy_doc)
    doc["version"] += 1
    doc["web"]["blocked_categories"] = [c for c in doc["web"]["blocked_categories"] if c != "chat-strangers"]
    core.apply_policy(doc)
    stub = StubUpstream().start()
    opts = SimpleNamespace(state_dir=core.opts.state_dir, dns_listen="127.0.0.1:0", dns_upstreams=[stub.address])
    stop = start_web_filter(core, opts)
    port = int((core.opts.state_dir / "dns.address").read_text().strip().rsplit(":", 1)[1])
    try:
        for _ in range(3):
            reply = ask(port, "www.omegle.com")
            assert reply.answer[0][0].address == stub_address("www.omegle.com")  # the upstream's answer
        assert ask(port, "omegle.com", tcp=True).answer[0][0].address == stub_address("omegle.com")
        assert ask(port, "wikipedia.org").answer  # not a watched category
        deadline = threading.Event()
        for _ in range(100):
            if reminders_posted(core):
                break
            deadline.wait(0.05)
        deadline.wait(0.3)  # anything more would have come by now
        assert [n["target"] for n in reminders_posted(core)] == ["omegle.com"]
    finally:
        stop()
        stub.stop()


def test_a_blocked_social_site_gets_the_block_notice_not_a_reminder(core):
    set_age(core, 2016, allow_social=False)  # 10: social networks blocked by default
    stub = StubUpstream().start()
    opts = SimpleNamespace(state_dir=core.opts.state_dir, dns_listen="127.0.0.1:0", dns_upstreams=[stub.address])
    stop = start_web_filter(core, opts)
    port = int((core.opts.state_dir / "dns.address").read_text().strip().rsplit(":", 1)[1])
    try:
        assert ask(port, "facebook.com").answer[0][0].address != stub_address("facebook.com")
        for _ in range(100):
            if any(n["kind"] == "web_block" for n in core.notices_since(0)):
                break
            threading.Event().wait(0.05)
        assert reminders_posted(core) == []
    finally:
        stop()
        stub.stop()


def test_a_failing_listener_never_turns_an_answer_into_an_error(core):
    from agent.dns.server import DnsFilterServer
    from agent.dns.upstream import Upstream, UpstreamPool, parse_hostport
    from agent.service.web_filter import _index, classifier_for

    set_age(core, 2010)
    stub = StubUpstream().start()
    calls: list[str] = []

    def broken(name: str, category: str) -> None:
        calls.append(name)
        raise RuntimeError("a listener's bug")

    server = DnsFilterServer(classifier_for(core.policy_doc, _index(SimpleNamespace(state_dir=core.opts.state_dir))),
                             UpstreamPool([Upstream(*parse_hostport(stub.address, 53, "up"))]), ("127.0.0.1", 0),
                             on_watched=broken, watch_categories=frozenset({"social"})).start()
    try:
        assert ask(server.address[1], "tiktok.com").answer[0][0].address == stub_address("tiktok.com")
        assert calls == ["tiktok.com"]
    finally:
        server.stop()
        stub.stop()


def test_the_site_watch_hands_each_name_over_once_and_bounds_its_queue(core):
    reminders = PrivacyReminders(core, burst=1, per_s=1e-9)
    watch = SiteWatch(reminders, max_pending=3)
    for _ in range(5):
        watch("www.facebook.com", "social")
    for i in range(10):
        watch(f"s{i}.example-social.com", "social")
    assert len(watch._pending) == 3
    watch.drain()
    assert [n["target"] for n in reminders_posted(core)] == ["facebook.com"]
    watch("s5.example-social.com", "social")  # refused by the bucket before: it may come back on a later visit
    assert len(watch._pending) == 1
