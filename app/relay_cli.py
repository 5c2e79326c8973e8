"""`sprout-console relay id|import|status` and pairing from a scanned QR code through the family's relay.

The parent's everyday commands do not change with the relay: `requests`, `grant`, `policy push` … try the LAN first
and go through the broker by themselves when the child's PC is not reachable there (app.link_client.DeviceLink).
"""

from __future__ import annotations

import argparse
import dataclasses
import threading
from typing import Any

from agent.protocol import relay

TEXT = {
    "saved": ("Đã lưu máy chủ chuyển tiếp {broker}", "Relay broker {broker} saved"),
    "online": ("{name}: đang trực tuyến", "{name}: online"),
    "unknown": ("{name}: chưa rõ (máy chưa từng kết nối máy chủ chuyển tiếp)",
                "{name}: not known (the PC has not connected to the relay yet)"),
    "listening": ("Đang nghe máy chủ chuyển tiếp: khi máy của con tắt đột ngột, điện thoại sẽ được báo "
                  "(Ctrl+C để dừng)",
                  "Listening to the relay: when a child's PC goes off unexpectedly, the phones are told "
                  "(Ctrl+C to stop)"),
    "subscribed": ("Điện thoại “{phone}” sẽ nhận thông báo", "The phone “{phone}” will get notifications"),
    "unsubscribed": ("Điện thoại “{phone}” đã tắt thông báo", "The phone “{phone}” turned notifications off"),
    "pushed": ("Đã báo {phones} điện thoại: máy của {child} đã ngoại tuyến",
               "Told {phones} phone(s): {child}'s PC is offline"),
    "no_relay": ("Bảng điều khiển này chưa có máy chủ chuyển tiếp (sprout-console relay import TỆP)",
                 "This console has no relay yet (sprout-console relay import FILE)"),
}


def register(sub: Any, lang_of: Any) -> None:
    s = sub.add_parser("relay", help="reach the child's PC away from home through the family's broker")
    s.add_argument("action", choices=("id", "import", "status", "listen"),
                   help="id: this console's device ID; import FILE: its broker bundle; status: each PC's presence; "
                        "listen: stay connected and tell the phones when a PC goes offline without a goodbye")
    s.add_argument("bundle", nargs="?")
    s.add_argument("--wait", type=float, default=3.0, help="status: seconds to listen for presence")
    s.add_argument("--run-for", type=float, default=0.0, help="listen: seconds to run (default: until stopped)")
    s.set_defaults(func=lambda args, fam: cmd_relay(args, fam, lang_of))


def _say(args: argparse.Namespace, lang_of: Any, key: str, **kw: Any) -> None:
    print(TEXT[key][lang_of(args)].format(**kw), flush=True)


def cmd_relay(args: argparse.Namespace, fam: Any, lang_of: Any) -> int:
    from app.relay_client import for_family, offline_alert, save_settings
    from app.usage import UsageError

    if args.action == "id":
        print(fam.identity.device_id)
        return 0
    if args.action == "import":
        if not args.bundle:
            raise UsageError("import: name the bundle file written by sprout-relay setup")
        from app.phone_link_cli import import_slots

        try:
            import json
            from pathlib import Path

            data = json.loads(Path(args.bundle).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = None  # load_bundle below says what is wrong
        if isinstance(data, dict) and "password" not in data:  # NAME.phones.json: the accounts for linked phones
            from app.link_errors import LinkError

            try:
                if import_slots(fam, data, str(args.bundle), lang_of(args)):
                    return 0
            except LinkError as exc:
                raise UsageError(exc.reason) from None
        try:
            settings = relay.load_bundle(args.bundle)
            save_settings(fam, settings)
        except relay.RelayError as exc:
            raise UsageError(exc.reason) from None
        _say(args, lang_of, "saved", broker=settings.broker)
        return 0
    conn = for_family(fam)
    if conn is None:
        _say(args, lang_of, "no_relay")
        return 2
    if args.action == "listen":
        return listen(args, fam, conn, lang_of)
    heard: dict[str, dict[str, Any]] = {}
    done = threading.Event()
    devices = fam.devices()
    conn.on_presence.append(lambda agent, entry: (heard.__setitem__(agent, entry),
                                                  len(heard) >= len(devices) and done.set()))
    for d in devices:
        conn.watch(d["device_id"])
    done.wait(args.wait)
    book = conn.presence.read()
    lang = "vi" if lang_of(args) == 0 else "en"
    for d in devices:
        entry = heard.get(d["device_id"]) or book.get(d["device_id"])
        if entry is None:
            _say(args, lang_of, "unknown", name=d["name"])
        elif entry.get("online"):
            _say(args, lang_of, "online", name=d["name"])
        else:
            print(offline_alert(d["name"], entry.get("since"), lang), flush=True)
    conn.close()
    return 0


def listen(args: argparse.Namespace, fam: Any, conn: Any, lang_of: Any) -> int:
    """Stay on the relay: take the phones' push subscriptions, push "offline" for a PC gone without a goodbye
    (app.phone_push). Runs until SIGTERM / Ctrl+C, or for --run-for seconds."""
    import signal

    from app.phone_link import PhoneBook
    from app.phone_push import PhonePushes

    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    phones = PhoneBook(fam)
    pushes = PhonePushes(fam, phones)
    pushes.on_event = lambda what, detail: _say(args, lang_of, what, **detail)
    try:
        pushes.attach(conn)
        _say(args, lang_of, "listening")
        stop.wait(args.run_for if args.run_for > 0 else None)
    finally:
        pushes.close()
        conn.close()
        phones.close()
    return 0


def pair_from_qr(args: argparse.Namespace, fam: Any) -> Any:
    """Pair from a scanned `sprout:pair?code=…&id=…&broker=…`: on the LAN with --host, else through the relay."""
    from app.link_client import RELAY_HOST, pair
    from app.relay_client import for_family, load_settings, save_settings
    from app.usage import UsageError

    try:
        fields = relay.parse_pair_uri(args.qr)
    except relay.RelayError as exc:
        raise UsageError(f"--qr: {exc.reason}") from None
    if args.host or "id" not in fields:
        return fields["code"], None
    settings = load_settings(fam)
    if settings is None:
        raise UsageError("--qr: this code is for pairing through a relay, and this console has none yet: "
                         "sprout-console relay import FILE (or give --host on the same network)")
    if fields.get("broker") and fields["broker"] != settings.broker:  # the broker address comes with the QR
        save_settings(fam, dataclasses.replace(settings, broker=fields["broker"]))
    conn = for_family(fam)
    agent_id = fields["id"]
    agent = pair(fam, RELAY_HOST, fields["code"],
                 transport=lambda path, body, timeout: conn.pair_post(agent_id, path, body, timeout))
    if agent.device_id != agent_id:
        fam.remove_device(agent.device_id)
        raise UsageError("--qr: the PC that answered is not the one in the QR code")
    return fields["code"], agent

