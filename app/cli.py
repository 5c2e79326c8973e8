"""`sprout-console`: the parent's command line beside the GUI (scripting, tests, device makers).

Every mistake — a wrong code, an unknown device, an unreachable agent, a refused policy — is one line
"sprout-console CMD: what: where: why" and exit code 2; nothing already stored is lost.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import Any

from agent.protocol.errors import ProtocolError
from app.usage import UsageError as UsageError  # raised here and by the subcommand modules

TEXT = {
    "paired": ("Đã ghép nối với {name} — mã thiết bị {id}", "Paired with {name} — device ID {id}"),
    "no_devices": ("Chưa có thiết bị nào. Dùng: sprout-console pair --code MÃ --host MÁY:CỔNG",
                   "No devices yet. Use: sprout-console pair --code CODE --host HOST:PORT"),
    "pushed": ("Đã áp dụng chính sách phiên bản {v} trên {name}", "Policy version {v} applied on {name}"),
    "no_requests": ("Không có yêu cầu nào đang chờ", "No requests are waiting"),
    "request": ("{id}  {name}: xin thêm {minutes} phút {scope}",
                "{id}  {name}: asks for {minutes} more minutes of {scope}"),
    "because": (" — lý do: “{reason}”", " — “{reason}”"),
    "scope_screen": ("dùng máy", "screen time"),
    "scope_games": ("chơi game", "game time"),
    "granted": ("Đã cho thêm {minutes} phút ({id})", "Granted {minutes} minutes ({id})"),
    "granted_late": ("Đã cho thêm {minutes} phút cho hôm nay, {day} ({id}; con xin từ ngày {asked})",
                     "Granted {minutes} minutes for today, {day} ({id}; asked on {asked})"),
    "declined": ("Đã từ chối ({id})", "Declined ({id})"),
    "unpaired": ("Đã huỷ ghép nối {name}", "Unpaired {name}"),
    "report_head": ("Báo cáo {name} ngày {day}: {n} mục", "Report for {name} on {day}: {n} items"),
    "refused": ("({name} từ chối: {why}; hiện dữ liệu đã lưu)", "({name} refused: {why}; showing stored data)"),
    "offline": ("(không kết nối được {name}: {why}; hiện dữ liệu đã lưu)",
                "(cannot reach {name}: {why}; showing stored data)"),
}


def _lang(args: argparse.Namespace) -> int:
    lang = args.lang or ("vi" if os.environ.get("LANG", "").startswith("vi") else "en")
    return 0 if lang == "vi" else 1


def say(args: argparse.Namespace, key: str, **kw: Any) -> None:
    print(TEXT[key][_lang(args)].format(**kw), flush=True)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="sprout-console", description="Sprout parent console (command line).")
    p.add_argument("--state", type=Path, help="console state folder (default: the user data dir)")
    p.add_argument("--lang", choices=("vi", "en"), help="language of messages (default from LANG)")
    p.add_argument("--name", help="this console's name as the child's PC will show it (default: host name)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    s = sub.add_parser("pair", help="pair with a child's PC using the code it shows")
    s.add_argument("--code", help="the code the child's PC shows")
    s.add_argument("--qr", help="the scanned QR text (sprout:pair?code=…&id=…&broker=…): through the relay if "
                                "there is no --host")
    s.add_argument("--host", help="HOST:PORT of the agent (default: find it on the LAN with zeroconf)")
    s.set_defaults(func=cmd_pair)
    sub.add_parser("devices", help="list paired devices").set_defaults(func=cmd_devices)
    s = sub.add_parser("policy", help="policy commands")
    psub = s.add_subparsers(dest="policy_cmd", metavar="ACTION")
    pp = psub.add_parser("push", help="sign a policy file and send it to a device")
    pp.add_argument("device")
    pp.add_argument("file", type=Path)
    pp.set_defaults(func=cmd_policy_push)
    s = sub.add_parser("report", help="fetch and show a device's reports for a day")
    s.add_argument("device")
    s.add_argument("--day", help="YYYY-MM-DD (default: today)")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_report)
    s = sub.add_parser("requests", help="fetch and list waiting time requests")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_requests)
    s = sub.add_parser("watch", help="wait for the next time request (long-poll)")
    s.add_argument("--timeout", type=float, default=60.0)
    s.set_defaults(func=cmd_watch)
    s = sub.add_parser("grant", help="grant a time request")
    s.add_argument("request")
    s.add_argument("minutes", type=int)
    s.add_argument("--message", default="")
    s.set_defaults(func=cmd_grant)
    s = sub.add_parser("decline", help="decline a time request")
    s.add_argument("request")
    s.add_argument("--message", default="")
    s.set_defaults(func=cmd_decline)
    s = sub.add_parser("unpair", help="unpair a device (tells it, then forgets it)")
    s.add_argument("device")
    s.set_defaults(func=cmd_unpair)
    s = sub.add_parser("gui", help="open the parent console window (first-run wizard when not set up)")
    s.add_argument("--no-lan-search", action="store_true", help="do not look for child PCs with zeroconf")
    s.set_defaults(func=cmd_gui)
    s = sub.add_parser("setup", help="set up this console without the window: parent PIN, a child and its PC")
    s.add_argument("--pin-stdin", action="store_true", required=True, help="read the new parent PIN from stdin")
    s.add_argument("--child", required=True, metavar="NAME", help="the child's display name")
    s.add_argument("--birth-year", type=int, required=True)
    s.add_argument("--device", help="a paired device (id or its start) to give to this child")
    s.add_argument("--no-vn-rule", action="store_true", help="do not add the Vietnam game-time rule")
    s.add_argument("--language", choices=("vi", "en"), default="vi", help="the console window's language")
    s.set_defaults(func=cmd_setup)
    from app.consent_cli import register as register_consent

    register_consent(sub, _lang)
    from app.pairing_cli import register as register_pairing

    register_pairing(sub, _lang)
    from app.relay_cli import register as register_relay

    register_relay(sub, _lang)
    from app.phone_link_cli import register as register_phone

    register_phone(sub, _lang)
    from app.controls_cli import register as register_controls

    register_controls(sub, _lang)
    return p


def _family(args: argparse.Namespace) -> Any:
    from app.family import Family

    state = args.state
    if state is None:
        import platformdirs

        state = Path(platformdirs.user_data_dir("sprout-console", appauthor=False))
    try:
        return Family(state, name=args.name or "")
    except OSError as exc:
        raise UsageError(f"--state: {state}: {exc.strerror}") from None


def _link(fam: Any, device: str) -> Any:
    from app.link_client import DeviceLink

    return DeviceLink(fam, fam.find_device(device)["device_id"])


def cmd_pair(args: argparse.Namespace, fam: Any) -> int:
    from agent.protocol.pairing import normalize_code
    from app.link_client import pair

    if args.qr:
        from app.relay_cli import pair_from_qr

        args.code, agent = pair_from_qr(args, fam)
        if agent is not None:
            say(args, "paired", name=agent.name or "relay", id=agent.display_id)
            return 0
    if not args.code:
        raise UsageError("--code: give the code the child's PC shows (or --qr)")
    try:
        normalize_code(args.code)
    except ProtocolError as exc:
        raise UsageError(f"--code: {args.code}: {exc.reason}") from None
    host = args.host or _discover()
    agent = pair(fam, host, args.code)
    say(args, "paired", name=agent.name or host, id=agent.display_id)
    return 0


def _discover(timeout_s: float = 3.0) -> str:
    from app.discovery import browse

    found = browse(timeout_s, enough=bool)
    if len(found) != 1:
        raise UsageError(f"--host: none given and {len(found)} Sprout devices answered on the LAN; give HOST:PORT")
    return found[0].address


def cmd_devices(args: argparse.Namespace, fam: Any) -> int:
    devices = fam.devices()
    if not devices:
        say(args, "no_devices")
    for d in devices:
        print(f"{d['display_id']}  {d['name']}  {d['host']}")
    return 0


def cmd_policy_push(args: argparse.Namespace, fam: Any) -> int:
    from agent.policy import PolicyError, load_policy_doc

    try:
        text = args.file.read_bytes()
    except OSError as exc:
        raise UsageError(f"FILE: {args.file}: {exc.strerror}") from None
    try:
        doc = load_policy_doc(text, source=str(args.file))
    except PolicyError as exc:
        first = exc.problems[0] if exc.problems else None
        where = f"{first.path}: {first.reason}" if first else str(exc)
        more = f" (+{len(exc.problems) - 1} more)" if len(exc.problems) > 1 else ""
        raise UsageError(f"policy: {args.file}: {where}{more}") from None
    link = _link(fam, args.device)
    # The agent takes only the version after the one in force (a console cannot jump ahead or replay), so the
    # console numbers what it sends: a policy written from a preset (version 1) is pushed as it is meant to be.
    in_force = link.current_policy()
    current = int(in_force["version"]) if in_force and isinstance(in_force.get("version"), int) else 0
    version = link.push_policy({**doc, "version": current + 1})
    say(args, "pushed", v=version, name=link.peer.name)
    return 0


def _sync(args: argparse.Namespace, fam: Any, device: dict[str, Any]) -> None:
    from app.link_client import DeviceLink, LinkError

    try:
        DeviceLink(fam, device["device_id"]).fetch()
    except LinkError as exc:
        key = "offline" if exc.code == "unreachable" else "refused"
        print(TEXT[key][_lang(args)].format(name=device["name"], why=exc.reason), file=sys.stderr)


def cmd_report(args: argparse.Namespace, fam: Any) -> int:
    day = args.day or dt.date.today().isoformat()
    try:
        dt.date.fromisoformat(day)
    except ValueError:
        raise UsageError(f"--day: {day}: expected a date YYYY-MM-DD") from None
    device = fam.find_device(args.device)
    _sync(args, fam, device)
    items = fam.items(device["device_id"], day=day)
    if args.json:
        print(json.dumps(items, ensure_ascii=False, indent=1))
        return 0
    say(args, "report_head", name=device["name"], day=day, n=len(items))
    for i in items:
        print(f"#{i['seq']:<5} {i['kind']:<14} {json.dumps(i['payload'], ensure_ascii=False)[:200]}")
    return 0


def cmd_requests(args: argparse.Namespace, fam: Any) -> int:
    names = {}
    for device in fam.devices():
        names[device["device_id"]] = device["name"]
        _sync(args, fam, device)
    waiting = fam.open_requests()
    if args.json:
        print(json.dumps([dict(i["payload"], device=i["device_id"]) for i in waiting], ensure_ascii=False))
        return 0
    if not waiting:
        say(args, "no_requests")
    lang = _lang(args)
    for i in waiting:
        p = i["payload"]
        scope = p.get("scope", "screen")
        scope_text = TEXT.get(f"scope_{scope}", (scope, scope))[lang]
        line = TEXT["request"][lang].format(id=p.get("id"), name=names.get(i["device_id"], "?"),
                                            minutes=p.get("minutes"), scope=scope_text)
        reason = str(p.get("reason") or "").strip()
        print(line + (TEXT["because"][lang].format(reason=reason) if reason else ""), flush=True)
    return 0


def cmd_watch(args: argparse.Namespace, fam: Any) -> int:
    from app.link_client import DeviceLink, wait_for_request

    links = [DeviceLink(fam, d["device_id"]) for d in fam.devices()]
    if not links:
        raise UsageError("watch: no paired device to watch")
    for i in wait_for_request(links, args.timeout):
        p = i["payload"]
        say(args, "request", id=p.get("id"), name=fam.peer_keys(i["device_id"]).name, minutes=p.get("minutes"),
            scope=p.get("scope", "screen"), reason=p.get("reason", ""))
    return 0


def _decide(args: argparse.Namespace, fam: Any, approve: bool, minutes: int) -> dict[str, Any]:
    from app.link_client import DeviceLink

    item = fam.find_request(args.request)
    if len(args.message) > 300:
        raise UsageError("--message: at most 300 characters")
    return DeviceLink(fam, item["device_id"]).decide(args.request, approve, minutes, args.message)


def cmd_grant(args: argparse.Namespace, fam: Any) -> int:
    if not 1 <= args.minutes <= 1440:
        raise UsageError(f"MINUTES: {args.minutes}: must be from 1 to 1440")
    result = _decide(args, fam, True, args.minutes)
    if result.get("asked_day") and result.get("day") and result["asked_day"] != result["day"]:
        say(args, "granted_late", minutes=result.get("minutes"), id=args.request, day=result["day"],
            asked=result["asked_day"])
    else:
        say(args, "granted", minutes=result.get("minutes"), id=args.request)
    return 0


def cmd_decline(args: argparse.Namespace, fam: Any) -> int:
    _decide(args, fam, False, 0)
    say(args, "declined", id=args.request)
    return 0


def cmd_unpair(args: argparse.Namespace, fam: Any) -> int:
    from app.link_client import LinkError

    link = _link(fam, args.device)
    try:
        link.unpair()
    except LinkError as exc:  # forgotten here anyway; the agent can unpair on its side too
        print(f"sprout-console unpair: agent not told: {exc.reason}", file=sys.stderr)
    say(args, "unpaired", name=link.peer.name)
    return 0


def cmd_setup(args: argparse.Namespace, fam: Any) -> int:
    """What the first-run wizard does, for scripts and device makers (README's run command uses it)."""
    from app.store import ConsoleStore, ConsoleStoreError

    device = fam.find_device(args.device)["device_id"] if args.device else None
    store = ConsoleStore(fam.dir, vault=fam.vault)
    try:
        if store.has_pin():
            raise UsageError("--pin-stdin: this console already has a parent PIN; change it in the window")
        store.set_pin(sys.stdin.readline().strip())
        store.set_language(args.language)
        child = store.add_child(args.child, args.birth_year, not args.no_vn_rule)
        if device:
            store.link_device(child.id, device)
    except ConsoleStoreError as exc:
        raise UsageError(str(exc)) from None
    finally:
        store.close()
    print(f"{child.name}: {'linked to ' + device[:7] if device else 'no device yet'}")
    return 0


def cmd_gui(args: argparse.Namespace, fam: Any) -> int:
    from app.gui.app import run

    fam.close()  # the window opens its own Family on the same folder
    return run(fam.dir, lang=args.lang, name=args.name or "", lan_search=not args.no_lan_search)


def main(argv: list[str] | None = None) -> int:
    from app.family import FamilyError
    from app.link_client import LinkError

    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    fam = None
    try:
        fam = _family(args)
        code = int(args.func(args, fam) or 0)
        sys.stdout.flush()  # inside the try, so a reader that went away is handled below
        return code
    except (UsageError, FamilyError) as exc:
        print(f"sprout-console {args.command}: {exc}", file=sys.stderr)
    except LinkError as exc:
        print(f"sprout-console {args.command}: {exc.code}: {exc.reason}", file=sys.stderr)
    except ProtocolError as exc:
        print(f"sprout-console {args.command}: {exc.code}: {exc.reason}", file=sys.stderr)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader went away (`… | head`): stop quietly as other Unix tools do, and keep Python's flush at exit
        # from raising the same error again
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    finally:
        if "app.relay_client" in sys.modules:  # its network thread may use the family: stop it first
            sys.modules["app.relay_client"].close_all()
        if fam is not None:
            fam.close()
    return 2


if __name__ == "__main__":
    sys.exit(main())
