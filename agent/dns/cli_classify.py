"""`sprout-agent classify [--policy FILE | --all-categories] [--index PATH] DOMAIN...`

Prints `domain<TAB>verdict<TAB>category` per name, verdict block, allow or rewrite (a canary's NXDOMAIN prints as
block with category bypass), category `-` when none. Also holds the loaders the `dns` command shares: the web
rules from a policy file and the category index.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from agent.dns.classifier import (
    BLOCK,
    CANARY_CATEGORY,
    NXDOMAIN,
    CategoryLookup,
    Classifier,
    WebRules,
    WebRulesError,
    normalize_qname,
)
from agent.errors import CliError

DEFAULT_AGE = 12  # what `sprout-agent run` enforces before the parent sends a policy (runner.initial_policy)


def add_rule_options(parser: argparse.ArgumentParser) -> None:
    rules = parser.add_mutually_exclusive_group()
    rules.add_argument("--policy", type=Path, metavar="FILE", help="policy JSON; its web section is used")
    rules.add_argument("--all-categories", action="store_true",
                       help="block every shipped category (otherwise the defaults for a 12-year-old, "
                            "as the agent before pairing)")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--index", type=Path, metavar="PATH",
                        help="a compact category index file (default: the shipped seed lists)")
    source.add_argument("--lists", type=Path, metavar="DIR",
                        help="a `sprout-agent lists` state folder: its combined index (rebuilt if stale)")
    source.add_argument("--state", type=Path, metavar="DIR", dest="agent_state",
                        help="an agent state folder: exactly the lists `sprout-agent run --state DIR` uses "
                             "(shipped + signed update + imported)")


def load_web_rules(policy: Path | None, all_categories: bool) -> WebRules:
    if policy is not None:
        return WebRules.from_web(_policy_web(policy), where=f"--policy {policy}: web")
    web = _default_web()
    if all_categories:
        web["blocked_categories"] = sorted(_shipped_category_names())
    try:
        return WebRules.from_web(web, where="default policy: web")
    except WebRulesError as exc:
        raise CliError(str(exc)) from None


def _policy_web(path: Path) -> Any:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CliError(f"--policy {path}: cannot read: {exc.strerror}") from None
    from agent.policy import PolicyError, load_policy_doc

    try:
        doc = load_policy_doc(raw, source=f"--policy {path}")
    except PolicyError as exc:
        raise CliError(str(exc)) from None
    return doc["web"]


def _default_web() -> dict[str, Any]:
    from agent.policy import PolicyError, PresetError, preset

    try:
        return dict(preset(age=DEFAULT_AGE)["web"])
    except (PolicyError, PresetError) as exc:
        raise CliError(f"default policy: the age {DEFAULT_AGE} preset is unusable: {exc}") from None


def _shipped_category_names() -> set[str]:
    from agent.dns.categories import CatalogError, load_categories

    try:
        return set(load_categories())
    except CatalogError as exc:
        raise CliError(f"--all-categories: {exc}") from None


def filter_sources(args: argparse.Namespace) -> Any:
    """The same sources the agent uses (agent/dns/filter_setup.py), chosen by --index / --lists / --state."""
    from agent.dns.filter_setup import FilterSources

    index, lists, state = args.index, getattr(args, "lists", None), getattr(args, "agent_state", None)
    if index is not None:
        if not index.exists():
            raise CliError(f"--index {index}: no such file (build one with `sprout-agent lists import`)")
        return FilterSources(index_file=index)
    if lists is not None:
        if not lists.is_dir():
            raise CliError(f"--lists {lists}: no such folder (import lists with `sprout-agent lists import`)")
        return FilterSources(lists_dir=lists)
    if state is not None:
        if not state.is_dir():
            raise CliError(f"--state {state}: no such folder")
        return FilterSources.for_state(state)
    return FilterSources()


def open_index(args: argparse.Namespace) -> CategoryLookup:
    from agent.dns.filter_setup import FilterSetupError, open_category_index

    option = next((flag for flag, attr in (("--index", "index"), ("--lists", "lists"), ("--state", "agent_state"))
                   if getattr(args, attr, None) is not None), None)
    try:
        return open_category_index(filter_sources(args))
    except FilterSetupError as exc:
        raise CliError(f"{option} {exc}" if option else str(exc)) from None


def build_classifier(args: argparse.Namespace) -> Classifier:
    from agent.dns.filter_setup import FilterSetupError, build_filter

    rules = load_web_rules(args.policy, args.all_categories)
    index = open_index(args)
    try:
        return build_filter(rules, index)
    except FilterSetupError as exc:
        raise CliError(str(exc)) from None


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("classify", help="show what the web filter would do with domain names",
                                   description="Print domain<TAB>verdict<TAB>category for each name.")
    add_rule_options(parser)
    parser.add_argument("domains", nargs="+", metavar="DOMAIN")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    names = []
    for i, raw in enumerate(args.domains, start=1):
        name = normalize_qname(raw.strip())
        if name is None or "." not in name:
            raise CliError(f"DOMAIN {raw!r} (argument {i}): not a domain name such as example.com")
        names.append(name)
    classifier = build_classifier(args)
    for name in names:
        decision = classifier.classify(name)
        verdict, category = decision.verdict, decision.category
        if verdict == NXDOMAIN:
            verdict, category = BLOCK, category or CANARY_CATEGORY
        print(f"{name}\t{verdict}\t{category or '-'}")
    return 0
