"""`sprout-agent lists import --format F --category C [--state DIR] PATH`, `sprout-agent lists stats` and
`sprout-agent lists export --format rpz|dnsmasq|hosts|adblock [--category C ...] [--output FILE]`.

Imports keep the parent's lists in the agent's state folder and rebuild the combined category index that
`sprout-agent dns --index` maps.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any, TextIO

from agent.errors import CliError
from agent.os.account import ACCOUNT

_BAR_FROM_BYTES = 4 << 20  # lists smaller than this finish before a bar is worth drawing
_BAR_WIDTH = 30
_STATE_HELP = "lists folder (default: the agent's, /var/lib/sprout/lists as root)"


def default_state_dir() -> Path:
    """The `lists` folder inside the agent's state folder, where `sprout-agent run` looks for imported lists:
    /var/lib/sprout/lists as root (the service), else the user data folder's (user mode)."""
    if ACCOUNT.is_superuser():
        return Path("/var/lib/sprout") / "lists"
    from platformdirs import user_data_dir

    return Path(user_data_dir("sprout-agent", appauthor=False)) / "lists"


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("lists", help="import block lists and show what the category index holds",
                                   description="Manage the web filter's category lists and compact index.")
    sub = parser.add_subparsers(dest="lists_command", metavar="ACTION")

    from agent.dns.importers import FORMATS

    imp = sub.add_parser("import", help="import a list file (or a UT1 folder) into a category",
                         description="Import a block list into a category and rebuild the index.")
    imp.add_argument("--format", required=True, choices=FORMATS, dest="fmt",
                     help="hosts, domains (one a line), adblock (||domain^), wildcard (*.domain), "
                          "ut1 (<root>/<category>/domains)")
    imp.add_argument("--category", metavar="C",
                     help="category for the names, e.g. adult (required except for ut1, where it picks one folder)")
    imp.add_argument("--state", type=Path, metavar="DIR", help=_STATE_HELP)
    imp.add_argument("--quiet", action="store_true", help="no progress bar")
    imp.add_argument("path", type=Path, metavar="PATH")
    imp.set_defaults(func=run_import)

    st = sub.add_parser("stats", help="names per category and the index's size",
                        description="Show imported and shipped names per category and the index file.")
    st.add_argument("--state", type=Path, metavar="DIR", help=_STATE_HELP)
    st.add_argument("--json", action="store_true", help="print the figures as JSON")
    st.set_defaults(func=run_stats)
    ex = sub.add_parser("export", help="write categories for Unbound/BIND (RPZ), dnsmasq, hosts or adblock",
                        description="Write Sprout's category lists for an existing DNS server (a school lab, a "
                                    "family router).")
    from agent.dns.export import FORMATS as EXPORT_FORMATS

    ex.add_argument("--format", required=True, choices=EXPORT_FORMATS, dest="fmt")
    ex.add_argument("--category", action="append", metavar="C",
                    help="a category to export (repeat; default: every category)")
    ex.add_argument("--state", type=Path, metavar="DIR", help=_STATE_HELP)
    ex.add_argument("--output", type=Path, metavar="FILE", help="write here (default: standard output)")
    ex.set_defaults(func=run_export)
    parser.set_defaults(func=lambda _args: _usage(parser))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


class ProgressBar:
    """`[#####.....]  42%  120.0/285.3 MB` on one stderr line, redrawn at most ten times a second."""

    def __init__(self, stream: TextIO, label: str) -> None:
        self.stream = stream
        self.label = label
        self.last = 0.0
        self.tty = stream.isatty()
        self.last_percent = -10

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        percent = 100 if total <= 0 else min(100, done * 100 // total)
        if self.tty:
            if now - self.last < 0.1 and percent < 100:
                return
            filled = percent * _BAR_WIDTH // 100
            self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (_BAR_WIDTH - filled)}] {percent:3d}%  "
                              f"{done / 1e6:.1f}/{total / 1e6:.1f} MB")
            if percent >= 100:
                self.stream.write("\n")
        elif percent >= self.last_percent + 10 or (percent == 100 and self.last_percent < 100):
            # a log file gets a line per 10 %, not a stream of \r
            self.stream.write(f"{self.label} {percent}% ({done / 1e6:.1f}/{total / 1e6:.1f} MB)\n")
            self.last_percent = percent
        self.last = now
        self.stream.flush()


