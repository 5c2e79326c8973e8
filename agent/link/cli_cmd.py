"""`sprout-agent pair`: show (or renew) the pairing code, list or unpair consoles, show refused-message events."""

from __future__ import annotations

import argparse
import datetime as dt
import time
from pathlib import Path

from agent.errors import CliError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("pair", help="show a pairing code for a parent's console / hiện mã ghép nối")
    p.add_argument("--state", type=Path, help="state folder (default: /var/lib/sprout, or the user data dir)")
    p.add_argument("--user-mode", action="store_true", help="use the current user's state folder")
    p.add_argument("--new", action="store_true", help="replace the current code with a new one")
    p.add_argument("--list", action="store_true", help="list paired consoles")
    p.add_argument("--unpair", metavar="DEVICE", help="unpair a console (its key is refused from then on)")
    p.add_argument("--events", type=int, metavar="N", help="show the last N link events")
    p.add_argument("--qr", action="store_true", help="also draw the code as a QR code in the terminal")
    p.set_defaults(func=_pair)


def _default_state(user_mode: bool) -> Path:
    if not user_mode:
        return Path("/var/lib/sprout")
    import platformdirs

    return Path(platformdirs.user_data_dir("sprout-agent", appauthor=False))


def _pair(args: argparse.Namespace) -> int:
    from agent.link.endpoint import link_state
    from agent.protocol.devid import format_device_id, parse_device_id
    from agent.protocol.errors import ProtocolError
    from agent.protocol.pairing import display_code
    from agent.protocol.relay import pair_uri

    state_dir = args.state or _default_state(args.user_mode)
    try:
        state = link_state(state_dir)
    except OSError as exc:
        raise CliError(f"state: {state_dir}: {exc.strerror}") from None
    try:
        if args.list:
            peers = state.peers()
            if not peers:
                print("Chưa ghép nối bảng điều khiển nào / No console is paired.")
            for p in peers:
                when = dt.datetime.fromtimestamp(p["paired_at"]).strftime("%Y-%m-%d %H:%M")
                print(f"{format_device_id(p['device_id'])}  {p['name']}  ({when})")
            return 0
        if args.unpair:
            try:
                device = parse_device_id(args.unpair)
            except ProtocolError as exc:
                raise CliError(f"--unpair: {args.unpair}: {exc.reason}") from None
            if not state.revoke(device):
                raise CliError(f"--unpair: {args.unpair}: no paired console has this ID")
            print("Đã huỷ ghép nối / Unpaired: " + format_device_id(device))
            return 0
        if args.events:
            for e in reversed(state.events(args.events)):
                when = dt.datetime.fromtimestamp(e["at"]).strftime("%Y-%m-%d %H:%M:%S")
                print(f"{when}  {e['code']:<16} {e['detail']}")
            return 0
        code, expires = state.open_pairing(force_new=args.new)
        minutes = max(0, int((expires - time.time()) // 60))
        print(f"Mã ghép nối / Pairing code: {display_code(code)}")
        print(f"Dùng một lần, còn hiệu lực {minutes} phút / Single use, valid for {minutes} more minutes.")
        if args.qr:
            import qrcode

            qr = qrcode.QRCode(border=1)
            from agent.relay.bridge import qr_fields

            uri = pair_uri(code, *qr_fields(state_dir))
            qr.add_data(uri)
            qr.print_ascii(invert=True)
            print(uri)  # what the QR holds, for a console that cannot scan
        return 0
    finally:
        state.close()
