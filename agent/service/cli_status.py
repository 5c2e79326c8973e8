"""`sprout-agent status`: today's totals and recent events from the agent's encrypted store (for parents at the
child's PC, support, and tests). Reads only; works while the agent runs (SQLite WAL)."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from agent.errors import CliError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("status", help="print the saved day totals and recent events")
    p.add_argument("--state", type=Path, required=True, help="the agent's state folder")
    p.add_argument("--events", type=int, default=20, help="how many recent events to show")
    p.add_argument("--json", action="store_true", help="print JSON (seconds as numbers) instead of text")
    p.add_argument("--key-file-fallback", action="store_true", help="as given to `sprout-agent run`")
    p.add_argument("--user-mode", action="store_true", help="as given to `sprout-agent run` (allows the key file)")
    p.set_defaults(func=_status)


def _open(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from agent.assembly import open_store
    from agent.store.keys import KEY_DIR_NAME, KeyCustodyError

    # The agent keeps its key in a 0600 file when it had no keyring (user mode, a service without one): where that
    # folder exists, the store is opened the same way, so no flag has to be remembered.
    file_custody = args.key_file_fallback or args.user_mode or (args.state / KEY_DIR_NAME).is_dir()
    try:
        store, _ = open_store(args.state, file_fallback=file_custody, create=False)
    except KeyCustodyError as exc:
        raise CliError(f"{args.state}: cannot open the agent's store: {exc}") from None
    except PermissionError as exc:
        raise CliError(f"{args.state}: {exc.strerror} (the service's state is readable by root only)") from None
    return store


def _status(args: argparse.Namespace) -> int:
    from agent.service.core import LEDGER_KEY

    if not (args.state / "agent.db").exists():
        raise CliError(f"{args.state}: no agent database here (is this the agent's --state folder?)")
    store = _open(args)
    raw = store.kv_get(LEDGER_KEY)
    ledger = json.loads(raw) if raw else {"days": {}}
    events = store.events()[-args.events:] if args.events else []
    days = {d: {k: v for k, v in t.items() if k != "fired"} for d, t in ledger["days"].items()}
    if args.json:
        latest = store.latest_policy()
        out = {"policy_version": latest.version if latest is not None else None,  # None: the built-in default
               "days": days,
               "events": [{**e.payload, "id": e.id, "kind": e.kind, "day": e.day, "at": e.at} for e in events]}
        json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    for day, totals in sorted(days.items()):
        print(_day_line(day, totals))
    if not days:
        print("No time counted yet.")
    if events:
        zone = _family_zone(store)
        print(f"Recent events ({zone.key} time):")
        for e in events:
            print(f"  {e.day} {_clock(e.at, zone)}  {e.kind}{_details(e.payload)}")
    return 0


def _family_zone(store: Any) -> ZoneInfo:
    """The policy's time zone, which also decides the days: an event's clock time must belong to its day, whatever
    zone this PC's system clock is set to."""
    from agent.policy import PolicyError, load_policy_doc
    from agent.policy.schema import default_policy

    name = default_policy()["timezone"]
    latest = store.latest_policy()
    if latest is not None:
        # a damaged newest row: the default zone, as the agent itself would fall back to
        with contextlib.suppress(PolicyError, KeyError):
            name = load_policy_doc(latest.blob)["timezone"]
    return ZoneInfo(name)


def duration(seconds: float) -> str:
    """Whole minutes for people ("1 h 05 min", "12 min", "40 s"): the ledger's seconds are exact, a person's aren't."""
    s = round(seconds)
    if s < 60:
        return f"{s} s"
    h, m = divmod(s // 60, 60)
    return f"{h} h {m:02d} min" if h else f"{m} min"


def _day_line(day: str, t: dict[str, Any]) -> str:
    parts = [f"screen {duration(t.get('screen_s', 0))}", f"games {duration(t.get('games_s', 0))}"]
    for game, secs in sorted(t.get("per_game_s", {}).items(), key=lambda kv: -kv[1]):
        parts.append(f"{game} {duration(secs)}")
    granted = t.get("grant_screen_s", 0) + t.get("grant_games_s", 0)
    if granted:
        parts.append(f"granted {duration(granted)}")
    apps = sorted(t.get("per_app_s", {}).items(), key=lambda kv: -kv[1])[:5]
    line = f"{day}  " + " · ".join(parts)
    if apps:
        line += "\n            apps: " + ", ".join(f"{a} {duration(s)}" for a, s in apps)
    return line


def _clock(at: float, zone: ZoneInfo) -> str:
    return dt.datetime.fromtimestamp(at, zone).strftime("%H:%M:%S")


def _details(payload: Any) -> str:
    if not isinstance(payload, dict):
        return ""
    shown = []
    for k, v in payload.items():
        if v in (None, "", [], {}):
            continue
        if k.endswith("_s") and isinstance(v, int | float):
            v = duration(v)
        elif isinstance(v, str) and len(v) > 24:
            v = v[:12] + "…"  # a key's ID: its start is enough to tell which
        shown.append(f"{k}={v}")
    return ("  " + " ".join(shown)) if shown else ""
