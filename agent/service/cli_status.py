"""`sprout-agent status`: today's totals and recent events from the agent's encrypted store (for parents at the
child's PC, support, and tests). Reads only; works while the agent runs (SQLite WAL)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from agent.errors import CliError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("status", help="print the saved day totals and recent events as JSON")
    p.add_argument("--state", type=Path, required=True, help="the agent's state folder")
    p.add_argument("--events", type=int, default=20, help="how many recent events to show")
    p.add_argument("--key-file-fallback", action="store_true", help="as given to `sprout-agent run`")
    p.add_argument("--user-mode", action="store_true", help="as given to `sprout-agent run` (allows the key file)")
    p.set_defaults(func=_status)


def _status(args: argparse.Namespace) -> int:
    from agent.service.core import LEDGER_KEY
    from agent.service.runner import open_store

    if not (args.state / "agent.db").exists():
        raise CliError(f"{args.state}: no agent database here (is this the agent's --state folder?)")
    store, _ = open_store(args.state, file_fallback=args.key_file_fallback or args.user_mode, create=False)
    raw = store.kv_get(LEDGER_KEY)
    ledger = json.loads(raw) if raw else {"days": {}}
    events = store.events()[-args.events:] if args.events else []
    out = {
        "days": {d: {k: v for k, v in t.items() if k != "fired"} for d, t in ledger["days"].items()},
        "events": [{**e.payload, "id": e.id, "kind": e.kind, "day": e.day, "at": e.at} for e in events],
    }
    json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
    print()
    return 0
