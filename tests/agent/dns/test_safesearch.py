"""SafeSearch tables beyond Google/Bing/DuckDuckGo/YouTube: engines that follow the parent's one SafeSearch switch
("safesearch.any"), and engines whose safe mode DNS cannot force, blocked while SafeSearch is on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent.dns.blockpage import render_page
from agent.dns.classifier import BLOCK, REWRITE, Classifier, WebRules
from agent.dns.safesearch import SafeSearch, SafeSearchError, default_safesearch

ON = {"google": True, "bing": True, "duckduckgo": True}
OFF = {"google": False, "bing": False, "duckduckgo": False}


def decide(name: str, safesearch: dict) -> tuple[str, str]:
    clf = Classifier(WebRules.from_web({"safesearch": safesearch, "youtube": "off"}), safesearch=default_safesearch())
    d = clf.classify(name)
    return d.verdict, d.reason


def test_every_engine_a_child_may_use_has_a_table() -> None:
    assert {"google", "bing", "duckduckgo", "youtube", "yandex", "yahoo", "brave", "ecosia", "coccoc"} <= set(
        default_safesearch().engines())


@pytest.mark.parametrize(("name", "verdict"), [
    ("yandex.ru", REWRITE), ("www.yandex.com.tr", REWRITE), ("search.yahoo.com", BLOCK),
    ("vn.search.yahoo.com", BLOCK), ("search.brave.com", BLOCK), ("www.ecosia.org", BLOCK), ("coccoc.com", BLOCK),
    ("ipv6.google.com", REWRITE), ("encrypted.google.com", REWRITE),
])
def test_other_engines_follow_the_safesearch_switch(name: str, verdict: str) -> None:
    assert decide(name, ON)[0] == verdict
    assert decide(name, OFF) == ("allow", "default")


def test_block_tables_match_subdomains_only_where_they_say_so() -> None:
    assert decide("update.coccoc.com", ON)[0] == "allow"  # exact names: the Cốc Cốc browser keeps updating
    assert decide("a.b.search.yahoo.com", ON)[0] == BLOCK  # suffixes: every country's Yahoo search
    assert decide("mail.yahoo.com", ON)[0] == "allow"


def test_the_block_page_explains_a_blocked_engine_kindly() -> None:
    clf = Classifier(WebRules.from_web({"safesearch": ON}), safesearch=default_safesearch())
    page = render_page("search.brave.com", clf.classify("search.brave.com"))
    assert "cannot be kept in safe mode" in page and "không giữ được chế độ tìm kiếm an toàn" in page


def test_a_bad_block_table_is_reported_with_its_field(tmp_path: Path) -> None:
    (tmp_path / "x.json").write_text(json.dumps({"schema": 1, "engine": "x", "policy": "safesearch.any",
                                                 "block": "yes", "domains": ["x.test"]}))
    with pytest.raises(SafeSearchError, match="x.json: block: must be true or false"):
        SafeSearch.from_folder(tmp_path)
    (tmp_path / "x.json").write_text(json.dumps({"schema": 1, "engine": "x", "policy": "safesearch.x",
                                                 "target": "safe.x.test", "suffixes": ["x.test"]}))
    with pytest.raises(SafeSearchError, match="x.json: suffixes: only a block table"):
        SafeSearch.from_folder(tmp_path)
