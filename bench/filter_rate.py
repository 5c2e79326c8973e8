"""Block rate and false alarms of the web filter as installed, on held-out sets no Sprout list holds.

    python bench/filter_rate.py [--json]

The filter is built exactly as `sprout-agent run` builds it on a fresh install (agent/dns/filter_setup.py: shipped
lists, large shipped lists, child-friendly allowlist, keywords, SafeSearch) with the default policy it enforces
before a parent sends one (ages 11–13, Vietnam game rule). The sets (bench/filter_sets/):
    adult-independent.txt       1,200 adult names from a source the shipped lists do not derive from (Sinfonietta's
                                hosts file, not UT1): the AV-Comparatives-style rate, lists and rules together
    adult-heldout.txt           2,000 names drawn at random from the large adult list and left out of its index:
                                what the rules alone do for adult names no list holds
    vn-heldout.txt              Vietnamese betting mirrors and adult names, written by hand, on no list
    child-friendly-heldout.txt  education, news, health and help sites, on no list and not on the allowlist
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SETS = ROOT / "bench" / "filter_sets"


def read_set(path: Path) -> list[tuple[str, str | None]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        text = line.split("#", 1)[0].strip()
        if text:
            name, _, category = text.partition("\t")
            out.append((name.strip(), category.strip() or None))
    return out


def installed_filter():  # -> Classifier (imported late: the script runs without the package installed)
    from agent.dns.filter_setup import FilterSources, build_filter, open_category_index
    from agent.policy import preset

    return build_filter(preset(12, ["vn-decree-147"])["web"], open_category_index(FilterSources()))


def on_a_list(names: list[str]) -> int:
    """How many names (or a parent domain of them) a shipped list holds: the part of a block rate the lists give."""
    from agent.dns.filter_setup import FilterSources, open_category_index

    index = open_category_index(FilterSources())
    return sum(1 for n in names if any(layer.match(n) for layer in [index.curated, *index.bulk]))


def measure() -> dict:
    clf = installed_filter()
    out = {}
    for name, blocked_is_right in (("adult-independent.txt", True), ("adult-heldout.txt", True),
                                   ("vn-heldout.txt", True), ("child-friendly-heldout.txt", False)):
        names = read_set(SETS / name)
        blocked = [n for n, _cat in names if clf.classify(n).verdict in ("block", "nxdomain")]
        entry = {"names": len(names), "blocked": len(blocked), "rate": round(len(blocked) / len(names), 4)}
        if name == "adult-independent.txt":
            entry["on_a_list"] = on_a_list([n for n, _c in names])
        if not blocked_is_right:
            entry["false_alarms"] = blocked
        else:
            entry["missed_examples"] = [n for n, _c in names if n not in set(blocked)][:15]
        out[name] = entry
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    figures = measure()
    if args.json:
        print(json.dumps(figures, indent=1))
        return 0
    for name, entry in figures.items():
        kind = "false alarms" if "false_alarms" in entry else "blocked"
        listed = f"  (a list holds {entry['on_a_list']})" if "on_a_list" in entry else ""
        print(f"{name:30} {entry['names']:6} names  {kind}: {entry['blocked']:5}  ({100 * entry['rate']:.1f} %){listed}")
        for extra in ("false_alarms", "missed_examples"):
            if entry.get(extra):
                print(f"    {extra}: {', '.join(entry[extra])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
