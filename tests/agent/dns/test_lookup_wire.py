"""`CategoryIndex.lookup_wire`, the DNS fast path's lookup for names already in wire form (lower-case ASCII, no
trailing dot): the same answer as `lookup` for every such name, listed, under a listed parent, or not listed, and
through fingerprint clashes; and the classifier's wire path uses it."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

import agent.dns.index as index_mod
from agent.dns.classifier import Classifier, WebRules
from agent.dns.index import CategoryIndex, build_index
from tests.support.dns_index_collisions import colliding_fingerprint


@pytest.fixture()
def index(tmp_path: Path) -> CategoryIndex:
    rnd = random.Random(13)
    listed = [(f"site{i}.example.com", rnd.choice(["adult", "gambling", "games"])) for i in range(3000)]
    listed += [("b.test.org", "games"), ("test.org", "social"), ("xn--bcher-kva.de", "adult"), ("co.uk", "adult")]
    build_index(listed, tmp_path / "index.bin")
    ix = CategoryIndex.open(tmp_path / "index.bin")
    yield ix
    ix.close()


def wire_names() -> list[str]:
    names = [f"site{i}.example.com" for i in range(0, 3000, 7)]
    names += [f"www.site{i}.example.com" for i in range(0, 3000, 11)]
    names += [f"site{i}.example.net" for i in range(0, 3000, 13)]  # not listed
    names += ["x.b.test.org", "b.test.org", "x.test.org", "test.org", "org", "com", "xn--bcher-kva.de",
              "www.xn--bcher-kva.de", "a.co.uk", "co.uk", "uk", "under_score.test.org", "-", "a", "a.b", "x" * 63 + ".org"]
    return names


def test_lookup_wire_answers_as_lookup(index: CategoryIndex) -> None:
    names = wire_names()
    assert [index.lookup_wire(n) for n in names] == [index.lookup(n) for n in names]
    assert index.lookup_wire("x.b.test.org") == "games" and index.lookup_wire("x.test.org") == "social"
    assert sum(index.lookup_wire(n) is not None for n in names) > 400  # the sample is not all misses


def test_lookup_wire_through_fingerprint_clashes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index_mod, "fingerprint", colliding_fingerprint)
    listed = [(f"listed{i}.example", "adult") for i in range(50)] + [("school.example", "games")]
    build_index(listed, tmp_path / "i.bin")
    with CategoryIndex.open(tmp_path / "i.bin") as ix:
        names = [f"listed{i}.example" for i in range(50)] + ["www.school.example"]
        names += [f"innocent{i}.example" for i in range(500)]
        assert [ix.lookup_wire(n) for n in names] == [ix.lookup(n) for n in names]
        assert ix.lookup_wire("www.school.example") == "games" and ix.lookup_wire("innocent3.example") is None


def test_the_wire_path_uses_it_and_decides_as_classify(index: CategoryIndex) -> None:
    rules = WebRules.from_web({"blocked_categories": ["adult", "gambling"]})
    wire, general = Classifier(rules, index=index), Classifier(rules, index=index)
    assert wire._lookup == index.lookup_wire
    names = wire_names()
    assert [wire.classify_wire(n) for n in names] == [general.classify(n) for n in names]
