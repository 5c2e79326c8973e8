"""A device maker's (OEM) oem.toml: where it is, what it may say, and the default policy it asks for.

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
    source = "https://lists.example.vn/sprout/"   # or an absolute folder; see agent/dns/listupdate.py
    public_key = "BASE64 Ed25519 public key"      # required with source
    [uninstall]
    token_sha256 = "hex"               # SHA-256 of the silent-uninstall token (the token itself is never stored)
    [relay]                            # the device maker's MQTT broker for parents away from home (docs/relay.md)
    broker = "mqtt.example.vn:8883"    # host[:port]; shown in the pairing QR code
    ca = "relay-ca.pem"                # the CA that signed the broker's certificate, relative to oem.toml

Found at $SPROUT_OEM, else /etc/sprout/oem.toml (Linux), %ProgramData%\\Sprout\\oem.toml (Windows),
/Library/Application Support/Sprout/oem.toml (macOS). Every problem is one `oem.toml: key: reason` line.
"""

from __future__ import annotations

import base64
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agent.oem.logo import LogoError, logo_type, read_logo
from agent.os.system_dirs import system_config_dir

LANGUAGES = ("vi", "en")
_KNOWN_KEYS: dict[str, set[str]] = {
    "brand": {"name", "logo"},
    "defaults": {"language", "age", "presets", "rules"},
    "companion": {"show_pairing_code"},
    "lists": {"source", "public_key"},
    "uninstall": {"token_sha256"},
    "relay": {"broker", "ca"},
}


class OemError(ValueError):
    """oem.toml is wrong: the message is `oem.toml: key: reason`."""


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
    relay_broker: str | None = None
    relay_ca_pem: str | None = None

    def policy(self) -> dict[str, Any]:
        """The complete, validated default policy this configuration asks for."""
        return build_policy(self.age, self.presets, self.rules)


def default_path() -> Path:
    override = os.environ.get("SPROUT_OEM")
    if override:
        return Path(override)
    return system_config_dir() / "oem.toml"


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

    kw.update(_relay(_section(raw, "relay"), path))
    config = OemConfig(**kw)
    config.policy()  # validate the presets and rules now, with oem.toml's names in the message
    return config


def _relay(section: dict[str, Any], path: Path) -> dict[str, Any]:
    from agent.protocol.relay import RelayError, parse_broker

    broker, ca = _text(section, "broker", "relay.broker"), _text(section, "ca", "relay.ca", 500)
    if broker is None and ca is None:
        return {}
    if broker is None or ca is None:
        raise _err("relay.broker" if broker is None else "relay.ca", "relay needs both broker and ca")
    try:
        parse_broker(broker)
    except RelayError as exc:
        raise _err("relay.broker", exc.reason) from None
    ca_path = (path.parent / ca).resolve()
    try:
        pem = ca_path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as exc:
        raise _err("relay.ca", f"cannot read {ca_path}: {getattr(exc, 'strerror', None) or exc}") from None
    if "-----BEGIN CERTIFICATE-----" not in pem or len(pem) > 65536:
        raise _err("relay.ca", f"{ca_path}: not a PEM certificate")
    return {"relay_broker": broker, "relay_ca_pem": pem}


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
