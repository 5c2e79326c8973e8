"""`sprout-agent factory-reset` (and --check-oem, a device maker's check of its oem.toml)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from agent.errors import CliError
from agent.oem.config import OemError, load_oem
from agent.oem.reset import factory_reset
from agent.service.protect import Guard


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("factory-reset", help="forget pairings, policies and history; greet the family anew")
    p.add_argument("--state", type=Path, default=Path("/var/lib/sprout"), help="the service's state folder")
    p.add_argument("--yes", action="store_true", help="do not ask (device makers' scripts)")
    p.add_argument("--check-oem", type=Path, metavar="OEM_TOML", help="only validate an oem.toml and exit")
    p.set_defaults(func=_cmd_factory_reset)


def _cmd_factory_reset(args: argparse.Namespace) -> int:
    if args.check_oem:
        try:
            config = load_oem(args.check_oem)
        except OemError as exc:
            raise CliError(f"factory-reset: {exc}") from None
        if config is None:
            raise CliError(f"factory-reset: --check-oem: {args.check_oem}: file not found")
        print(f"oem.toml ok: {config.brand_name}, {config.language}, age {config.age}, presets {list(config.presets)}")
        return 0
    if not args.yes:
        if not sys.stdin.isatty():
            raise CliError("factory-reset: --yes: needed when there is no terminal to ask on")
        answer = input("Xoá mọi ghép nối, chính sách và lịch sử? / Erase all pairings, policies and history? [y/N] ")
        if answer.strip().lower() not in ("y", "yes", "c", "có"):
            return 1
    guard = Guard(args.state)
    if guard.has_pin() and not guard.consume_grant("change-files").allowed:
        raise CliError("factory-reset: the parent PIN is set: run `sprout-agent unlock --action change-files` first")
    removed = factory_reset(args.state)
    print(f"Đã đặt lại ({len(removed)} mục) / factory reset done ({len(removed)} items); restart the service")
    return 0
