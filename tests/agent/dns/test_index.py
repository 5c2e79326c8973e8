"""The compact category index: normalisation, suffix matching, collisions, and damaged files."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from agent.dns import index as index_mod
from agent.dns.index import CategoryIndex, DomainError, IndexFileError, build_index, normalize_domain
from tests.support.dns_index_collisions import colliding_fingerprint


@pytest.mark.parametrize(("text", "expected"), [
    ("Example.COM", "example.com"),
    ("example.com.", "example.com"),
    ("  www.example.com \n", "www.example.com"),
    ("bücher.de", "xn--bcher-kva.de"),
    ("ví-dụ.vn", "xn--v-d-rma6749a.vn"),
    ("_dmarc.example.com", "_dmarc.example.com"),
])
def test_normalize_accepts(text: str, expected: str) -> None:
    assert normalize_domain(text) == expected


@pytest.mark.parametrize(("text", "reason"), [
    ("", "empty"),
    ("localhost", "single label"),
    ("a..com", "empty label"),
    ("-bad.com", "starts or ends with '-'"),
    ("1.2.3.4", "IP address"),
    ("http://x.com/", "URL"),
    ("ads.*.com", "wildcard"),
    ("a" * 64 + ".com", "longer than 63"),
    (("a" * 60 + ".") * 5 + "com", "longer than 253"),
    ("bad name.com", "characters not allowed"),
])
def test_normalize_rejects_with_reason(text: str, reason: str) -> None:
    with pytest.raises(DomainError, match=reason):
        normalize_domain(text)


@pytest.fixture()
def small(tmp_path: Path) -> CategoryIndex:
    stats = build_index([
        ("example.com", "adult"),
        ("test.org", "social"),
        ("b.test.org", "games"),
        ("Bücher.de", "adult"),
        ("example.com", "games"),  # listed again: the first category given wins
    ], tmp_path / "index.bin")
    assert stats.entries == 4 and stats.duplicates == 1 and stats.input_names == 5
    ix = CategoryIndex.open(tmp_path / "index.bin")
    yield ix
    ix.close()


def test_lookup_matches_name_and_parents(small: CategoryIndex) -> None:
    assert small.lookup("example.com") == "adult"
    assert small.lookup("a.b.c.example.com") == "adult"
    assert small.match("www.example.com") == ("example.com", "adult")
    assert small.lookup("EXAMPLE.com.") == "adult"
    assert small.lookup("www.bücher.de") == "adult"
    assert small.lookup("xn--bcher-kva.de") == "adult"


def test_most_specific_suffix_wins(small: CategoryIndex) -> None:
    assert small.lookup("x.test.org") == "social"
    assert small.lookup("x.b.test.org") == "games"
    assert small.match("b.test.org") == ("b.test.org", "games")


def test_unlisted_names_are_not_found(small: CategoryIndex) -> None:
    for name in ("example.org", "notexample.com", "com", "org", "", ".", "test.org.evil.net", "exam ple.com",
                 "ví-dụ.vn", "a" * 300):
        assert small.lookup(name) is None, name


def test_len_and_categories(small: CategoryIndex) -> None:
    assert len(small) == 4
    assert small.categories() == ("adult", "social", "games")


def test_build_rejects_bad_names_and_categories(tmp_path: Path) -> None:
    with pytest.raises(DomainError, match="single label"):
        build_index([("localhost", "adult")], tmp_path / "i.bin")
    with pytest.raises(DomainError, match="category 'Bad Cat'"):
        build_index([("a.com", "Bad Cat")], tmp_path / "i.bin")
    assert not (tmp_path / "i.bin").exists()


def test_nine_bytes_per_name(tmp_path: Path) -> None:
    n = 30_000
    stats = build_index(((f"host{i}.site{i % 97}.com", "adult") for i in range(n)), tmp_path / "i.bin")
    fixed = 32 + 4 * 65537 + 16 + 4 * 8 + 200  # header, directory, checksum, padding, metadata
    assert stats.entries == n
    assert stats.size_bytes <= 9 * n + fixed
    with CategoryIndex.open(tmp_path / "i.bin") as ix:
        assert all(ix.lookup(f"www.host{i}.site{i % 97}.com") == "adult" for i in range(0, n, 7))
        assert ix.lookup("host1.site2.com") is None


def test_the_fingerprint_is_xxh3_64_as_its_specification_freezes_it() -> None:
    # The published XXH3_64bits value of the empty input (xxHash 0.8): a shipped index stays readable only while
    # every agent computes the same fingerprint, whatever version of the package it has.
    assert index_mod.fingerprint(b"") == 0x2D06800538D394C2
    assert index_mod.fingerprint(b"example.com") != index_mod.fingerprint(b"example.org")


def test_fingerprint_clash_never_blocks_an_innocent_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index_mod, "fingerprint", colliding_fingerprint)
    listed = [(f"listed{i}.example", "adult") for i in range(50)] + [("school.example", "games")]
    stats = build_index(listed, tmp_path / "i.bin")
    assert stats.fingerprint_collisions == 50  # 51 names on one bucket + key
    with CategoryIndex.open(tmp_path / "i.bin") as ix:
        assert ix.lookup("listed7.example") == "adult"
        assert ix.lookup("www.school.example") == "games"
        # Sharing bucket and key with all 51, an unlisted name is found only when its 16-bit check also equals one
        # of theirs (51 in 65,536: about 1.6 of 2,000), never by the clash alone.
        listed_checks = {colliding_fingerprint(n.encode()) for n, _ in listed}
        innocent = [f"innocent{i}.example" for i in range(2000)] + ["wikipedia.org", "essex.ac.uk"]
        same_check = {n for n in innocent if colliding_fingerprint(n.encode()) in listed_checks}
        assert {n for n in innocent if ix.lookup(n) is not None} == same_check
        assert len(same_check) < 10 and ix.lookup("wikipedia.org") is None and ix.lookup("essex.ac.uk") is None


def test_truncated_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "cut.bin"
    build_index([("a.com", "adult")], path)
    data = path.read_bytes()
    path.write_bytes(data[:-100])
    with pytest.raises(IndexFileError, match=rf"{path}.*truncated"):
        CategoryIndex.open(path)
    path.write_bytes(data[:10])
    with pytest.raises(IndexFileError, match=rf"{path}.*not a Sprout category index"):
        CategoryIndex.open(path)


def test_corrupt_byte_fails_the_checksum(tmp_path: Path) -> None:
    path = tmp_path / "bad.bin"
    build_index([(f"n{i}.com", "adult") for i in range(100)], path)
    data = bytearray(path.read_bytes())
    data[len(data) - 40] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(IndexFileError, match=rf"{path}.*checksum"):
        CategoryIndex.open(path)


def test_foreign_file_and_future_version(tmp_path: Path) -> None:
    path = tmp_path / "x.bin"
    path.write_bytes(b"hello world, not an index" * 10)
    with pytest.raises(IndexFileError, match="wrong magic"):
        CategoryIndex.open(path)
    build_index([("a.com", "adult")], path)
    data = bytearray(path.read_bytes())
    data[8] = 9
    path.write_bytes(bytes(data))
    with pytest.raises(IndexFileError, match="format version 9"):
        CategoryIndex.open(path)


def test_failed_build_keeps_the_previous_index(tmp_path: Path) -> None:
    path = tmp_path / "index.bin"
    build_index([("kept.com", "adult")], path)
    before = path.read_bytes()

    def broken() -> object:
        yield ("new.com", "adult")
        raise OSError("disk went away")

    with pytest.raises(OSError):
        build_index(broken(), path)
    with pytest.raises(DomainError):
        build_index([("fine.com", "adult"), ("not a name", "adult")], path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["index.bin"]  # no temp files left behind


def test_empty_index_works(tmp_path: Path) -> None:
    build_index([], tmp_path / "e.bin")
    with CategoryIndex.open(tmp_path / "e.bin") as ix:
        assert len(ix) == 0 and ix.lookup("a.com") is None and ix.categories() == ()


def test_progress_is_reported(tmp_path: Path) -> None:
    calls: list[int] = []
    build_index(((f"h{i}.com", "adult") for i in range(250_000)), tmp_path / "p.bin",
                progress=lambda done, _total: calls.append(done))
    assert calls == [100_000, 200_000]


def test_hand_made_file_with_a_valid_checksum_but_unknown_category(tmp_path: Path) -> None:
    path = tmp_path / "forged.bin"
    build_index([("a.com", "adult")], path)
    data = bytearray(path.read_bytes())
    cats_at = len(data) - 16 - 8  # the one category byte sits in the last 8-byte block before the checksum
    assert data[cats_at] == 0
    data[cats_at] = 7
    data[-16:] = hashlib.blake2b(bytes(data[:-16]), digest_size=16).digest()
    path.write_bytes(bytes(data))
    with pytest.raises(IndexFileError, match=rf"{path}.*category ids"):
        CategoryIndex.open(path)
