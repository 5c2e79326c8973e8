"""`sprout-console phone link|list|remove`: link the parent's phone with a QR code (or a short code) shown in the
terminal, list the linked phones, remove one (docs/phone-linking.md). The window's "Link a phone" dialog does the same
through app.phone_link."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Any

TEXT = {
    "scan": ("Quét mã QR bằng điện thoại (ứng dụng Sprout dành cho cha mẹ), hoặc gõ mã:",
             "Scan the QR code with the phone (Sprout's parent app), or type the code:"),
    "valid": ("Dùng một lần, còn hiệu lực {minutes} phút. Đang chờ điện thoại…",
              "Single use, valid for {minutes} minutes. Waiting for the phone…"),
    "linked": ("Đã liên kết điện thoại “{name}” — mã thiết bị {id}", "Linked the phone “{name}” — device ID {id}"),
    "told": ("{pc}: đã báo", "{pc}: told"),
    "not_told": ("{pc}: chưa báo được ({why}); sẽ báo lại khi máy kết nối được",
                 "{pc}: not told yet ({why}); told again when it can be reached"),
    "failed": ("Không liên kết được: {why}", "Not linked: {why}"),
    "none": ("Chưa có điện thoại nào được liên kết. Dùng: sprout-console phone link",
             "No phone is linked yet. Use: sprout-console phone link"),
    "removed": ("Đã gỡ điện thoại “{name}”: từ giờ mọi máy của con đều từ chối nó.",
                "Removed the phone “{name}”: every child's PC refuses it from now on."),
    "retire": ("Để xoá luôn tài khoản của nó trên máy chủ chuyển tiếp, chạy trên máy chủ:",
               "To delete its account on the relay broker as well, run on the broker:"),
    "waiting": (" (chưa báo {n} máy)", " ({n} PCs not told yet)"),
    "slots": ("Đã nhập {n} tài khoản cho điện thoại", "Imported {n} phone accounts"),
}
OUTCOME = {
    "wrong_code": ("mã sai quá nhiều lần; mã đã bị huỷ — hãy tạo mã mới",
                   "wrong code too many times; the code is burnt — make a new one"),
    "expired": ("mã đã hết hạn mà chưa có điện thoại nào", "the code expired before a phone came"),
    "no_slot": ("không còn tài khoản trống cho điện thoại trên máy chủ chuyển tiếp (sprout-relay setup --phones N, "
                "rồi sprout-console relay import TỆP)",
                "no free phone account on the relay broker (sprout-relay setup --phones N, then sprout-console "
                "relay import FILE)"),
    "cancelled": ("đã huỷ", "cancelled"),
}


def register(sub: Any, lang_of: Any) -> None:
    s = sub.add_parser("phone", help="link the parent's phone (QR code), list or remove linked phones")
    s.add_argument("action", choices=("link", "list", "remove"))
    s.add_argument("phone", nargs="?", help="remove: the phone's name or the start of its ID")
    s.add_argument("--timeout", type=float, default=300.0, help="link: seconds to wait for the phone")
    s.add_argument("--ws", default="", help="link: the broker's MQTT-over-WebSockets URL for the phone")
    s.add_argument("--qr-file", help="link: also write the QR text to this file (for a fake camera in tests)")
    s.set_defaults(func=lambda args, fam: cmd_phone(args, fam, lang_of(args)))


def _say(lang: int, key: str, **kw: Any) -> None:
    print(TEXT[key][lang].format(**kw), flush=True)


def cmd_phone(args: argparse.Namespace, fam: Any, lang: int) -> int:
    from app.phone_link import PhoneBook
    from app.usage import UsageError

    book = PhoneBook(fam)
    try:
        if args.action == "link":
            return _link(args, book, lang)
        book.tell()  # what a PC missed while it was off goes now
        if args.action == "list":
            phones = book.phones()
            if not phones:
                _say(lang, "none")
            for p in phones:
                when = dt.datetime.fromtimestamp(p["added_at"]).strftime("%Y-%m-%d %H:%M")
                extra = TEXT["waiting"][lang].format(n=p["untold"]) if p["untold"] else ""
                print(f"{p['device_id'][:7]}  {p['name']}  {when}{extra}", flush=True)
            return 0
        if not args.phone:
            raise UsageError("remove: name the phone (see `sprout-console phone list`)")
        phone = book.find(args.phone)
        slot = book.remove(phone["device_id"])
        _say(lang, "removed", name=phone["name"])
        _report(book.tell(), lang)
        if slot:
            _say(lang, "retire")
            print(f"  sprout-relay setup FOLDER --family FAMILY --retire-slot {slot}", flush=True)
        return 0
    finally:
        book.close()


def _report(told: dict[str, str], lang: int) -> None:
    for pc, why in told.items():
        _say(lang, "told", pc=pc) if why == "ok" else _say(lang, "not_told", pc=pc, why=why)


def _link(args: argparse.Namespace, book: Any, lang: int) -> int:
    import json

    import qrcode

    from agent.protocol import phone_link
    from app.phone_link import ConsoleLink, relay_settings, serve

    settings = relay_settings(book.family)
    ws = args.ws or json.loads((book.family.dir / "relay.json").read_text(encoding="utf-8")).get("ws", "")
    link = ConsoleLink(book, settings, ws=ws)

    def show() -> None:
        _say(lang, "scan")
        qr = qrcode.QRCode(border=1)
        qr.add_data(link.ticket.qr_text())
        qr.print_ascii(invert=True)
        print(f"    {phone_link.display_code(link.ticket.code)}", flush=True)
        _say(lang, "valid", minutes=int(phone_link.LINK_TTL_S // 60))
        if args.qr_file:
            with open(args.qr_file, "w", encoding="utf-8") as f:
                f.write(link.ticket.qr_text() + "\n" + link.ticket.code + "\n")

    outcome = serve(link, args.timeout, on_ready=show)
    if outcome.phone is None:
        why = OUTCOME.get(outcome.error or "", (outcome.error, outcome.error))[lang]
        print(TEXT["failed"][lang].format(why=why), file=sys.stderr, flush=True)
        return 2
    _say(lang, "linked", name=outcome.phone.name, id=outcome.phone.display_id)
    _report(book.tell(), lang)
    return 0


def import_slots(fam: Any, data: Any, where: str, lang: int) -> bool:
    """`sprout-console relay import NAME.phones.json`: the phone accounts sprout-relay made for this console."""
    if not (isinstance(data, dict) and "phone_slots" in data):
        return False
    from app.phone_link import PhoneBook

    book = PhoneBook(fam)
    try:
        n = book.import_slots(data, where)
    finally:
        book.close()
    _say(lang, "slots", n=n)
    return True