def run_import(args: argparse.Namespace) -> int:
    from agent.dns.importers import ListImportError, size_of
    from agent.dns.index import DomainError
    from agent.dns.liststore import ListStore

    if args.fmt != "ut1" and not args.category:
        raise CliError(f"--category: needed for --format {args.fmt} (e.g. --category adult)")
    if not args.path.exists():
        raise CliError(f"{args.path}: no such file or folder")
    store = ListStore(args.state or default_state_dir())
    progress = None
    if not args.quiet and size_of(args.path) >= _BAR_FROM_BYTES:
        progress = ProgressBar(sys.stderr, "reading / đang đọc")

    def phase(name: str) -> None:
        if not args.quiet:
            text = {"merge": "merging with stored names / gộp với danh sách đã lưu",
                    "index": "building the index / đang dựng chỉ mục"}[name]
            print(f"{text} ...", file=sys.stderr, flush=True)

    started = time.perf_counter()
    try:
        report = store.import_file(args.path, args.fmt, args.category, progress=progress, on_phase=phase)
    except ListImportError as exc:
        raise CliError(str(exc)) from None
    except DomainError as exc:
        raise CliError(f"{args.path}: {exc}") from None
    except OSError as exc:  # unreadable list, or a state folder this user cannot write
        raise CliError(f"{exc.filename or args.path}: {exc.strerror or exc}") from None
    for line in report.summary_lines():
        print(line)
    for cat, count in sorted(report.categories.items()):
        print(f"  {cat}: {count} names read / tên đọc được")
    print(f"{report.new_names} new names, {report.total_names} in these categories now / "
          f"{report.new_names} tên mới, hiện có {report.total_names} tên trong các danh mục này")
    print(f"index / chỉ mục: {store.index_path} ({time.perf_counter() - started:.1f} s)")
    return 0


def run_export(args: argparse.Namespace) -> int:
    from agent.dns.export import lines, select
    from agent.dns.filter_setup import shipped_root, signed_update_root
    from agent.dns.liststore import ListStore

    folder = args.state or default_state_dir()
    update = signed_update_root(folder.parent)  # the agent's state folder holds both lists/ and list-updates/
    store = ListStore(folder, shipped_root=shipped_root(), extra_roots=(update,) if update else ())
    try:
        entries = list(store.entries())
    except OSError as exc:
        raise CliError(f"--state {folder}: cannot read: {exc.strerror or exc}") from None
    known = {category for _name, category in entries}
    wanted = set(args.category) if args.category else None
    for category in sorted(wanted or ()):
        if category not in known:
            raise CliError(f"--category {category}: no such category; known: {', '.join(sorted(known))}")
    chosen = select(entries, wanted)
    out = args.output.open("w", encoding="utf-8") if args.output else sys.stdout
    try:
        out.writelines(lines(args.fmt, chosen))
    except OSError as exc:
        raise CliError(f"--output {args.output}: {exc.strerror or exc}") from None
    finally:
        if args.output:
            out.close()
    if args.output:
        print(f"{len(chosen)} names / tên -> {args.output}", file=sys.stderr)
    return 0


def run_stats(args: argparse.Namespace) -> int:
    from agent.dns.liststore import ListStore

    store = ListStore(args.state or default_state_dir())
    try:
        stats = store.stats()
    except OSError as exc:
        raise CliError(f"--state {store.state_dir}: cannot read: {exc.strerror or exc}") from None
    if args.json:
        print(json.dumps(stats, indent=2, ensure_ascii=False))
        return 0
    print(f"state folder / thư mục: {stats['state_dir']}")
    print("category\timported\tshipped   (danh mục\tđã nhập\tcó sẵn)")
    for name, counts in stats["categories"].items():
        print(f"{name}\t{counts['imported']}\t{counts['shipped']}")
    print(f"total / tổng\t{stats['imported_names']}\t{stats['shipped_names']}")
    index = stats["index"]
    if index["exists"]:
        state = "up to date / mới nhất" if index["up_to_date"] else \
            "out of date, rebuilt on next use / cũ, sẽ dựng lại khi dùng"
        print(f"index / chỉ mục: {index['path']}: {index['entries']} names, {index['bytes']} bytes, {state}")
    else:
        print(f"index / chỉ mục: {index['path']}: not built yet / chưa dựng")
    return 0
