"""List importers, the list store and `sprout-agent lists`: real files in temp folders, real index files."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from agent.cli import main as cli_main
from agent.dns.importers import MAX_EXAMPLES, ImportReport, ListImportError, read_list
from agent.dns.index import FORMAT_VERSION, CategoryIndex
from agent.dns.liststore import ListStore

ROOT = Path(__file__).resolve().parents[3]


def _read(path: Path, fmt: str, category: str | None = "adult", **kw: object) -> tuple[list, ImportReport]:
    report = ImportReport(path=path, fmt=fmt)
    return list(read_list(path, fmt, category, report, **kw)), report


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_hosts_file(tmp_path: Path) -> None:
    path = _write(tmp_path / "hosts", "\ufeff# a hosts list\n127.0.0.1 localhost\n::1 ip6-localhost ip6-loopback\n"
                  "0.0.0.0 a.com B.com.   # two names\n\n0.0.0.0\n127.0.0.1 c.net\nfoo.com\n0.0.0.0 bad..name\n"
                  "fe80::1%lo0 d.org\n")
    names, report = _read(path, "hosts")
    assert names == [("a.com", "adult"), ("b.com", "adult"), ("c.net", "adult"), ("d.org", "adult")]
    assert (report.accepted, report.skipped, report.bad, report.lines) == (4, 4, 3, 10)
    assert report.bad_examples == [
        f"{path}:6: an address with no host name after it",
        f"{path}:8: 'foo.com' is not an IP address (hosts lines start with one)",
        f"{path}:9: 'bad..name' has an empty label (two dots in a row or a leading dot)",
    ]


def test_plain_domains_and_ip_lines(tmp_path: Path) -> None:
    path = _write(tmp_path / "d.txt", "example.com\n# comment\nWWW.Example.org # trailing\n10.1.2.3\n"
                  "two names.com here.com\nhttp://x.com/page\nbücher.de\n")
    names, report = _read(path, "domains", "games")
    assert [n for n, _ in names] == ["example.com", "www.example.org", "xn--bcher-kva.de"]
    assert report.categories == {"games": 3}
    assert (report.skipped, report.bad) == (2, 2)  # the comment line and the bare IP are skipped, not bad


def test_adblock_rules(tmp_path: Path) -> None:
    path = _write(tmp_path / "ab.txt", "[Adblock Plus 2.0]\n! Title: test\n||ads.example.com^\n"
                  "||track.net^$important\n||third.party^$third-party\n||x.com/path^\n@@||good.com^\n"
                  "example.com##.banner\n/banner\\d+/\n||wild.*.com^\n||plain.org\n||bad..com^\n")
    names, report = _read(path, "adblock")
    assert [n for n, _ in names] == ["ads.example.com", "track.net", "plain.org"]
    assert report.skipped == 8  # header, comment, $third-party, path, exception, cosmetic, regex, wildcard
    assert report.bad == 1 and "bad..com" in report.bad_examples[0] and report.bad_examples[0].startswith(
        f"{path}:12: ")


def test_wildcard_list(tmp_path: Path) -> None:
    path = _write(tmp_path / "w.txt", "*.casino.example\nbet.example\n.dot.example\n*.*.bad.example\n")
    names, report = _read(path, "wildcard", "gambling")
    assert [n for n, _ in names] == ["casino.example", "bet.example", "dot.example"]
    assert report.bad == 1 and "wildcard" in report.bad_examples[0]


def test_ut1_layout(tmp_path: Path) -> None:
    root = tmp_path / "blacklists"
    for cat, text in {"adult": "porn.example\n1.2.3.4\n", "sexual_education": "health.example\n",
                      "gambling": "bet.example\nnot valid\n", "drogue": "weed.example\n",
                      "vpn": "tunnel.example\n", "doh": "doh.example\n"}.items():
        (root / cat).mkdir(parents=True)
        _write(root / cat / "domains", text)
        _write(root / cat / "urls", "porn.example/some/page\n")  # UT1 ships these too; a DNS filter cannot use them
    (root / "README").write_text("not a category")
    (root / "empty").mkdir()

    names, report = _read(root, "ut1", None)
    assert sorted(names) == [("bet.example", "gambling"), ("doh.example", "bypass"), ("health.example",
                             "sexual-education"), ("porn.example", "adult"), ("tunnel.example", "bypass"),
                             ("weed.example", "drugs")]
    assert report.categories == {"adult": 1, "gambling": 1, "sexual-education": 1, "drugs": 1, "bypass": 2}
    assert report.bad == 1 and report.bad_examples[0].startswith(f"{root / 'gambling' / 'domains'}:2: ")
    assert report.skipped == 1  # the bare IP address

    only, _ = _read(root, "ut1", "bypass")  # the root and a Sprout category: every folder that feeds it
    assert sorted(only) == [("doh.example", "bypass"), ("tunnel.example", "bypass")]
    single, _ = _read(root / "drogue", "ut1", None)  # one category folder: its mapped name ...
    assert single == [("weed.example", "drugs")]
    renamed, _ = _read(root / "gambling", "ut1", "games")  # ... or the category given
    assert renamed == [("bet.example", "games")]
    with pytest.raises(ListImportError, match="no <category>/domains files found for category 'dating'"):
        _read(root, "ut1", "dating")


def test_bad_lines_are_capped_and_counted(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(b"ok.com\n" + b"bad..x\n" * 20 + b"\xff\xfe.com\n")
    names, report = _read(path, "domains")
    assert names == [("ok.com", "adult")]
    assert report.bad == 21 and len(report.bad_examples) == MAX_EXAMPLES
    lines = report.summary_lines()
    assert lines[-1].startswith(f"  ... and {21 - MAX_EXAMPLES} more bad lines")
    path.write_bytes(b"\xff\xfe.com\n")
    _, report = _read(path, "domains")
    assert report.bad_examples == [f"{path}:1: not UTF-8 text"]


def test_progress_reaches_the_total(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("".join(f"host{i}.example.com\n" for i in range(200_000)))
    calls: list[tuple[int, int]] = []
    names, _ = _read(path, "domains", progress=lambda d, t: calls.append((d, t)))
    assert len(names) == 200_000
    total = path.stat().st_size
    assert len(calls) >= 3 and calls[-1] == (total, total)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_unusable_inputs(tmp_path: Path) -> None:
    with pytest.raises(ListImportError, match="no such file"):
        _read(tmp_path / "missing.txt", "domains")
    with pytest.raises(ListImportError, match="is a folder"):
        _read(tmp_path, "domains")
    with pytest.raises(ListImportError, match="--format 'csv'"):
        _read(tmp_path, "csv")
    with pytest.raises(ListImportError, match="--category 'Adult Stuff'"):
        _read(tmp_path, "domains", "Adult Stuff")


# ----- the list store


@pytest.fixture()
def shipped(tmp_path: Path) -> Path:
    root = tmp_path / "shipped"
    for cat, text in {"adult": "# seed\nshipped-adult.example\n", "social": "social.example\n"}.items():
        (root / cat).mkdir(parents=True)
        _write(root / cat / "domains", text)
    (root / "filling-up").mkdir()  # another engineer's folder with no list yet
    return root


def test_store_imports_merges_and_indexes(tmp_path: Path, shipped: Path) -> None:
    store = ListStore(tmp_path / "state", shipped_root=shipped)
    first = store.import_file(_write(tmp_path / "a.txt", "a.example\nb.example\nsocial.example\n"), "domains", "adult")
    assert (first.accepted, first.new_names, first.total_names) == (3, 3, 3)
    second = store.import_file(_write(tmp_path / "b.txt", "0.0.0.0 b.example c.example\n"), "hosts", "adult")
    assert (second.new_names, second.total_names) == (1, 4)

    with store.index() as ix:
        assert ix.lookup("www.c.example") == "adult"
        assert ix.lookup("shipped-adult.example") == "adult"
        assert ix.lookup("social.example") == "adult"  # the parent's import wins over the shipped category
        assert ix.lookup("other.example") is None

    stats = store.stats()
    assert stats["categories"] == {"adult": {"imported": 4, "shipped": 1}, "social": {"imported": 0, "shipped": 1}}
    assert stats["index"]["up_to_date"] and stats["index"]["entries"] == 5
    assert [i["new"] for i in stats["imports"]] == [3, 1]


def test_an_index_of_the_previous_format_is_rebuilt_on_open(tmp_path: Path, shipped: Path) -> None:
    """An agent upgraded from format 3 (keyed BLAKE2b) to 4 (XXH3) finds its imported lists' index in the old
    format: it is rebuilt from the lists it keeps, and nothing imported is lost."""
    store = ListStore(tmp_path / "state", shipped_root=shipped)
    store.import_file(_write(tmp_path / "a.txt", "a.example\nb.example\n"), "domains", "adult")
    data = bytearray(store.index_path.read_bytes())
    data[8:10] = (FORMAT_VERSION - 1).to_bytes(2, "little")  # the header's format version, as an older agent wrote it
    store.index_path.write_bytes(bytes(data))
    with store.index() as ix:
        assert ix.lookup("www.b.example") == "adult" and ix.lookup("other.example") is None
    assert store.index_path.read_bytes()[8:10] == FORMAT_VERSION.to_bytes(2, "little") == (4).to_bytes(2, "little")


def test_store_rebuilds_a_damaged_or_stale_index(tmp_path: Path, shipped: Path) -> None:
    store = ListStore(tmp_path / "state", shipped_root=shipped)
    store.import_file(_write(tmp_path / "a.txt", "a.example\n"), "domains", "adult")
    store.index_path.write_bytes(store.index_path.read_bytes()[:100])
    with store.index() as ix:
        assert ix.lookup("a.example") == "adult"

    _write(shipped / "social" / "domains", "social.example\nnewly-shipped.example\n")
    assert store.stats()["index"]["up_to_date"] is False
    with store.index() as ix:
        assert ix.lookup("newly-shipped.example") == "social"


def test_failed_import_loses_nothing(tmp_path: Path, shipped: Path) -> None:
    store = ListStore(tmp_path / "state", shipped_root=shipped)
    store.import_file(_write(tmp_path / "a.txt", "a.example\n"), "domains", "adult")
    before = {p.name: p.read_bytes() for p in (store.state_dir / "lists").iterdir()}
    index_before = store.index_path.read_bytes()
    with pytest.raises(ListImportError):
        store.import_file(tmp_path / "missing.txt", "domains", "adult")
    only_bad = store.import_file(_write(tmp_path / "junk.txt", "not a domain\n###\n"), "domains", "adult")
    assert only_bad.accepted == 0 and only_bad.bad == 1
    assert {p.name: p.read_bytes() for p in (store.state_dir / "lists").iterdir()} == before
    assert store.index_path.read_bytes() == index_before
    assert not [p for p in store.state_dir.rglob("*.tmp")]


def test_concurrent_imports_into_one_category_keep_both(tmp_path: Path, shipped: Path) -> None:
    import threading

    files = [_write(tmp_path / f"l{k}.txt", "".join(f"n{k}-{i}.example\n" for i in range(20_000)))
             for k in range(3)]
    errors: list[BaseException] = []

    def run(path: Path) -> None:
        try:
            ListStore(tmp_path / "state", shipped_root=shipped).import_file(path, "domains", "adult")
        except BaseException as exc:  # reported below; a thread cannot raise into the test
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(f,)) for f in files]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    store = ListStore(tmp_path / "state", shipped_root=shipped)
    assert store.stats()["categories"]["adult"]["imported"] == 60_000
    with store.index() as ix:
        assert all(ix.lookup(f"n{k}-19999.example") == "adult" for k in range(3))


def test_ut1_import_fills_several_categories(tmp_path: Path, shipped: Path) -> None:
    root = tmp_path / "ut1"
    for cat in ("adult", "gambling"):
        (root / cat).mkdir(parents=True)
        _write(root / cat / "domains", f"{cat}-site.example\n")
    store = ListStore(tmp_path / "state", shipped_root=shipped)
    report = store.import_file(root, "ut1", None)
    assert report.categories == {"adult": 1, "gambling": 1}
    with store.index() as ix:
        assert ix.lookup("gambling-site.example") == "gambling"
        assert isinstance(ix, CategoryIndex)


# ----- the command line


def test_cli_import_and_stats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    state = tmp_path / "state"
    path = _write(tmp_path / "list.txt", "||ads.example^\n||bad..example^\nexample.com##.x\n")
    assert cli_main(["lists", "import", "--format", "adblock", "--category", "adult", "--state", str(state),
                     str(path)]) == 0
    out = capsys.readouterr().out
    assert "1 names accepted, 1 lines skipped, 1 bad" in out and f"{path}:2: 'bad..example'" in out
    assert cli_main(["lists", "stats", "--json", "--state", str(state)]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["categories"]["adult"]["imported"] == 1 and stats["index"]["up_to_date"]
    assert cli_main(["lists", "stats", "--state", str(state)]) == 0
    assert "adult\t1\t" in capsys.readouterr().out


@pytest.mark.parametrize(("argv", "message"), [
    (["--format", "hosts", "{missing}"], "--category: needed for --format hosts"),
    (["--format", "hosts", "--category", "adult", "{missing}"], "no such file or folder"),
    (["--format", "ut1", "--category", "adult", "{file}"], "not a folder"),
    (["--format", "domains", "--category", "Adult!", "{file}"], "--category 'Adult!'"),
])
def test_cli_mistakes_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str],
                                   message: str) -> None:
    file = _write(tmp_path / "f.txt", "a.com\n")
    argv = [a.format(missing=tmp_path / "nope.txt", file=file) for a in argv]
    assert cli_main(["lists", "import", "--state", str(tmp_path / "s"), *argv]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1 and "Traceback" not in err


def test_cli_progress_bar_in_a_real_process(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("".join(f"0.0.0.0 host{i}.example.com\n" for i in range(180_000)))  # about 5 MB
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "agent.cli", "lists", "import", "--format", "hosts",
                           "--category", "adult", "--state", str(tmp_path / "s"), str(path)],
                          capture_output=True, text=True, env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "reading / đang đọc 100%" in done.stderr and "building the index" in done.stderr
    assert "180000 new names" in done.stdout


def test_running_filter_blocks_an_imported_name(tmp_path: Path) -> None:
    """End to end: import a list, start the real DNS filter on its state folder, ask it over UDP."""
    import dns.exception
    import dns.message
    import dns.query

    state = tmp_path / "state"
    path = _write(tmp_path / "hosts", "0.0.0.0 imported-only.example\n")
    assert cli_main(["lists", "import", "--format", "hosts", "--category", "adult", "--state", str(state),
                     str(path)]) == 0
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        dead_upstream = port  # nothing answers there once the probe socket is closed
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen([sys.executable, "-m", "agent.cli", "dns", "--listen", f"127.0.0.1:{port}",
                               "--upstream", f"127.0.0.1:{dead_upstream}", "--lists", str(state),
                               "--all-categories", "--no-blockpage", "--timeout", "0.2"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        deadline = time.monotonic() + 20
        reply = None
        while reply is None and time.monotonic() < deadline:
            try:
                reply = dns.query.udp(dns.message.make_query("www.imported-only.example", "A"), "127.0.0.1",
                                      port=port, timeout=0.3)
            except (dns.exception.Timeout, OSError):
                assert server.poll() is None, server.stderr.read().decode()
        assert reply is not None, "the filter never answered"
        assert [rr.to_text() for rrset in reply.answer for rr in rrset] == ["0.0.0.0"]
    finally:
        server.terminate()
        server.wait(10)
