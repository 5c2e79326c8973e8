"""`sprout-console lock|unlock|pause|resume DEVICE`: the parent's "lock now" and "pause internet until …" from the
command line (app.controls for the times; the agent's side is agent.service.controls)."""

from __future__ import annotations

import argparse
from typing import Any

from app.controls import KINDS, ControlTimeError, family_zone, until_from
from app.usage import UsageError

TEXT = {
    "lock": ("Đã khóa máy {name}{until}", "Locked {name}{until}"),
    "lock_open": (" cho đến khi bố mẹ mở", " until a parent unlocks it"),
    "unlock": ("Đã mở khóa máy {name}", "Unlocked {name}"),
    "pause": ("Đã tạm dừng Internet trên máy {name}{until}", "Paused the internet on {name}{until}"),
    "resume": ("Đã bật lại Internet trên máy {name}", "The internet is back on for {name}"),
    "until": (" đến {time}", " until {time}"),
}


def register(sub: Any, lang_of: Any) -> None:
    helps = {"lock": "lock the child's PC now (until a time, for minutes, or until you unlock it)",
             "unlock": "unlock the child's PC (ends a lock now)",
             "pause": "pause the internet on the child's PC until a time (at most 24 hours)",
             "resume": "turn the internet back on (ends a pause)"}
    for command, text in helps.items():
        s = sub.add_parser(command, help=text)
        s.add_argument("device")
        if command in ("lock", "pause"):
            s.add_argument("--until", metavar="HH:MM", help="the end, as a time of day (the next one)")
            s.add_argument("--minutes", type=int, help="the end, as minutes from now")
        s.set_defaults(func=lambda a, fam, c=command: cmd_control(a, fam, c, lang_of(a)))


def cmd_control(args: argparse.Namespace, fam: Any, command: str, lang: int) -> int:
    from app.link_client import DeviceLink

    until = None
    device = fam.find_device(args.device)
    link = DeviceLink(fam, device["device_id"])
    if command in ("lock", "pause"):
        # "18:00" is 18:00 in the family's time zone (the child's rules), as the child's PC shows it
        tz = family_zone(link.current_policy()) if args.until is not None else None
        try:
            until = until_from(at=args.until, minutes=args.minutes, tz=tz)
        except ControlTimeError as exc:
            raise UsageError(f"--until/--minutes: {exc}") from None
        if command == "pause" and until is None:
            raise UsageError("--until/--minutes: a pause needs an end (at most 24 hours from now)")
    kind, action = KINDS[command]
    view = link.control(kind, action, until)
    shown = TEXT["until"][lang].format(time=view.get("until_text") or "?") if until else (
        TEXT["lock_open"][lang] if command == "lock" else "")
    print(TEXT[command][lang].format(name=device["name"], until=shown), flush=True)
    return 0
