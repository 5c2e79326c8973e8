"""`sprout-agent` command line: one argparse tree, each feature's subcommand in its own module.

Each module named in COMMANDS exposes `register(subparsers)`; it adds its parser and sets `func`
(a callable taking the parsed args and returning an exit code). Modules are imported lazily so that
`sprout-agent policy validate` never pays for the DNS server or Qt.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from agent import __version__
from agent.errors import CliError

# subcommand name -> module providing register(subparsers)
COMMANDS: dict[str, str] = {
    "policy": "agent.policy.cli_cmd",
    "simulate": "agent.ledger.cli_cmd",
    "run": "agent.service.cli_cmd",
    "dns": "agent.dns.cli_cmd",
    "classify": "agent.dns.cli_classify",
    "lists": "agent.dns.cli_lists",
    "pair": "agent.link.cli_cmd",
    "companion": "agent.companion.cli_cmd",
    "ask": "agent.companion.cli_ask",
    "status": "agent.service.cli_status",
    "catalog": "agent.catalog.cli_cmd",
    "unlock": "agent.service.protect",
    "factory-reset": "agent.oem.cli_cmd",
    "set-child": "agent.service.child_account",
    "list-update": "agent.dns.listupdate",
    "relay": "agent.relay.cli_cmd",
}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sprout-agent", description="Sprout agent for the child's PC.")
    parser.add_argument("--version", action="version", version=f"sprout-agent {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module_name in COMMANDS.items():
        if only is not None and name != only:
            continue
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name and module_name.startswith(exc.name):
                continue  # feature not built in this bundle
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    first = next((a for a in argv if not a.startswith("-")), None)
    parser = build_parser(first if first in COMMANDS else None)
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        code = int(args.func(args) or 0)
        sys.stdout.flush()  # inside the try, so a reader that went away is handled below
        return code
    except CliError as exc:
        print(f"sprout-agent {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader went away (`… | head`): stop quietly as other Unix tools do, and keep Python's flush at exit
        # from raising the same error again
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


if __name__ == "__main__":
    sys.exit(main())
