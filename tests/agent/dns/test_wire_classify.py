"""The unique-name fast path (issue 13): `Classifier.classify_wire`, the index's lean lookup and SafeSearch's
suffix test give exactly the decisions of the general path, for every kind of name the wire parser lets through."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from agent.dns.classifier import Classifier, SeedIndex, WebRules, _suffixes
from agent.dns.fastpath import parse_query
from agent.dns.filter_setup import build_filter
from agent.dns.index import CategoryIndex, build_index
from agent.dns.safesearch import default_safesearch

NAMES = ["pornhub.com", "www.pornhub.com", "-x.pornhub.com", "x-.pornhub.com", "a.-b.example.com",
         "a.b-.example.com", "_dmarc.example.com", "google.com", "www.google.com.vn", "vn.search.yahoo.com",
         "search.yahoo.com", "yahoo.com", "coccoc.com", "someblog.blogspot.de", "use-application-dns.net",
         "mask.icloud.com", "wikipedia.org", "sex.wikipedia.org", "hotsexvideos.net", "fb88vip.com", "com",
         "a" * 63 + ".com", "x.y.z.w.example.org", "essex.ac.uk", "tongdai111.vn"]


def _query(name: str) -> bytes:
    wire = b"".join(bytes([len(label)]) + label.encode() for label in name.split(".")) + b"\x00"
    return b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00" + wire + b"\x00\x01\x00\x01"


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> CategoryIndex:
    path = tmp_path_factory.mktemp("wire") / "index.bin"
    build_index([("pornhub.com", "adult"), ("someblog.blogspot.com", "adult"), ("fb88.com", "gambling"),
                 ("wikipedia.org", "reference")], path)
    with CategoryIndex.open(path) as ix:
        yield ix


@pytest.mark.parametrize("web", [{"blocked_categories": ["adult", "gambling"], "safesearch": {"google": True}},
                                 {"blocked_categories": ["adult"], "deny": ["wikipedia.org"],
                                  "allow": ["essex.ac.uk"]}])
def test_wire_names_get_the_decisions_of_the_general_path(index: CategoryIndex, web: dict) -> None:
    general, wire = build_filter(web, index), build_filter(web, index)
    for name in NAMES:
        parsed = parse_query(_query(name))
        if parsed is None:
            continue  # a shape the dnslib path takes (and classifies with `classify`)
        assert parsed[0] == name
        assert wire.classify_wire(name) == general.classify(name), name
        assert wire.classify_wire(name) == general.classify(name), name  # and again from the memo


def test_a_leading_or_trailing_hyphen_still_gets_nxdomain_on_the_wire_path() -> None:
    clf = Classifier(WebRules.from_web({"blocked_categories": ["adult"]}), index=SeedIndex({"pornhub.com": "adult"}))
    for name in ("-x.pornhub.com", "x-.pornhub.com", "a.-b.pornhub.com"):
        decision = clf.classify_wire(name)
        assert (decision.verdict, decision.reason) == ("nxdomain", "invalid-name"), name
        assert name not in clf._memo  # junk never fills the memo


def test_lean_index_lookup_matches_the_listed_suffix(index: CategoryIndex) -> None:
    assert index.match("a.b.pornhub.com") == ("pornhub.com", "adult")
    assert index.match("WWW.PornHub.COM.") == ("pornhub.com", "adult")
    assert index.match("notpornhub.com") is None and index.match("com") is None and index.match("") is None
    rng = random.Random(4)
    for _ in range(2000):
        name = "".join(rng.choice("abcdefghij.-") for _ in range(rng.randrange(3, 30))).strip(".-") + ".org"
        assert index.match(name) is None or index.match(name)[0] in {"wikipedia.org"}


def test_safesearch_with_the_callers_suffixes_is_the_same_answer() -> None:
    ss = default_safesearch()
    web = {"safesearch": {"google": True, "bing": True, "duckduckgo": True}, "youtube": "strict"}
    for name in [*NAMES, "uk.search.yahoo.com", "a.b.search.yahoo.com", "www.youtube.com", "m.youtube.com"]:
        assert ss.rewrite(name, web, _suffixes(name)) == ss.rewrite(name, web), name


def test_the_shipped_large_list_answers_the_same_through_both_paths(tmp_path: Path) -> None:
    from agent.dns.filter_setup import FilterSources, open_category_index

    clf_a = build_filter({"blocked_categories": ["adult"]}, open_category_index(FilterSources()))
    clf_b = build_filter({"blocked_categories": ["adult"]}, open_category_index(FilterSources()))
    for name in ("xvideos.com", "www.xvideos.com", "cdn.xhamster.com", "khanacademy.org", "vuihoc.vn",
                 "raspberrypi.org", "example.com"):
        assert clf_a.classify_wire(name) == clf_b.classify(name), name


def test_the_tail_shortcut_decides_as_the_whole_chain(index: CategoryIndex) -> None:
    """A name whose last two labels end no allow, deny, SafeSearch, canary or child-friendly entry skips those
    steps; with the shortcut off (every step tried) the decisions are the same."""
    from agent.dns.filter_setup import child_friendly

    web = {"blocked_categories": ["adult", "gambling", "bypass"], "allow": ["essex.ac.uk", "good.example.com"],
           "deny": ["bad.example.org", "fb88.com"], "safesearch": {"google": True, "bing": True}, "youtube": "strict"}
    fast, whole = build_filter(web, index), build_filter(web, index)
    whole._special_tails = None
    assert fast._special_tails is not None and "example.com" in fast._special_tails
    rng = random.Random(11)
    names = [*NAMES, "good.example.com", "x.good.example.com", "other.example.com", "bad.example.org",
             "www.bad.example.org", "fb88.com", "m.fb88.com", "www.google.co.uk", "uk.search.yahoo.com",
             "www.youtube.com", "vuihoc.vn", "www.vuihoc.vn", "mask-h2.icloud.com", "x.use-application-dns.net",
             *sorted(child_friendly())[:200]]
    names += ["".join(rng.choice("abcxyz") for _ in range(rng.randrange(1, 8))) + rng.choice(
        [".com", ".example.com", ".yahoo.com", ".google.com", ".edu.vn", ".org", ".blogspot.de"]) for _ in range(3000)]
    for name in names:
        assert fast.classify(name) == whole.classify(name), name


def test_names_under_country_tails_of_google_take_the_shortcut_only_when_no_entry_can_match(
        index: CategoryIndex) -> None:
    """Google's country domains put tails such as co.uk and com.br among the special ones; a name under such a
    tail still skips the allow/deny/SafeSearch steps when its last three labels end no entry, and decides as the
    whole chain does, on the wire path and the general one."""
    web = {"blocked_categories": ["adult", "gambling"], "allow": ["essex.ac.uk", "kids.co.uk"],
           "deny": ["bad.com.br"], "safesearch": {"google": True, "bing": True}}
    fast, whole = build_filter(web, index), build_filter(web, index)
    whole._special_tails = None
    assert "co.uk" in fast._special_tails and "google.co.uk" in fast._special_triples | fast._special_pairs
    assert fast._plain("pornhub.co.uk") and fast._plain("www.pornhub.co.uk") and fast._plain("co.uk")
    for name in ("google.co.uk", "www.google.co.uk", "kids.co.uk", "a.kids.co.uk", "bad.com.br", "x.bad.com.br",
                 "essex.ac.uk", "www.essex.ac.uk", "www.google.com.br"):
        assert not fast._plain(name), name
    rng = random.Random(12)
    names = ["co.uk", "com.br", "google.co.uk", "kids.co.uk", "bad.com.br", "essex.ac.uk", "ac.uk"]
    for _ in range(3000):
        label = "".join(rng.choice("abcgoxyz") for _ in range(rng.randrange(1, 7)))
        names.append(label + rng.choice([".co.uk", ".com.br", ".google.co.uk", ".www.google.co.uk", ".ac.uk",
                                         ".essex.ac.uk", ".kids.co.uk", ".bad.com.br", ".google.com.br", ""]))
    for name in names:
        assert fast.classify(name) == whole.classify(name), name
        if parse_query(_query(name)) is not None:
            assert fast.classify_wire(name) == whole.classify(name), name
