"""`sprout-agent policy preset|validate|presets`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from agent.errors import CliError
from agent.policy import PolicyError, PresetError, list_presets, preset, validate
from agent.policy.validate import Problem


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("policy", help="make and check policies")
    psub = p.add_subparsers(dest="policy_command", metavar="ACTION", required=True)

    pre = psub.add_parser("preset", help="print a policy for a child's age (and rule presets) as JSON")
    pre.add_argument("--age", type=int, required=True, help="the child's age in years")
    pre.add_argument("--preset", action="append", default=[], metavar="NAME",
                     help="a rule preset to add, e.g. vn-decree-147 (repeatable)")
    pre.add_argument("--name", default="", help="the child's display name")
    pre.add_argument("--timezone", default="Asia/Ho_Chi_Minh")
    pre.set_defaults(func=_preset)

    val = psub.add_parser("validate", help="check a policy file: prints ok, or one 'path: reason' line a problem")
    val.add_argument("file", type=Path)
    val.set_defaults(func=_validate)

    lst = psub.add_parser("presets", help="list the presets with why they say what they say")
    lst.add_argument("--lang", choices=("en", "vi"), default="en")
    lst.set_defaults(func=_list)


def _preset(args: argparse.Namespace) -> int:
    try:
        doc = preset(args.age, args.preset, child_name=args.name, timezone=args.timezone)
    except (PresetError, PolicyError) as exc:
        raise CliError(str(exc)) from None
    json.dump(doc, sys.stdout, ensure_ascii=False, indent=2, sort_keys=True)
    print()
    return 0


def _validate(args: argparse.Namespace) -> int:
    try:
        raw = args.file.read_bytes()
    except OSError as exc:
        raise CliError(f"{args.file}: cannot read: {exc.strerror}") from None
    try:
        doc = json.loads(raw)
        problems = validate(doc)
    except json.JSONDecodeError as exc:
        problems = [Problem(f"<json line {exc.lineno} column {exc.colno}>", exc.msg)]
    except UnicodeDecodeError:
        problems = [Problem("<file>", "not UTF-8 text")]
    if problems:
        for p in problems:
            print(f"{p.path}: {p.reason}")
        return 2
    print("ok")
    return 0


def _list(args: argparse.Namespace) -> int:
    for p in list_presets():
        print(f"{p.name}\t{p.title[args.lang]}\n    {p.why[args.lang]}")
    return 0
