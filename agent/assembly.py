"""The one place that assembles the agent from its parts: the policy source, the encrypted store and its key
custody, the ledger (in the core), the OS adapters, the web filter, the parent link and the companion channel.

Every command and the service come through here, so what a test of a command proves holds for the product:
  sprout-agent run [--user-mode]   build_core + start_extras, then serve() runs the loop (agent/service/loop.py)
  sprout-agent dns                 web_classifier + dns_filter_server (the same as the service's filter)
  sprout-agent classify            web_classifier
  python -m agent.link             open_store + the link (start_link, as the service's parent link)
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agent.catalog.content import ContentIndex
from agent.errors import CliError
from agent.ledger.apps import AppClassifier
from agent.ledger.clock import Clock, SystemClock
from agent.oem import BrandLogo, LogoError, read_logo
from agent.os.account import ACCOUNT
from agent.os.files import FILE_RULES
from agent.policy import PolicyError, load_policy_doc, preset
from agent.service.core import AgentCore
from agent.service.enforcer import Enforcer
from agent.service.loop import ServiceLoop
from agent.service.notices import NoticeBoard
from agent.service.sampler import Sampler

log = logging.getLogger("sprout.agent")

DB_NAME = "agent.db"
KEY_NAME = "store-key"


@dataclass
class ServiceOptions:
    state_dir: Path
    user_mode: bool
    policy_file: Path | None = None
    child_uid: int | None = None  # whose processes are counted and may be closed
    tick_s: float = 1.0
    save_every_s: float = 15.0
    idle_threshold_s: float = 300.0
    socket_path: Path | None = None  # the companion's local channel
    link_listen: str | None = None  # host:port of the parent link endpoint
    dns_listen: str | None = None  # host:port of the DNS filter
    dns_upstreams: list[str] = field(default_factory=list)
    blockpage_listen: str | None = None  # where the kind block page is served (default: :80 as a service)
    lang: str | None = None  # None: the device maker's default language (oem.json), else Vietnamese
    key_file_fallback: bool = False
    # asked (SNTP) only while trusted time is held after a reboot; empty: agent/os/timesource.py's defaults
    time_servers: list[str] = field(default_factory=list)
    # where camera and microphone device files are looked for (None: /dev); a test passes a folder of its own
    capture_device_root: Path | None = None
    capture_every_s: float = 3.0


def open_vault(state_dir: Path, *, file_fallback: bool) -> Any:
    """The agent's key custody (the OS keyring, or 0600 files under STATE when allowed): its identity and store key."""
    from agent.store.keys import SecretVault

    return SecretVault("sprout-agent", state_dir, file_fallback=file_fallback)


def open_store(state_dir: Path, *, file_fallback: bool, create: bool = True) -> tuple[Any, Any]:
    """The encrypted store and the key custody (SecretVault) it was opened with."""
    from agent.store.db import EncryptedStore

    state_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    vault = open_vault(state_dir, file_fallback=file_fallback)
    if create:
        key = vault.get_or_create(KEY_NAME, lambda: os.urandom(32))
    else:
        key = vault.get(KEY_NAME)
        if key is None:
            raise CliError(f"{state_dir}: the store key is not in {vault.backend_name}; was the agent run here?")
    log.info("store key custody: %s", vault.backend_name)
    store = EncryptedStore.open(state_dir / DB_NAME, key)
    if store.recovery is not None:
        log.error("database problem: %s", store.recovery)
    return store, vault


def initial_policy(store: Any, policy_file: Path | None, *, user_mode: bool = True) -> dict[str, Any]:
    """The last good policy; a newer valid --policy file replaces it; with neither, a safe default (fail closed)."""
    latest = None
    try:
        row = store.latest_policy()
    except Exception:
        log.exception("stored policy unreadable")
        row = None
    if row is not None:
        blob = getattr(row, "blob", None) or (row.get("blob") if isinstance(row, dict) else None)
        if blob:
            try:
                latest = load_policy_doc(blob)
            except PolicyError as exc:
                log.error("stored policy invalid: %s", exc)
    if policy_file is not None:
        if not user_mode:
            check_owned_by_service(policy_file)
        try:
            doc = load_policy_doc(policy_file.read_bytes(), source=str(policy_file))
        except OSError as exc:
            raise PolicyError([], f"{policy_file}: cannot read: {exc.strerror}") from None
        if latest is None or doc["version"] > latest["version"]:
            store.record_policy(doc["version"], json.dumps(doc).encode(), "local-file")
            return doc
        log.warning("%s has version %s, not newer than the stored %s: keeping the stored policy",
                    policy_file, doc["version"], latest["version"])
    if latest is not None:
        return latest
    log.warning("no policy yet: enforcing the default for ages 11–13 with the Vietnam game rule until the parent "
                "pairs and sends one")
    return preset(12, ["vn-decree-147"])


