"""`sprout-console consent show|agree DEVICE`: what the parent will see, the child's answer, and the parent's own
signed agreement (agent.protocol.consent, carried by the "consent" and "consent_get" message kinds).

The console keeps the record as the agent sends it ("consent" outbox items, sealed in family.sqlite with every other
item), so `show` works with the child's PC off and after a restart.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import Any

from agent.protocol.consent import FIELDS, MINIMUM, NEVER, field_text, plain_text

TEXT = {
    "head": ("{name}: {state}", "{name}: {state}"),
    "asked": ("Bố mẹ sẽ thấy (khi cả hai đồng ý):", "The parent will see (once both agree):"),
    "in_force": ("Đang gửi lúc này:", "Sent right now:"),
    "nothing": ("  (chỉ những điều tối thiểu)", "  (only the minimum)"),
    "minimum": ("Luôn gửi, vì an toàn của gia đình:", "Always sent, for the family's safety:"),
    "never": ("Không bao giờ thu thập:", "Never collected:"),
    "record": ("Lịch sử đồng ý:", "Record of consent:"),
    "who_child": ("con", "child"), "who_parent": ("bố mẹ", "parent"),
    "what_agreed": ("đồng ý", "agreed"), "what_narrowed": ("thu hẹp", "narrowed"),
    "what_wants_to_talk": ("muốn nói chuyện thêm", "wants to talk about it"),
    "child_no": ("Dưới 7 tuổi: bố mẹ quyết định; máy của con vẫn cho con xem bằng hình.",
                 "Under 7: the parent decides; the child's PC still shows it in pictures."),
    "stored": ("(không kết nối được {name}: {why}; hiện bản đã lưu)",
               "(cannot reach {name}: {why}; showing the stored copy)"),
    "none_stored": ("Chưa có bản ghi đồng ý nào cho {name}", "No consent record for {name} yet"),
}


def register(sub: Any, lang_of: Any) -> None:
    s = sub.add_parser("consent", help="what the parent sees of a child's PC, and who agreed to it")
    csub = s.add_subparsers(dest="consent_cmd", metavar="ACTION")
    show = csub.add_parser("show", help="the consent state, the list, and the record of who agreed when")
    show.add_argument("device")
    show.add_argument("--json", action="store_true")
    show.set_defaults(func=lambda a, fam: cmd_show(a, fam, lang_of(a)))
    agree = csub.add_parser("agree", help="agree (signed) to see the listed information; narrowing applies at once")
    agree.add_argument("device")
    agree.add_argument("--fields", help=f"comma-separated, from: {', '.join(FIELDS)} (default: the list shown)")
    agree.set_defaults(func=lambda a, fam: cmd_agree(a, fam, lang_of(a)))


def _t(key: str, lang: int) -> str:
    return TEXT[key][lang]


def _stored(fam: Any, device_id: str) -> dict[str, Any] | None:
    items = fam.items(device_id, kind="consent")
    return items[-1]["payload"] if items else None


def describe(view: dict[str, Any], name: str, lang: int) -> list[str]:
    code = ("vi", "en")[lang]
    lines = [_t("head", lang).format(name=name, state=plain_text("states", view.get("state", "none"), code))]
    lines.append(_t("asked", lang))
    lines += [f"  - {field_text(f, code)}" for f in view.get("proposal", {}).get("fields", [])]
    lines.append(_t("in_force", lang))
    lines += [f"  - {field_text(f, code)}" for f in view.get("in_force", [])] or [_t("nothing", lang)]
    lines.append(_t("minimum", lang) + " " + "; ".join(plain_text("minimum", m, code) for m in MINIMUM))
    lines.append(_t("never", lang) + " " + ", ".join(plain_text("never", n, code) for n in NEVER))
    if view.get("child_needed") is False:
        lines.append(_t("child_no", lang))
    lines.append(_t("record", lang))
    for r in view.get("record", []):
        when = dt.datetime.fromtimestamp(float(r.get("at") or 0)).strftime("%Y-%m-%d %H:%M")
        who = TEXT.get(f"who_{r.get('who')}", (r.get("who"),) * 2)[lang]
        what = TEXT.get(f"what_{r.get('what')}", (r.get("what"),) * 2)[lang]
        lines.append(f"  {when}  {who}: {what} — {', '.join(field_text(f, code) for f in r.get('fields', []))}")
    return lines


def _fetch_view(fam: Any, device: dict[str, Any], lang: int) -> dict[str, Any] | None:
    from app.link_client import DeviceLink, LinkError

    link = DeviceLink(fam, device["device_id"])
    try:
        view = link.consent()
        link.fetch()  # the agent's "consent" items, kept sealed here: the console's copy of the record
        return view
    except LinkError as exc:
        print(_t("stored", lang).format(name=device["name"], why=exc.reason), file=sys.stderr)
        return _stored(fam, device["device_id"])


def cmd_show(args: argparse.Namespace, fam: Any, lang: int) -> int:
    device = fam.find_device(args.device)
    view = _fetch_view(fam, device, lang)
    if view is None:
        print(_t("none_stored", lang).format(name=device["name"]))
        return 1
    if args.json:
        print(json.dumps(view, ensure_ascii=False, indent=1))
        return 0
    print("\n".join(describe(view, device["name"], lang)), flush=True)
    return 0


def cmd_agree(args: argparse.Namespace, fam: Any, lang: int) -> int:
    from app.link_client import DeviceLink
    from app.usage import UsageError

    device = fam.find_device(args.device)
    link = DeviceLink(fam, device["device_id"])
    if args.fields is not None:
        fields = [f.strip() for f in args.fields.split(",") if f.strip()]
        unknown = [f for f in fields if f not in FIELDS]
        if unknown:
            raise UsageError(f"--fields: {', '.join(unknown)}: not one of {', '.join(FIELDS)}"
                             + (" (never collected by Sprout)" if set(unknown) & set(NEVER) else ""))
    else:
        fields = list(link.consent().get("proposal", {}).get("fields", []))
    view = link.give_consent(fields)
    link.fetch()
    print("\n".join(describe(view, device["name"], lang)), flush=True)
    return 0
