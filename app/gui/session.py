"""What the console does, without Qt: one object the widgets call (from worker threads for anything that talks to a
device). A phone face could drive the same object."""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agent.policy import age_from_birth_year, preset
from agent.resources import resource_path
from app.family import Family
from app.link_client import DeviceLink, LinkError, pair
from app.reports import Report, build_report
from app.store import Child, ConsoleStore
from app.watch import Watcher

STATUS_TIMEOUT_S = 3.0  # the overview's online check: short, so an offline PC shows quickly


class PolicyConflict(Exception):
    """A PC enforces rules newer than the ones the parent's edit started from (changed from elsewhere)."""

    def __init__(self, version: int, device: str, doc: dict[str, Any]) -> None:
        super().__init__(f"{device} enforces version {version}, newer than the edited rules")
        self.version, self.device, self.doc = version, device, doc


@dataclass
class Applied:
    device: str
    version: int
    at: float


class Session:
    def __init__(self, state_dir: Path, *, use_keyring: bool = True, name: str = "") -> None:
        self.family = Family(state_dir, name=name, use_keyring=use_keyring)
        self.store = ConsoleStore(state_dir, vault=self.family.vault)
        self.closed = False
        self.watcher: Watcher | None = None
        self.phone_pushes: Any = None

    def watch(self, on_items: Callable[[str, list[dict[str, Any]]], None]) -> Watcher:
        """Long-poll every paired PC from now on; on_items(device_id, new items) runs on a watcher thread."""
        if self.watcher is None:
            self.watcher = Watcher(self.family, on_items)
            from app.phone_link import PhoneBook
            from app.phone_push import start_for

            # while the window runs, a PC gone without a goodbye is pushed to the phones (app/phone_push.py)
            self.phone_pushes = start_for(self.family, lambda: PhoneBook(self.family))
        self.watcher.sync()
        return self.watcher

    def close(self) -> None:
        self.closed = True  # widgets still alive (timers, late worker replies) check this before touching stores
        if self.watcher is not None:
            self.watcher.stop()
        if self.phone_pushes is not None:
            self.phone_pushes.close()
        self.store.close()
        self.family.close()

    # ---- devices -----------------------------------------------------------------------------------------
    def devices(self) -> list[dict[str, Any]]:
        out = []
        for d in self.family.devices():
            kid = self.store.child_of(d["device_id"])
            out.append(dict(d, label=self.store.device_label(d["device_id"], d["name"]),
                            child_id=kid.id if kid else None))
        return out

    def devices_of(self, child_id: str) -> list[dict[str, Any]]:
        return [d for d in self.devices() if d["child_id"] == child_id]

    def link(self, device_id: str) -> DeviceLink:
        return DeviceLink(self.family, device_id)

    def status(self, device_id: str) -> dict[str, Any]:
        """The agent's live status; raises LinkError when it cannot be reached in STATUS_TIMEOUT_S."""
        return self.link(device_id).call("status", {}, timeout=STATUS_TIMEOUT_S)["status"]

    def pair(self, host: str, code: str, child_id: str) -> dict[str, Any]:
        keys = pair(self.family, host, code)
        self.store.link_device(child_id, keys.device_id)
        if self.watcher is not None:
            self.watcher.sync()
        return {"device_id": keys.device_id, "name": keys.name, "display_id": keys.display_id}

    def unpair(self, device_id: str) -> None:
        # forgotten here even when the PC is off (DeviceLink.unpair); the child's PC can unpair on its side too
        with contextlib.suppress(LinkError):
            self.link(device_id).unpair()
        self.store.unlink_device(device_id)
        if self.watcher is not None:
            self.watcher.sync()

    # ---- children and policies ---------------------------------------------------------------------------
    def add_child(self, name: str, birth_year: int | None, vn_rule: bool) -> Child:
        kid = self.store.add_child(name, birth_year, vn_rule)
        self.store.save_policy(kid.id, self.preset_for(kid))
        return kid

    @staticmethod
    def preset_for(kid: Child) -> dict[str, Any]:
        age = age_from_birth_year(kid.birth_year, dt.date.today()) if kid.birth_year else 12
        extra = ["vn-decree-147"] if kid.vn_rule else []
        return preset(max(0, min(17, age)), extra, child_name=kid.name, birth_year=kid.birth_year)

    def policy(self, child_id: str) -> dict[str, Any]:
        doc = self.store.policy(child_id)
        if doc is None:
            doc = self.preset_for(self.store.child(child_id))
            self.store.save_policy(child_id, doc)
        return copy.deepcopy(doc)

    def fetch_policy(self, child_id: str) -> dict[str, Any] | None:
        """The rules the child's PCs enforce now (the newest of them), kept here when newer than this console's
        copy — a push from the command line or another console must not be shown as the old limits.

        Returns {"doc", "version", "device"} of the newest, or None when no PC answered; LinkError when none did
        and at least one is paired."""
        best: dict[str, Any] | None = None
        errors: list[LinkError] = []
        for d in self.devices_of(child_id):
            try:
                doc = self.link(d["device_id"]).current_policy()
            except LinkError as exc:
                errors.append(exc)
                continue
            if isinstance(doc, dict) and (best is None or int(doc.get("version", 0)) > best["version"]):
                best = {"doc": doc, "version": int(doc.get("version", 0)), "device": d["label"]}
        if best is None:
            if errors:
                raise errors[0]
            return None
        if best["version"] > int(self.policy(child_id).get("version", 0)):
            self.store.save_policy(child_id, best["doc"])
        return best

    def push_policy(self, child_id: str, doc: dict[str, Any], *, base_version: int | None = None) -> list[Applied]:
        """Store the edited policy with the next version and send it to each of the child's devices.

        base_version: the version the parent's edit started from; when a PC enforces a newer one (changed
        elsewhere since), PolicyConflict is raised and nothing is sent — the parent decides (push again with
        base_version=None to replace it).
        Raises PolicyError (invalid) or LinkError (a device refused or is offline); what was stored stays.
        """
        from agent.policy import load_policy_doc

        if base_version is not None:
            newest = self.fetch_policy(child_id)
            if newest is not None and newest["version"] > base_version:
                raise PolicyConflict(newest["version"], newest["device"], newest["doc"])
        versions = [doc.get("version", 0), self.policy(child_id).get("version", 0)]
        versions += [(self.store.applied(d["device_id"]) or {}).get("version", 0) for d in self.devices_of(child_id)]
        new = dict(doc, version=max(int(v or 0) for v in versions) + 1)
        new = load_policy_doc(new)
        self.store.save_policy(child_id, new)
        done = []
        for d in self.devices_of(child_id):
            version = self.link(d["device_id"]).push_policy(new)
            self.store.mark_applied(d["device_id"], version)
            done.append(Applied(d["label"], version, time.time()))
        return done

    # ---- reports and requests ----------------------------------------------------------------------------
    def fetch_all(self) -> list[str]:
        """Fetch every device's new outbox items (stored sealed in app.family); names of devices not reached."""
        missed = []
        for d in self.family.devices():
            try:
                self.link(d["device_id"]).fetch()
            except LinkError:
                missed.append(d["name"])
        return missed

    def open_requests(self) -> list[dict[str, Any]]:
        return [dict(i, label=self.store.device_label(i["device_id"], i["device_id"][:7]))
                for i in self.family.open_requests()]

    def decide(self, request: dict[str, Any], approve: bool, minutes: int, message: str = "") -> dict[str, Any]:
        rid = request["payload"]["id"]
        return self.link(request["device_id"]).decide(rid, approve, minutes if approve else 0, message[:300])

    def control(self, child_id: str, kind: str, action: str, until: float | None = None) -> list[str]:
        """Lock now / unlock / pause internet / resume on each of the child's PCs; the labels of those that did it
        (raises LinkError when none could, with the first PC's reason)."""
        done, first_error = [], None
        for d in self.devices_of(child_id):
            try:
                self.link(d["device_id"]).control(kind, action, until)
                done.append(d["label"])
            except LinkError as exc:
                first_error = first_error or exc
        if not done and first_error is not None:
            raise first_error
        return done

    def count_as_game(self, device_id: str, alert: dict[str, Any]) -> list[Applied]:
        """The parent's one tap on a new full-screen program: the child's rules count it as a game (by content)."""
        from app.game_marks import count_as_game

        kid = self.store.child_of(device_id)
        if kid is None:
            raise LinkError("unknown_device", "this PC is not given to a child on this console")
        with contextlib.suppress(LinkError):  # start from what the PC enforces when it answers
            self.fetch_policy(kid.id)
        return self.push_policy(kid.id, count_as_game(self.policy(kid.id), alert))

    def is_counted_as_game(self, device_id: str, alert: dict[str, Any]) -> bool:
        from app.game_marks import is_counted

        kid = self.store.child_of(device_id)
        return kid is not None and is_counted(self.policy(kid.id), alert)

    def allow_site(self, alert: dict[str, Any]) -> list[Applied]:
        """The answer to a child's "ask my parents to open it" (an alert of kind site_request): the site joins the
        allow list of the child whose PC asked, and the rules go to each of the child's PCs. Starts from the rules
        the PCs enforce now, so another console's change is kept. Raises ValueError (no such site or child),
        PolicyError or LinkError (a PC refused or is offline); what was stored stays."""
        payload = alert.get("payload") or {}
        domain = payload.get("domain")
        kid = self.store.child_of(alert.get("device_id", ""))
        if payload.get("kind") != "site_request" or not isinstance(domain, str) or not domain:
            raise ValueError("this alert is not a request to open a site")
        if kid is None:
            raise ValueError("this PC is no longer linked to a child in this console")
        self.fetch_policy(kid.id)  # the rules in force, kept here when newer
        doc = self.policy(kid.id)
        web = doc.setdefault("web", {})
        allow = list(web.get("allow") or [])
        if domain not in allow:
            allow.append(domain)
        web["allow"] = sorted(allow)
        return self.push_policy(kid.id, doc)

    def site_allowed(self, alert: dict[str, Any]) -> bool:
        """Whether the site of a site_request alert is on its child's allow list in this console's rules."""
        kid = self.store.child_of(alert.get("device_id", ""))
        domain = (alert.get("payload") or {}).get("domain")
        if kid is None or not domain:
            return False
        return domain in ((self.policy(kid.id).get("web") or {}).get("allow") or [])

    def alerts(self, days: int = 7) -> list[dict[str, Any]]:
        since = (dt.date.today() - dt.timedelta(days=days - 1)).isoformat()
        return [i for i in self.family.items(kind="alert") if (i["day"] or "") >= since]

    def harmful_reports(self, days: int = 30) -> list[dict[str, Any]]:
        """What a child reported as harmful (their own words), newest last, with the child's name."""
        since = (dt.date.today() - dt.timedelta(days=days - 1)).isoformat()
        out = []
        for i in self.family.items(kind="harmful_report"):
            if (i["day"] or "") >= since:
                kid = self.store.child_of(i["device_id"])
                out.append(dict(i, child=kid.name if kid else self.store.device_label(i["device_id"], "?")))
        return sorted(out, key=lambda i: (i.get("at") or 0, i["seq"]))

    def child_items(self, child_id: str) -> list[dict[str, Any]]:
        items = []
        for d in self.devices_of(child_id):
            floor = self.store.history_floor(d["device_id"])
            items += [i for i in self.family.items(d["device_id"]) if i["seq"] > floor]
        return items

    def report(self, child_id: str, days: int, live_today: dict[str, Any] | None = None) -> Report:
        # "today" is the child's PC's day (its time zone, its trusted clock) when it has told us
        last = dt.date.today()
        if live_today and isinstance(live_today.get("day"), str):
            with contextlib.suppress(ValueError):
                last = dt.date.fromisoformat(live_today["day"][:10])
        return build_report(self.child_items(child_id), last, days, live_today=live_today)

    def export_data(self, path: Path) -> None:
        """Everything this console knows about the family, as JSON (for the parent's own backup or a move)."""
        data = {"children": [c.__dict__ for c in self.store.children()],
                "policies": {c.id: self.store.policy(c.id) for c in self.store.children()},
                "devices": self.devices(), "items": self.family.items()}
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def load_catalog_games() -> list[tuple[str, str]]:
    """(id, title) of every game in the shipped catalog, for the per-game picker."""
    data = json.loads(resource_path("catalog", "apps.json").read_text(encoding="utf-8"))
    return sorted(((e["id"], e.get("title", e["id"])) for e in data["entries"] if e.get("kind") == "game"),
                  key=lambda g: g[1].lower())


def load_categories() -> dict[str, dict[str, dict[str, str]]]:
    """{name: {"title": {vi, en}, "description": {vi, en}}} from resources/categories/catalog.json."""
    data = json.loads(resource_path("categories", "catalog.json").read_text(encoding="utf-8"))
    return {k: {"title": v["title"], "description": v["description"]} for k, v in data["categories"].items()}
