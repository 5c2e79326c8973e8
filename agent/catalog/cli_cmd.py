"""`sprout-agent catalog check|classify|list`: validate a catalog file and see how a process would be classified
(for whoever edits resources/catalog/apps.json, and for support questions like "why was this closed?")."""

from __future__ import annotations

import argparse
from pathlib import Path

from agent.catalog import KINDS, AppCatalogError, Catalog
from agent.errors import CliError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("catalog", help="check the game/app catalog or classify a program")
    parser.add_argument("--file", type=Path, help="catalog file (default: the shipped resources/catalog/apps.json)")
    sub = parser.add_subparsers(dest="catalog_command", metavar="ACTION", required=True)
    sub.add_parser("check", help="validate the catalog and print its size")
    classify = sub.add_parser("classify", help="how a program would be classified")
    classify.add_argument("name", help="executable name, e.g. RobloxPlayerBeta.exe")
    classify.add_argument("--path", help="the executable's full path")
    classify.add_argument("--parent", action="append", default=[], help="an ancestor's name, nearest first")
    classify.add_argument("--product", help="Windows version-info ProductName")
    listing = sub.add_parser("list", help="list entries")
    listing.add_argument("--kind", choices=KINDS)
    parser.set_defaults(func=run)


def _load(path: Path | None) -> Catalog:
    try:
        return Catalog.load(path)
    except AppCatalogError as exc:
        raise CliError(str(exc)) from None


def run(args: argparse.Namespace) -> int:
    catalog = _load(args.file)
    if args.catalog_command == "check":
        counts = {k: sum(1 for e in catalog.entries() if e.kind == k) for k in KINDS}
        print(f"ok: {len(catalog)} entries: " + ", ".join(f"{n} {k}" for k, n in counts.items() if n))
        return 0
    if args.catalog_command == "classify":
        metadata = {"ProductName": args.product} if args.product else None
        info = catalog.classify(args.name, path=args.path, parent_names=args.parent, metadata=metadata)
        if info is None:
            print(f"{args.name}: not in the catalog (counted as an app under its own name)")
        else:
            print(f"{args.name}: {info.id} ({info.title}) kind={info.kind} matched by {info.via}")
        return 0
    for e in catalog.entries():
        if args.kind is None or e.kind == args.kind:
            names = sorted({n for ns in e.exe.values() for n in ns})
            print(f"{e.id}\t{e.kind}\t{e.title}\t{', '.join(names)}")
    return 0
