"""`sprout-agent ask MINUTES [--reason TEXT] [--games]`: the child asks for more time from a terminal.

The same request the companion's "Ask for more time" window sends, over the same local channel (so the service
checks who is asking exactly as it does for the window). For a keyboard-only or screen-reader user, scripts, and
the README's walk-through. No Qt.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from agent.errors import CliError

TEXT = {
    "sent": ("Đã gửi lời xin thêm {minutes} phút cho bố mẹ (mã {id}). Bố mẹ sẽ trả lời trên máy của bố mẹ.",
             "Asked your parents for {minutes} more minutes (request {id}). They answer on their side."),
}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ask", help="the child asks the parents for more time (as the companion's window does)")
    p.add_argument("minutes", type=int, help="how many more minutes (5 to 240)")
    p.add_argument("--reason", default="", help="why, in the child's own words")
    p.add_argument("--games", action="store_true", help="more game time (default: more screen time)")
    p.add_argument("--socket", type=Path, help="the service's local socket (default: as `sprout-agent companion`)")
    p.add_argument("--lang", choices=("vi", "en"), default="vi", help="language of the answer (default vi)")
    p.set_defaults(func=_ask)


def _ask(args: argparse.Namespace) -> int:
    from agent.companion.cli_cmd import default_socket
    from agent.companion.ipc_client import IpcClient, ServiceRefused, ServiceUnavailable

    path: Path = args.socket or default_socket()
    client = IpcClient(path)
    try:
        reply = client.submit_request(args.minutes, args.reason, "games" if args.games else "screen")
    except ServiceRefused as exc:
        raise CliError(f"the service said no: {exc.message}") from None
    except ServiceUnavailable as exc:
        raise CliError(f"{path}: cannot reach the Sprout service ({exc}); is `sprout-agent run` running?") from None
    finally:
        client.close()
    print(TEXT["sent"][0 if args.lang == "vi" else 1].format(minutes=args.minutes, id=reply["id"]))
    return 0