def oem_settings(state_dir: Path) -> dict[str, Any]:
    """What `first-start` kept from the device maker's oem.toml (STATE/oem.json); {} for a family's own install."""
    path = state_dir / "oem.json"
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.error("%s unreadable (%s): using Sprout's defaults", path, exc)
        return {}
    return data if isinstance(data, dict) else {}


def oem_logo(state_dir: Path, oem: dict[str, Any]) -> BrandLogo | None:
    """The device maker's logo that first-start copied into the state folder, read and checked once per start.

    The companion runs as the child and cannot read the 0700 state folder, so the service keeps the bytes and
    hands them over the local channel. A missing or bad file is one warning naming the file and the reason; the
    companion then simply shows Sprout's own look."""
    name = oem.get("logo")
    if not name:
        return None
    # oem.json only ever holds a bare file name (brand-logo.png|svg); anything else did not come from first-start.
    if not isinstance(name, str) or Path(name).name != name or name in (".", ".."):
        log.warning("%s: logo %r is not a file name in the state folder; showing Sprout's own look",
                    state_dir / "oem.json", name)
        return None
    path = state_dir / name
    try:
        logo = read_logo(path)
    except LogoError as exc:
        log.warning("device maker's logo %s: %s; the companion shows Sprout's own look", path, exc)
        return None
    log.info("device maker's logo %s: %s, %d bytes", path, logo.type, logo.size)
    return logo


def check_owned_by_service(path: Path) -> None:
    """As a system service (root, or the `sprout` account), a policy file the child could have written is refused:
    it must belong to root or to the service's own account and be writable by no one else. (The child's admin
    rights are detected and reported separately.)"""
    st = path.stat()
    # Owners and mode bits as this OS keeps them (agent/os/files.py); Windows: the folder's ACL, set by the installer.
    if FILE_RULES.foreign_owner(st, also=(0,)) is not None or FILE_RULES.loose_mode(st, 0o022):
        raise PolicyError([], f"{path}: must be owned by root or the service account and not writable by group or "
                              f"others (owner uid {st.st_uid}, mode {oct(st.st_mode & 0o777)})")


def report_admin_child(core: AgentCore, child_uid: int | None) -> None:
    if child_uid is None or ACCOUNT.uid() is None:  # no uid accounts on this OS (Windows: SIDs)
        return
    from agent.os.account import user_by_uid
    from agent.os.admin import admin_status

    found = user_by_uid(child_uid)
    if found is None:
        return
    name = found.name
    status = admin_status(name)
    if status.is_admin is not False:
        # An admin child can stop Sprout: the parent must know (and "could not tell" is reported too).
        core.report_tamper("child_is_admin" if status.is_admin else "admin_unknown", {"user": name,
                                                                                   "reason": status.reason})


def real_adapters(user_mode: bool, child_uid: int | None) -> dict[str, Any]:
    """The OS adapters for this platform (agent/os/), chosen by its factory."""
    from agent.catalog import Catalog
    from agent.os.factory import make_adapters
    from agent.os.media import make_media_source
    from agent.os.terminate import close_process

    found = make_adapters(child_uid=None if user_mode else child_uid)
    media = make_media_source(user_mode=user_mode, child_uid=child_uid,
                              media_apps=[e.id for e in Catalog.load().entries() if e.media])
    return {"processes": found.processes, "foreground": found.foreground, "idle": found.idle,
            "session": found.session, "closer": close_process, "media": media}


def build_core(opts: ServiceOptions, *, clock: Clock | None = None, adapters: dict[str, Any] | None = None,
               store: Any = None, notices: NoticeBoard | None = None) -> AgentCore:
    vault = None
    if store is None:
        store, vault = open_store(opts.state_dir, file_fallback=opts.key_file_fallback or opts.user_mode)
    doc = initial_policy(store, opts.policy_file, user_mode=opts.user_mode)
    awaiting = awaiting_child(opts)
    child_uid = opts.child_uid if opts.child_uid is not None else ACCOUNT.real_uid()
    if awaiting:
        child_uid = None
        adapters = adapters or waiting_adapters()
    adapters = adapters or real_adapters(opts.user_mode, child_uid)
    clock = clock or SystemClock()
    own_pid = os.getpid()
    classifier = AppClassifier()
    content = ContentIndex(classifier.catalog.entries(), child_uid=child_uid)
    sampler = Sampler(clock=clock, processes=adapters["processes"], foreground=adapters.get("foreground"),
                      idle=adapters.get("idle"), classifier=classifier, child_uid=child_uid,
                      idle_threshold_s=opts.idle_threshold_s, ignore_pids=lambda: {own_pid}, content=content,
                      media=adapters.get("media"))
    enforcer = Enforcer(closer=adapters["closer"], session=adapters.get("session"), child_uid=child_uid,
                        grace_s=doc["at_limit"]["grace_seconds"])
    oem = oem_settings(opts.state_dir)
    core = AgentCore(policy_doc=doc, clock=clock, sampler=sampler, enforcer=enforcer, store=store,
                     notices=notices, save_every_s=opts.save_every_s,
                     lang=opts.lang or oem.get("language") or "vi")
    core.show_pairing_code = bool(oem.get("show_pairing_code", True))
    core.brand = oem.get("brand_name") if oem.get("brand_name") not in (None, "", "Sprout") else None
    core.logo = oem_logo(opts.state_dir, oem)
    core.vault = vault
    from agent.service.protect import Guard

    core.guard = Guard(opts.state_dir)  # the parent's PIN lifts the companion's cover (core.lift_cover)
    if awaiting:
        core.awaiting_child = True
        # Queued for the parent's console until one pairs: it says what to do, in plain words.
        core.report_tamper("child_account_missing", {"how": "sudo sprout-agent set-child NAME"})
    elif not opts.user_mode:
        report_admin_child(core, child_uid)
    return core


