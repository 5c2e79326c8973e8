"""Device-maker (OEM) preinstall: oem.toml, read at the service's first start, and `sprout-agent factory-reset`.

oem.toml (all sections optional; unknown keys are errors so a typo never silently falls back to a default):

    [brand]
    name = "An Phát Kids PC"          # shown in the companion and the console beside "Sprout"
    logo = "logo.png"                  # PNG or SVG (≤ 1 MB, checked: see check_logo), relative to oem.toml
    [defaults]
    language = "vi"                    # vi | en
    age = 9                            # the default age preset (3..17) until a parent sends a policy
    presets = ["vn-decree-147"]        # rule presets on top of the age preset
    [defaults.rules]                   # policy fields laid over the presets (docs/policy.md), validated
    screen = { weekday_minutes = 90 }
    [companion]
    show_pairing_code = true           # show the pairing code at the child's first login
    [lists]
    source = "https://lists.example.vn/sprout/"   # or an absolute folder; see agent/listupdate.py
    public_key = "BASE64 Ed25519 public key"      # required with source
    [uninstall]
    token_sha256 = "hex"               # SHA-256 of the silent-uninstall token (the token itself is never stored)

Found at $SPROUT_OEM, else /etc/sprout/oem.toml (Linux), %ProgramData%\\Sprout\\oem.toml (Windows),
/Library/Application Support/Sprout/oem.toml (macOS). Every problem is one `oem.toml: key: reason` line.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import os
import shutil
import struct
import sys
import tomllib
import zlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any
from xml.parsers import expat

from agent.errors import CliError
from agent.fileio import atomic_write_json

LANGUAGES = ("vi", "en")
LOGO_TYPES = (".png", ".svg")
LOGO_MAX_BYTES = 1_000_000
LOGO_MAX_SIDE = 4096  # pixels; a bigger PNG is a photo or a mistake, and would cost the companion memory to scale
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
FIRST_START_MARKER = "first-start.json"
OEM_POLICY = "oem-policy.json"
# What factory-reset removes from the state folder: everything the family made (pairings, policies, history,
# keys); the device maker's oem.toml lives outside it and is read again at the next start.
_KNOWN_KEYS: dict[str, set[str]] = {
    "brand": {"name", "logo"},
    "defaults": {"language", "age", "presets", "rules"},
    "companion": {"show_pairing_code"},
    "lists": {"source", "public_key"},
    "uninstall": {"token_sha256"},
}


class OemError(ValueError):
    """oem.toml is wrong: the message is `oem.toml: key: reason`."""


class LogoError(ValueError):
    """A logo file is not what its name says; the message is the reason, e.g. `not a PNG file: <why>`."""


@dataclass(frozen=True)
class BrandLogo:
    """A checked logo, held by the service and handed to the companion over its local channel in chunks."""

    type: str  # "png" | "svg"
    data: bytes = field(repr=False)

    @property
    def size(self) -> int:
        return len(self.data)

    @cached_property
    def sha256(self) -> str:  # cached: status() asks for it every few seconds, the bytes never change
        return hashlib.sha256(self.data).hexdigest()

    def describe(self) -> dict[str, Any]:
        """What status() says about the logo: enough for the companion to know whether its copy is current."""
        return {"type": self.type, "size": self.size, "sha256": self.sha256}


def logo_type(path: Path) -> str:
    """"png" or "svg" from the file name; anything else is refused."""
    suffix = path.suffix.lower()
    if suffix not in LOGO_TYPES:
        raise LogoError(f"must be a {' or '.join(LOGO_TYPES)} file, got {path.name}")
    return suffix[1:]


def check_logo(kind: str, data: bytes) -> None:
    """Refuse bytes that are not the kind of image the name says, before anyone tries to draw them.

    PNG: the 8-byte signature, then the IHDR chunk (length 13, correct CRC) with a width and height of 1..4096.
    SVG: well-formed XML whose root element is <svg>, with no DOCTYPE at all — a DOCTYPE is where entity tricks
    (billion laughs, external entities) live, and a logo never needs one. No image library is used: the service
    must not import Qt, and this is all the checking the companion's renderer needs in front of it.
    """
    if len(data) > LOGO_MAX_BYTES:
        raise LogoError(f"larger than {LOGO_MAX_BYTES} bytes ({len(data)} bytes)")
    if kind == "png":
        _check_png(data)
    elif kind == "svg":
        _check_svg(data)
    else:
        raise LogoError(f"unknown logo type {kind!r} (png or svg)")


def _check_png(data: bytes) -> None:
    if not data.startswith(PNG_SIGNATURE):
        raise LogoError("not a PNG file: it does not start with the PNG signature")
    head = data[8:8 + 8 + 13 + 4]
    if len(head) < 25:
        raise LogoError("not a PNG file: it ends before the IHDR header")
    length, ctype = struct.unpack(">I4s", head[:8])
    if ctype != b"IHDR" or length != 13:
        raise LogoError(f"not a PNG file: the first chunk is {ctype!r} ({length} bytes), not a 13-byte IHDR")
    (crc,) = struct.unpack(">I", head[21:25])
    if zlib.crc32(head[4:21]) != crc:
        raise LogoError("not a PNG file: the IHDR chunk is damaged (CRC mismatch)")
    width, height = struct.unpack(">II", head[8:16])
    if not (1 <= width <= LOGO_MAX_SIDE and 1 <= height <= LOGO_MAX_SIDE):
        raise LogoError(f"PNG of {width}×{height} pixels: width and height must be 1 to {LOGO_MAX_SIDE}")


def _check_svg(data: bytes) -> None:
    # expat is the parser under xml.etree; used directly so a DOCTYPE is refused the moment it starts, before any
    # entity could be declared or expanded.
    parser = expat.ParserCreate(namespace_separator=" ")
    root: list[str] = []

    def doctype(*_: Any) -> None:
        raise LogoError("SVG file with a DOCTYPE: not allowed (remove the <!DOCTYPE …> part; a logo never needs "
                        "entities)")

    def start(name: str, _attrs: Any) -> None:
        if not root:
            root.append(name)

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.StartElementHandler = start
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise LogoError(f"not an SVG file: not well-formed XML ({exc})") from None
    if not root:
        raise LogoError("not an SVG file: no XML element in it")
    namespace, _, local = root[0].rpartition(" ")
    if local != "svg" or namespace not in ("", SVG_NAMESPACE):
        raise LogoError(f"not an SVG file: the root element is <{local}>, not <svg>")


def read_logo(path: Path) -> BrandLogo:
    """Read and check a logo file once; LogoError says why it is refused (the caller names the file)."""
    kind = logo_type(path)
    try:
        size = path.stat().st_size
        if size > LOGO_MAX_BYTES:  # say so without reading a huge file into memory
            raise LogoError(f"larger than {LOGO_MAX_BYTES} bytes ({size} bytes)")
        data = path.read_bytes()
    except FileNotFoundError:
        raise LogoError("file not found") from None
    except OSError as exc:
        raise LogoError(f"cannot read it ({exc.strerror})") from None
    check_logo(kind, data)
    return BrandLogo(kind, data)


@dataclass(frozen=True)
class OemConfig:
    source: Path
    brand_name: str = "Sprout"
    logo: Path | None = None
    language: str = "vi"
    age: int = 12
    presets: tuple[str, ...] = ("vn-decree-147",)
    rules: dict[str, Any] = field(default_factory=dict)
    show_pairing_code: bool = True
    list_source: str | None = None
    list_public_key: bytes | None = None
    uninstall_token_sha256: str | None = None

    def policy(self) -> dict[str, Any]:
        """The complete, validated default policy this configuration asks for."""
        return build_policy(self.age, self.presets, self.rules)


def default_path() -> Path:
    override = os.environ.get("SPROUT_OEM")
    if override:
        return Path(override)
    if sys.platform == "win32":
        return Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / "Sprout" / "oem.toml"
    if sys.platform == "darwin":
        return Path("/Library/Application Support/Sprout/oem.toml")
    return Path("/etc/sprout/oem.toml")


def load_oem(path: Path | None = None) -> OemConfig | None:
    """The device maker's configuration, or None when there is no oem.toml (a family's own install)."""
    path = path or default_path()
    if not path.exists():
        return None
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise OemError(f"oem.toml: <syntax>: {exc} ({path})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise OemError(f"oem.toml: <file>: cannot read {path}: {exc}") from None
    return parse_oem(raw, path)


def _err(key: str, reason: str) -> OemError:
    return OemError(f"oem.toml: {key}: {reason}")


def _section(raw: dict[str, Any], name: str) -> dict[str, Any]:
    value = raw.get(name, {})
    if not isinstance(value, dict):
        raise _err(name, "must be a table ([" + name + "])")
    unknown = sorted(set(value) - _KNOWN_KEYS[name])
    if unknown:
        raise _err(f"{name}.{unknown[0]}", f"unknown key (known: {', '.join(sorted(_KNOWN_KEYS[name]))})")
    return value


def _text(section: dict[str, Any], key: str, where: str, max_len: int = 200) -> str | None:
    value = section.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise _err(where, "must be non-empty text")
    if len(value) > max_len:
        raise _err(where, f"must be at most {max_len} characters")
    return value.strip()


def parse_oem(raw: dict[str, Any], path: Path) -> OemConfig:
    unknown = sorted(set(raw) - set(_KNOWN_KEYS))
    if unknown:
        raise _err(unknown[0], f"unknown section (known: {', '.join(sorted(_KNOWN_KEYS))})")
    brand, defaults = _section(raw, "brand"), _section(raw, "defaults")
    companion, lists, uninstall = _section(raw, "companion"), _section(raw, "lists"), _section(raw, "uninstall")
    kw: dict[str, Any] = {"source": path}

    name = _text(brand, "name", "brand.name", 60)
    if name:
        kw["brand_name"] = name
    logo = _text(brand, "logo", "brand.logo", 500)
    if logo:
        logo_path = (path.parent / logo).resolve()
        try:
            logo_type(logo_path)
        except LogoError as exc:
            raise _err("brand.logo", str(exc)) from None
        if not logo_path.is_file():
            raise _err("brand.logo", f"file not found: {logo_path}")
        # The device maker hears about a bad image at the factory, not a blank corner on the child's screen.
        try:
            read_logo(logo_path)
        except LogoError as exc:
            raise _err("brand.logo", f"{exc}: {logo_path}") from None
        kw["logo"] = logo_path

    language = defaults.get("language", "vi")
    if language not in LANGUAGES:
        raise _err("defaults.language", f"must be one of {', '.join(LANGUAGES)}, got {language!r}")
    kw["language"] = language
    age = defaults.get("age", 12)
    if not isinstance(age, int) or isinstance(age, bool) or not 3 <= age <= 17:
        raise _err("defaults.age", f"must be a whole number from 3 to 17, got {age!r}")
    kw["age"] = age
    presets = defaults.get("presets", ["vn-decree-147"])
    if not isinstance(presets, list) or not all(isinstance(p, str) for p in presets):
        raise _err("defaults.presets", "must be a list of preset names")
    kw["presets"] = tuple(presets)
    rules = defaults.get("rules", {})
    if not isinstance(rules, dict):
        raise _err("defaults.rules", "must be a table of policy fields")
    kw["rules"] = rules

    show = companion.get("show_pairing_code", True)
    if not isinstance(show, bool):
        raise _err("companion.show_pairing_code", f"must be true or false, got {show!r}")
    kw["show_pairing_code"] = show

    source = _text(lists, "source", "lists.source", 500)
    key_text = _text(lists, "public_key", "lists.public_key", 100)
    if source:
        if not (source.startswith("https://") or Path(source).is_absolute()):
            raise _err("lists.source", "must be an https:// URL or an absolute folder path")
        if not key_text:
            raise _err("lists.public_key", "is required with lists.source (lists are only used when signed)")
    if key_text:
        try:
            key = base64.b64decode(key_text, validate=True)
        except ValueError:
            raise _err("lists.public_key", "must be base64") from None
        if len(key) != 32:
            raise _err("lists.public_key", f"must be a 32-byte Ed25519 public key, got {len(key)} bytes")
        kw["list_public_key"] = key
    kw["list_source"] = source

    token = _text(uninstall, "token_sha256", "uninstall.token_sha256", 64)
    if token:
        if len(token) != 64 or any(c not in "0123456789abcdefABCDEF" for c in token):
            raise _err("uninstall.token_sha256", "must be 64 hex digits (sha256sum of the token)")
        kw["uninstall_token_sha256"] = token.lower()

    config = OemConfig(**kw)
    config.policy()  # validate the presets and rules now, with oem.toml's names in the message
    return config


def build_policy(age: int, presets: tuple[str, ...] | list[str], rules: dict[str, Any]) -> dict[str, Any]:
    from agent.policy import PolicyError, PresetError, build_preset_policy, compose, load_policy_doc

    try:
        doc = build_preset_policy(age, list(presets))
    except (PresetError, FileNotFoundError, KeyError) as exc:
        raise _err("defaults.presets", str(exc).strip("'\"")) from None
    doc = compose(doc, rules, stricter=False)  # the device maker's rules are its defaults: they simply win
    try:
        return load_policy_doc(doc, source="oem.toml")
    except PolicyError as exc:
        first = exc.problems[0]
        raise _err(f"defaults.rules.{first.path}", first.reason) from None


# -- first start ---------------------------------------------------------------------------------------------


def first_start(state_dir: Path, config_path: Path | None = None) -> Path:
    """At the service's first start, turn oem.toml into STATE/oem-policy.json (the default policy, root-owned
    0644 as `run --policy` wants) and STATE/oem.json (brand, language, pairing-code choice, list source for the
    companion and console). Without oem.toml the policy is the service's own built-in default (ages 11–13 with
    the Vietnam game rule). Later starts change nothing. Returns the policy path."""
    state_dir = Path(state_dir)
    marker = state_dir / FIRST_START_MARKER
    policy_path = state_dir / OEM_POLICY
    if marker.exists() and policy_path.exists():
        return policy_path
    config = load_oem(config_path)
    state_dir.mkdir(parents=True, exist_ok=True)
    if config is not None:
        settings = {"brand_name": config.brand_name, "language": config.language,
                    "show_pairing_code": config.show_pairing_code, "list_source": config.list_source,
                    "list_public_key": base64.b64encode(config.list_public_key).decode()
                    if config.list_public_key else None, "logo": None}
        if config.logo:
            logo = state_dir / f"brand-logo{config.logo.suffix.lower()}"
            shutil.copyfile(config.logo, logo)
            os.chmod(logo, 0o644)
            settings["logo"] = logo.name
        _write(state_dir / "oem.json", settings, 0o644)
    policy = config.policy() if config else build_policy(12, ("vn-decree-147",), {})
    _write(policy_path, policy, 0o644)
    _write(marker, {"oem": str(config.source) if config else None}, 0o644)
    return policy_path


def _write(path: Path, doc: Any, mode: int) -> None:
    atomic_write_json(path, doc, mode, indent=2)


def factory_reset(state_dir: Path) -> list[str]:
    """Forget the family: remove everything in the state folder except the list updates (public data), so the
    next start is a first start again (oem.toml is read anew). Returns the names removed."""
    state_dir = Path(state_dir)
    if not state_dir.is_dir():
        return []
    keep = {"lists"}
    removed = []
    for entry in sorted(state_dir.iterdir()):
        if entry.name in keep:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
        removed.append(entry.name)
    return removed


# -- `sprout-agent factory-reset` ----------------------------------------------------------------------------


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("factory-reset", help="forget pairings, policies and history; greet the family anew")
    p.add_argument("--state", type=Path, default=Path("/var/lib/sprout"), help="the service's state folder")
    p.add_argument("--yes", action="store_true", help="do not ask (device makers' scripts)")
    p.add_argument("--check-oem", type=Path, metavar="OEM_TOML", help="only validate an oem.toml and exit")
    p.set_defaults(func=_cmd_factory_reset)


def _cmd_factory_reset(args: argparse.Namespace) -> int:
    if args.check_oem:
        try:
            config = load_oem(args.check_oem)
        except OemError as exc:
            raise CliError(f"factory-reset: {exc}") from None
        if config is None:
            raise CliError(f"factory-reset: --check-oem: {args.check_oem}: file not found")
        print(f"oem.toml ok: {config.brand_name}, {config.language}, age {config.age}, presets {list(config.presets)}")
        return 0
    from agent.service.protect import Guard

    if not args.yes:
        if not sys.stdin.isatty():
            raise CliError("factory-reset: --yes: needed when there is no terminal to ask on")
        answer = input("Xoá mọi ghép nối, chính sách và lịch sử? / Erase all pairings, policies and history? [y/N] ")
        if answer.strip().lower() not in ("y", "yes", "c", "có"):
            return 1
    guard = Guard(args.state)
    if guard.has_pin() and not guard.consume_grant("change-files").allowed:
        raise CliError("factory-reset: the parent PIN is set: run `sprout-agent unlock --action change-files` first")
    removed = factory_reset(args.state)
    print(f"Đã đặt lại ({len(removed)} mục) / factory reset done ({len(removed)} items); restart the service")
    return 0
