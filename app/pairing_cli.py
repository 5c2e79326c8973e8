"""`sprout-console allow-pairing DEVICE`: the parent opens pairing on the child's PC from a console already paired
(the `pair_allow` message), so a second parent's console can pair without anyone at the child's PC. The PC shows a
code in its companion for 10 minutes, for one pairing; the child cannot open it (docs/threat-model.md)."""

from __future__ import annotations

import argparse
from typing import Any

TEXT = {
    "allowed": ("{name} đang hiện mã ghép nối trong {minutes} phút (một lần ghép). Trên máy mới: sprout-console pair "
                "--code MÃ --host {host}",
                "{name} shows a pairing code for {minutes} minutes (one pairing). On the new console: sprout-console "
                "pair --code CODE --host {host}"),
}


def register(sub: Any, lang_of: Any) -> None:
    s = sub.add_parser("allow-pairing", help="let one more console pair with a device (it shows a code for 10 min)")
    s.add_argument("device")
    s.set_defaults(func=lambda a, fam: cmd_allow_pairing(a, fam, lang_of(a)))


def cmd_allow_pairing(args: argparse.Namespace, fam: Any, lang: int) -> int:
    from app.link_client import DeviceLink

    device = fam.find_device(args.device)
    reply = DeviceLink(fam, device["device_id"]).allow_pairing()
    minutes = max(1, round(int(reply.get("expires_in_s", 0)) / 60))
    print(TEXT["allowed"][lang].format(name=device["name"], minutes=minutes, host=device["host"]), flush=True)
    return 0