def awaiting_child(opts: ServiceOptions) -> bool:
    """A system service with no child account named yet (agent/service/child_account.py)."""
    return not opts.user_mode and opts.child_uid is None


def waiting_adapters() -> dict[str, Any]:
    """While no child account is chosen: no one's programs seen, no child session, nothing closed or locked."""
    from agent.service.child_account import NoChildSession, NoProcesses

    def close_nothing(pid: int, **_kw: Any) -> None:
        log.warning("not closing pid %s: no child account is chosen", pid)

    return {"processes": NoProcesses(), "foreground": None, "idle": NoChildSession(), "session": None,
            "closer": close_nothing}


def serve(opts: ServiceOptions) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s",
                        stream=sys.stderr)
    core = build_core(opts)
    loop = ServiceLoop(core, opts.tick_s, opts.state_dir)
    # before the parts start: a stop asked while they start (systemd, a test) ends the run once they have, and
    # stops each of them, rather than killing the process with its link address and sockets left behind
    signal.signal(signal.SIGTERM, loop.stop)
    signal.signal(signal.SIGINT, loop.stop)
    extras = start_extras(core, opts)
    if not opts.user_mode:
        from agent.service.child_account import ENV_FILE, ChildWatch

        # `sprout-agent set-child` writes the environment file; the unit refuses a manual restart, so we stop
        # and systemd starts us again with the account it names.
        extras.append(ChildWatch(opts.state_dir / ENV_FILE, opts.child_uid, loop.stop).start().close)
    log.info("agent running (%s mode), state in %s, policy version %s", "user" if opts.user_mode else "service",
             opts.state_dir, core.policy_doc["version"])
    try:
        loop.run()
    finally:
        for stop in reversed(extras):
            try:
                stop()
            except Exception:
                log.exception("stopping a part failed")
    log.info("agent stopped cleanly after %d ticks", loop.ticks)
    return 0


def start_extras(core: AgentCore, opts: ServiceOptions) -> list[Any]:
    """Start the companion channel, the parent link and the DNS filter where configured; return their stoppers.

    A part that cannot take its address (a port in use, a socket folder it may not write) stops the ones already
    started and is one clear error naming the option and the address, never a traceback."""
    stoppers: list[Any] = []

    def start(option: str, address: Any, starter: Callable[[], Any]) -> None:
        try:
            stoppers.append(starter())
        except OSError as exc:
            for stop in reversed(stoppers):
                with contextlib.suppress(Exception):
                    stop()
            why = exc.strerror or str(exc)
            hint = " (another Sprout or program listens there: choose another port)" \
                if exc.errno == errno.EADDRINUSE else ""
            raise CliError(f"{option} {address}: {why}{hint}") from None

    from agent.os.timesource import DEFAULT_SERVERS, TimeVerifier

    stoppers.append(TimeVerifier(lambda: core.time_held, core.confirm_time,
                                 opts.time_servers or list(DEFAULT_SERVERS)).start().stop)
    if opts.socket_path is not None:
        from agent.service.companion_channel import start_companion_channel

        start("--socket", opts.socket_path, lambda: start_companion_channel(core, opts))
    if opts.link_listen:
        from agent.service.parent_link import start_parent_link

        start("--link", opts.link_listen, lambda: start_parent_link(core, opts))
    if opts.dns_listen:
        from agent.service.web_filter import start_web_filter

        start("--dns", opts.dns_listen, lambda: start_web_filter(core, opts))
    from agent.service.privacy_reminders import start_capture_watch

    capture = start_capture_watch(core, opts)  # reminders when an app first uses the camera or the microphone
    if capture is not None:
        stoppers.append(capture)
    return stoppers
