"""`python -m agent.link`: the link endpoint alone over the encrypted store (tests, benches, device makers'
bring-up). The full service (`sprout-agent run --link`) embeds the same parts with its ledger plugged in."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from pathlib import Path

from agent.fileio import atomic_write


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m agent.link")
    p.add_argument("--state", type=Path, required=True)
    p.add_argument("--listen", default="127.0.0.1:0")
    p.add_argument("--name", default="")
    p.add_argument("--port-file", type=Path, help="write the bound port here once listening")
    p.add_argument("--advertise", action="store_true")
    p.add_argument("--key-file-fallback", action="store_true")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")

    from agent.assembly import open_store  # the agent's one assembly: the same store and keys as the service
    from agent.errors import CliError
    from agent.link.backend import StoreBackend
    from agent.link.endpoint import start_link
    from agent.store.keys import KeyCustodyError
    from agent.store.records import StoreError

    try:
        store, vault = open_store(args.state, file_fallback=args.key_file_fallback)
    except (KeyCustodyError, StoreError) as exc:
        print(f"python -m agent.link: {CliError(str(exc))}", file=sys.stderr)
        return 2
    backend = StoreBackend(store)
    running = start_link(args.state, backend, vault, listen=args.listen, name=args.name or None,
                         advertise=args.advertise)
    if args.port_file:
        atomic_write(args.port_file, str(running.address[1]).encode())
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    running.stop()
    close = getattr(store, "close", None)
    if close:
        close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
