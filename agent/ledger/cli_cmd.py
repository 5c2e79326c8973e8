"""`sprout-agent simulate SCENARIO.json`: run the ledger over a scripted timeline and print JSON."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from agent.errors import CliError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("simulate", help="run the time ledger over a scripted day (see docs/simulator.md)")
    p.add_argument("scenario", type=Path, help="scenario JSON file, or - for standard input")
    p.add_argument("--compact", action="store_true", help="print the JSON on one line")
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from agent.catalog import AppCatalogError
    from agent.ledger.simulate import ScenarioError, simulate

    name = "<stdin>" if str(args.scenario) == "-" else str(args.scenario)
    try:
        text = sys.stdin.read() if name == "<stdin>" else args.scenario.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CliError(f"{name}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        scenario = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CliError(f"{name}: line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    try:
        result = simulate(scenario)
    except ScenarioError as exc:
        raise CliError(f"{name}: {exc}") from None
    except AppCatalogError as exc:
        raise CliError(f"the game catalog is broken: {exc}") from None
    json.dump(result, sys.stdout, ensure_ascii=False, indent=None if args.compact else 2)
    print()
    return 0
