"""The decision chain, the SafeSearch tables and the classify command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent.cli import main
from agent.dns.classifier import (
    ALLOW,
    BLOCK,
    NXDOMAIN,
    REWRITE,
    Classifier,
    SeedIndex,
    WebRules,
    WebRulesError,
    normalize_qname,
)
from agent.dns.keywords import keyword_category
from agent.dns.safesearch import SafeSearch, SafeSearchError, default_safesearch

INDEX = SeedIndex({"casino.test": "gambling", "games.test": "games", "google.com": "search",
                   "use-application-dns.net": "bypass"})


def rules(**web) -> WebRules:
    base = {"blocked_categories": ["gambling", "adult"], "allow": [], "deny": [],
            "safesearch": {"google": True, "bing": True, "duckduckgo": True}, "youtube": "strict"}
    base.update(web)
    return WebRules.from_web(base)


def decide(name: str, **web) -> tuple[str, str | None, str | None, str]:
    d = Classifier(rules(**web), index=INDEX, keywords=keyword_category).classify(name)
    return d.verdict, d.category, d.target, d.reason


def test_the_chain_in_order() -> None:
    assert decide("casino.test") == (BLOCK, "gambling", None, "list")
    assert decide("a.b.casino.test") == (BLOCK, "gambling", None, "list")
    assert decide("casino.test", allow=["casino.test"]) == (ALLOW, "gambling", None, "allowlist")
    # allow beats deny, deny beats SafeSearch, SafeSearch beats the lists, canaries beat the lists
    assert decide("x.casino.test", allow=["casino.test"], deny=["x.casino.test"])[0] == ALLOW
    assert decide("www.google.com", deny=["google.com"])[:2] == (BLOCK, "search")
    assert decide("google.com") == (REWRITE, None, "forcesafesearch.google.com", "safesearch:google")
    assert decide("use-application-dns.net") == (NXDOMAIN, "bypass", None, "canary")
    assert decide("games.test") == (ALLOW, "games", None, "default")  # listed, category not blocked
    assert decide("games.test", blocked_categories=["games"])[0] == BLOCK
    assert decide("wikipedia.org") == (ALLOW, None, None, "default")


def test_allow_and_deny_entries_match_subdomains_not_lookalikes() -> None:
    assert decide("en.m.wikipedia.org", deny=["wikipedia.org"])[0] == BLOCK
    assert decide("notwikipedia.org", deny=["wikipedia.org"])[0] == ALLOW
    assert decide("wikipedia.org.evil.test", deny=["wikipedia.org"])[0] == ALLOW
    assert decide("WWW.Wikipedia.ORG.", deny=["wikipedia.org"])[0] == BLOCK  # case and root dot


def test_keywords_only_for_unlisted_names_and_blocked_categories() -> None:
    assert decide("hotsexvideos.test") == (BLOCK, "adult", None, "keyword")
    assert decide("hotsexvideos.test", blocked_categories=["gambling"])[0] == ALLOW
    assert decide("essex.ac.uk")[0] == ALLOW  # the keyword model's false-positive guard
    assert decide("expertsexchange.com")[0] == ALLOW


def test_safesearch_levels_and_switches() -> None:
    assert decide("www.youtube.com")[2] == "restrict.youtube.com"
    assert decide("youtubei.googleapis.com", youtube="moderate")[2] == "restrictmoderate.youtube.com"
    assert decide("www.youtube.com", youtube="off")[0] == ALLOW
    assert decide("www.bing.com")[2] == "strict.bing.com"
    assert decide("duckduckgo.com")[2] == "safe.duckduckgo.com"
    assert decide("www.google.com.vn", safesearch={"google": False, "bing": True, "duckduckgo": True})[0] == ALLOW
    assert decide("mail.google.com")[0] == ALLOW  # only search names are rewritten


def test_canaries_are_exact_names() -> None:
    for name in ("use-application-dns.net", "mask.icloud.com", "mask-h2.icloud.com"):
        assert decide(name)[0] == NXDOMAIN
    assert decide("www.icloud.com")[0] == ALLOW


def test_google_table_covers_country_domains() -> None:
    table = next(t for t in default_safesearch().tables if t.engine == "google")
    for name in ("www.google.com", "google.com", "www.google.com.vn", "www.google.co.uk", "www.google.de",
                 "google.co.jp", "www.google.com.au"):
        assert name in table.domains
    assert len(table.domains) > 300


def test_invalid_names_are_never_forwarded() -> None:
    assert normalize_qname("bad name.test") is None
    assert decide("bad\\032name.test") == (NXDOMAIN, None, None, "invalid-name")
    # under a listed domain, the report still says which kind of site was tried
    assert decide("-x.casino.test") == (NXDOMAIN, "gambling", None, "invalid-name")
    assert decide(".") == (ALLOW, None, None, "root")
    assert normalize_qname("_dmarc.example.com") == "_dmarc.example.com"


@pytest.mark.parametrize(("web", "message"), [
    ({"blocked_categories": "adult"}, "web.blocked_categories: must be a list"),
    ({"allow": ["Wikipedia.org"]}, "web.allow[0]: must be a lower-case domain"),
    ({"deny": ["ok.test", 5]}, "web.deny[1]: must be"),
    ({"safesearch": {"yahoo": True}}, "web.safesearch.yahoo: unknown engine"),
    ({"safesearch": {"google": "yes"}}, "web.safesearch.google: must be true or false"),
    ({"youtube": "on"}, "web.youtube: must be one of off, moderate, strict"),
    ({"typo": 1}, "web.typo: unknown field"),
])
def test_web_rules_errors_name_the_field(web: dict, message: str) -> None:
    with pytest.raises(WebRulesError, match=message.replace("[", r"\[").replace("]", r"\]")):
        WebRules.from_web(web)


def test_broken_safesearch_tables_are_reported_with_file_and_field(tmp_path: Path) -> None:
    (tmp_path / "x.json").write_text(json.dumps({"schema": 1, "engine": "x", "policy": "safesearch.x",
                                                 "target": "safe.x.test", "domains": ["x.test", "BAD"]}))
    with pytest.raises(SafeSearchError, match=r"x.json: domains\[1\]"):
        SafeSearch.from_folder(tmp_path)
    (tmp_path / "x.json").write_text("{not json")
    with pytest.raises(SafeSearchError, match="x.json: not valid UTF-8 JSON"):
        SafeSearch.from_folder(tmp_path)
    (tmp_path / "x.json").write_text(json.dumps({"schema": 1, "engine": "x", "policy": "safesearch.x",
                                                 "target": "x.test", "domains": ["x.test"]}))
    with pytest.raises(SafeSearchError, match="contains its own target"):
        SafeSearch.from_folder(tmp_path)


def test_seed_index_from_shipped_lists() -> None:
    index = SeedIndex.from_shipped()
    assert len(index) > 100
    assert index.lookup("www.bet365.com") == "gambling"
    assert index.lookup("example.org") is None


def test_classify_command_prints_tab_separated_lines(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["classify", "www.bet365.com", "wikipedia.org", "google.com", "mask.icloud.com",
                 "MINECRAFT.net"]) == 0
    lines = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert lines == [["www.bet365.com", "block", "gambling"], ["wikipedia.org", "allow", "-"],
                     ["google.com", "rewrite", "-"], ["mask.icloud.com", "block", "bypass"],
                     ["minecraft.net", "allow", "games"]]
    assert main(["classify", "--all-categories", "minecraft.net"]) == 0
    assert capsys.readouterr().out == "minecraft.net\tblock\tgames\n"


def test_classify_command_with_a_policy_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    policy = tmp_path / "p.json"
    policy.write_text(json.dumps({"schema": 2, "version": 1, "web": {"blocked_categories": [],
                                  "allow": ["bet365.com"], "deny": ["wikipedia.org"]}}))
    assert main(["classify", "--policy", str(policy), "www.bet365.com", "wikipedia.org", "google.com"]) == 0
    assert capsys.readouterr().out.splitlines() == ["www.bet365.com\tallow\tgambling",
                                                    "wikipedia.org\tblock\t-", "google.com\tallow\t-"]


@pytest.mark.parametrize(("argv", "message"), [
    (["classify", "not a name"], "DOMAIN 'not a name' (argument 1): not a domain name"),
    (["classify", "ok.test", "localhost"], "DOMAIN 'localhost' (argument 2)"),
    (["classify", "--policy", "/nonexistent.json", "a.test"], "--policy /nonexistent.json: cannot read"),
])
def test_classify_command_mistakes(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert message in captured.err and captured.out == "" and "Traceback" not in captured.err


def test_classify_command_rejects_a_bad_policy_with_its_field(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    policy = tmp_path / "p.json"
    policy.write_text(json.dumps({"schema": 2, "version": 1, "web": {"youtube": "always"}}))
    assert main(["classify", "--policy", str(policy), "a.test"]) == 2
    assert "web.youtube" in capsys.readouterr().err
    policy.write_text("{broken")
    assert main(["classify", "--policy", str(policy), "a.test"]) == 2
    assert "json line 1" in capsys.readouterr().err


def test_the_chain_over_a_real_compact_index(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from agent.dns.index import CategoryIndex, build_index

    path = tmp_path / "categories.idx"
    build_index([("casino-real.test", "gambling"), ("tube.test", "video"), ("b.adult-real.test", "adult")], path)
    with CategoryIndex.open(path) as index:
        classifier = Classifier(rules(), index=index)
        assert classifier.classify("www.casino-real.test").verdict == BLOCK
        assert classifier.classify("a.b.adult-real.test").category == "adult"
        assert classifier.classify("adult-real.test").verdict == ALLOW  # only b.adult-real.test is listed
        assert classifier.classify("tube.test") == classifier.classify("tube.test")
        assert classifier.classify("tube.test").category == "video"
    assert main(["classify", "--index", str(path), "m.casino-real.test", "tube.test"]) == 0
    assert capsys.readouterr().out.splitlines() == ["m.casino-real.test\tblock\tgambling", "tube.test\tallow\tvideo"]


def test_a_corrupt_index_is_one_clear_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "broken.idx"
    path.write_bytes(b"SPROUTIX" + b"\0" * 100)
    assert main(["classify", "--index", str(path), "a.test"]) == 2
    err = capsys.readouterr().err
    assert f"--index {path}: cannot open" in err and "Traceback" not in err and err.count("\n") == 1


def test_classify_with_a_list_store_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from agent.dns.liststore import ListStore

    plain = tmp_path / "extra.txt"
    plain.write_text("newcasino.test\n")
    store = tmp_path / "state"
    ListStore(store).import_file(plain, "domains", "gambling")
    assert main(["classify", "--lists", str(store), "www.newcasino.test", "www.bet365.com"]) == 0
    assert capsys.readouterr().out.splitlines() == ["www.newcasino.test\tblock\tgambling",
                                                    "www.bet365.com\tblock\tgambling"]
    assert main(["classify", "--lists", str(tmp_path / "nope"), "a.test"]) == 2
    assert "--lists" in capsys.readouterr().err


def test_equal_decisions_are_one_object_and_the_memo_is_bounded() -> None:
    names = {f"n{i}.test": "gambling" for i in range(50)}
    clf = Classifier(WebRules.from_web({"blocked_categories": ["gambling"]}), index=SeedIndex(names), memo_size=10)
    decisions = [clf.classify(name) for name in names]
    assert all(d.verdict == "block" and d.category == "gambling" and d.reason == "list" for d in decisions)
    assert len({id(d) for d in decisions}) == 1  # a million names on one list share one Decision
    assert 1 <= len(clf._memo) <= 10  # emptied when full: 50 names never hold more than 10
    assert clf.classify("other.test") is not decisions[0]
