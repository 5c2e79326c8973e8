"""Browser enterprise policies that keep browsers on the family DNS filter and force SafeSearch.

DNS filtering fails if the browser resolves names itself over HTTPS (DoH) or in a private window that the
parent's settings do not reach, so every browser gets: DoH off (and locked), its built-in resolver off where it
has one, Google SafeSearch, YouTube restricted mode, Bing strict (Edge), and private windows off.

Linux: JSON files in the browsers' managed-policy folders, written under a `root` so installers and tests can
target a fake root, and removed exactly (a pre-existing Firefox policies.json is restored byte for byte).
Windows: a .reg file (HKLM\\SOFTWARE\\Policies\\...) plus one that removes only our values. macOS: a
.mobileconfig profile with one payload per browser. `python -m agent.os.browser_policies` regenerates the
default files shipped in resources/browser-policies/.
"""

from __future__ import annotations

import base64
import json
import os
import plistlib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agent.fileio import atomic_write
from agent.resources import resource_path

YOUTUBE_LEVELS = {"off": 0, "moderate": 1, "strict": 2}  # Chrome/Edge ForceYouTubeRestrict values
PROFILE_ID = "vn.sprout.browser-policies"
_UUID_NS = uuid.UUID("6d2c4f0e-4b8a-5f7e-9a51-5c0f7e2b1a33")  # fixed so regenerated profiles are identical

# Chromium-family browsers: (name, Linux managed-policy folder, Windows registry key, macOS preference domain)
CHROMIUM_BROWSERS: tuple[tuple[str, str, str, str], ...] = (
    ("chrome", "etc/opt/chrome/policies/managed", r"SOFTWARE\Policies\Google\Chrome", "com.google.Chrome"),
    ("chromium", "etc/chromium/policies/managed", r"SOFTWARE\Policies\Chromium", "org.chromium.Chromium"),
    ("edge", "etc/opt/edge/policies/managed", r"SOFTWARE\Policies\Microsoft\Edge", "com.microsoft.Edge"),
    # Cốc Cốc (most used in Vietnam after Chrome) and Brave are Chromium builds that read the same policies from
    # their own places. Brave's are documented by Brave; Cốc Cốc's follow Chromium's <Company>\<Product> rule
    # (its profile lives in CocCoc\Browser) and have not been checked against a real install here.
    ("coccoc", "etc/opt/coccoc/policies/managed", r"SOFTWARE\Policies\CocCoc\Browser", "com.coccoc.Coccoc"),
    ("brave", "etc/brave/policies/managed", r"SOFTWARE\Policies\BraveSoftware\Brave", "com.brave.Browser"),
)
CHROMIUM_FILE = "sprout.json"  # our own file: managed folders merge every *.json they hold
FIREFOX_LINUX = "etc/firefox/policies/policies.json"  # Firefox reads exactly one file, so we merge into it
FIREFOX_REG_KEY = r"SOFTWARE\Policies\Mozilla\Firefox"
FIREFOX_MAC_DOMAIN = "org.mozilla.firefox"
MANIFEST = "var/lib/sprout/browser-policies.json"  # what we created or replaced, for an exact removal

SAFE_ENGINES = (  # Firefox has no "force SafeSearch" policy: add engines whose URLs ask for it, make one default
    ("google", "Google (SafeSearch)", "https://www.google.com/search?q={searchTerms}&safe=active"),
    ("bing", "Bing (SafeSearch)", "https://www.bing.com/search?q={searchTerms}&adlt=strict"),
    ("duckduckgo", "DuckDuckGo (Safe Search)", "https://duckduckgo.com/?q={searchTerms}&kp=1"),
)


class BrowserPolicyError(ValueError):
    """Bad settings or an unwritable target; the message says what and where."""


@dataclass(frozen=True)
class BrowserSettings:
    google: bool = True
    bing: bool = True
    duckduckgo: bool = True
    youtube: str = "moderate"  # off | moderate | strict
    block_private_windows: bool = True

    def __post_init__(self) -> None:
        if self.youtube not in YOUTUBE_LEVELS:
            raise BrowserPolicyError(f"youtube: must be one of off, moderate, strict, got {self.youtube!r}")


def settings_from_policy(policy: Mapping[str, Any]) -> BrowserSettings:
    """The browser settings a policy's web section asks for (missing keys keep the safe defaults)."""
    web = policy.get("web") or {}
    safe = web.get("safesearch") or {}
    return BrowserSettings(
        google=bool(safe.get("google", True)),
        bing=bool(safe.get("bing", True)),
        duckduckgo=bool(safe.get("duckduckgo", True)),
        youtube=str(web.get("youtube", "moderate")),
    )


# -- the policy documents ---------------------------------------------------------------------------------


def chromium_policy(settings: BrowserSettings, browser: str = "chrome") -> dict[str, Any]:
    policy: dict[str, Any] = {
        "DnsOverHttpsMode": "off",
        "BuiltInDnsClientEnabled": False,
        "ForceGoogleSafeSearch": settings.google,
        "ForceYouTubeRestrict": YOUTUBE_LEVELS[settings.youtube],
    }
    if browser == "edge":
        policy["ForceBingSafeSearch"] = 2 if settings.bing else 0  # 2 = strict
        if settings.block_private_windows:
            policy["InPrivateModeAvailability"] = 1  # Edge's name for the same switch: 1 = disabled
    elif settings.block_private_windows:
        policy["IncognitoModeAvailability"] = 1  # 1 = incognito disabled
    return policy


def firefox_policies(settings: BrowserSettings) -> dict[str, Any]:
    """The "policies" object of Firefox's policies.json (same keys in the registry and the macOS profile)."""
    policies: dict[str, Any] = {"DNSOverHTTPS": {"Enabled": False, "Locked": True}}
    if settings.block_private_windows:
        policies["DisablePrivateBrowsing"] = True
    engines = [(key, name, url) for key, name, url in SAFE_ENGINES if getattr(settings, key)]
    if engines:
        policies["SearchEngines"] = {
            "Add": [{"Name": name, "URLTemplate": url, "Method": "GET"} for _, name, url in engines],
            "Default": engines[0][1],
        }
    return policies


def windows_reg(settings: BrowserSettings) -> str:
    """A regedit file (text; write it UTF-16 with a BOM, as regedit expects) setting every value."""
    lines = ["Windows Registry Editor Version 5.00", ""]
    for browser, _, key, _ in CHROMIUM_BROWSERS:
        lines.append(f"[HKEY_LOCAL_MACHINE\\{key}]")
        lines += [_reg_value(k, v) for k, v in chromium_policy(settings, browser).items()]
        lines.append("")
    for key, values in _firefox_reg_keys(settings).items():
        lines.append(f"[HKEY_LOCAL_MACHINE\\{key}]")
        lines += [_reg_value(k, v) for k, v in values.items()]
        lines.append("")
    return "\r\n".join(lines)


def windows_reg_remove(settings: BrowserSettings) -> str:
    """Deletes only the values (and Firefox sub-keys) that windows_reg sets; other policies stay."""
    lines = ["Windows Registry Editor Version 5.00", ""]
    for browser, _, key, _ in CHROMIUM_BROWSERS:
        lines.append(f"[HKEY_LOCAL_MACHINE\\{key}]")
        lines += [f'"{k}"=-' for k in chromium_policy(settings, browser)]
        lines.append("")
    fx = _firefox_reg_keys(settings)
    lines.append(f"[HKEY_LOCAL_MACHINE\\{FIREFOX_REG_KEY}]")
    lines += [f'"{k}"=-' for k in fx.get(FIREFOX_REG_KEY, {})]
    lines.append("")
    for sub in ("DNSOverHTTPS", "SearchEngines"):
        if any(k.startswith(f"{FIREFOX_REG_KEY}\\{sub}") for k in fx):
            lines += [f"[-HKEY_LOCAL_MACHINE\\{FIREFOX_REG_KEY}\\{sub}]", ""]
    return "\r\n".join(lines)


def _firefox_reg_keys(settings: BrowserSettings) -> dict[str, dict[str, Any]]:
    # Firefox's registry form: nested objects become sub-keys, list items sub-keys named 1, 2, ...
    keys: dict[str, dict[str, Any]] = {}

    def walk(path: str, value: Mapping[str, Any]) -> None:
        for name, item in value.items():
            if isinstance(item, Mapping):
                walk(f"{path}\\{name}", item)
            elif isinstance(item, list):
                for i, element in enumerate(item, start=1):
                    walk(f"{path}\\{name}\\{i}", element)
            else:
                keys.setdefault(path, {})[name] = item

    walk(FIREFOX_REG_KEY, firefox_policies(settings))
    return keys


def _reg_value(name: str, value: Any) -> str:
    if isinstance(value, bool):
        return f'"{name}"=dword:{int(value):08x}'
    if isinstance(value, int):
        return f'"{name}"=dword:{value:08x}'
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{name}"="{text}"'


def macos_mobileconfig(settings: BrowserSettings) -> bytes:
    """A configuration profile (XML plist) with a managed-preferences payload per browser."""
    payloads: list[dict[str, Any]] = []
    for browser, _, _, domain in CHROMIUM_BROWSERS:
        payloads.append(_payload(domain, f"Sprout: {browser} policies", chromium_policy(settings, browser)))
    firefox = {"EnterprisePoliciesEnabled": True, **firefox_policies(settings)}
    payloads.append(_payload(FIREFOX_MAC_DOMAIN, "Sprout: Firefox policies", firefox))
    profile = {
        "PayloadType": "Configuration",
        "PayloadVersion": 1,
        "PayloadIdentifier": PROFILE_ID,
        "PayloadUUID": str(uuid.uuid5(_UUID_NS, PROFILE_ID)).upper(),
        "PayloadDisplayName": "Sprout (Mầm) — browser safety",
        "PayloadDescription": "Tắt DNS qua HTTPS, bật Tìm kiếm an toàn và chế độ hạn chế YouTube. / "
        "Turns DNS over HTTPS off, forces SafeSearch and YouTube restricted mode.",
        "PayloadOrganization": "Sprout",
        "PayloadScope": "System",
        "PayloadRemovalDisallowed": True,
        "PayloadContent": payloads,
    }
    return plistlib.dumps(profile, fmt=plistlib.FMT_XML, sort_keys=True)


def _payload(domain: str, name: str, keys: dict[str, Any]) -> dict[str, Any]:
    identifier = f"{PROFILE_ID}.{domain}"
    return {
        "PayloadType": domain,
        "PayloadVersion": 1,
        "PayloadIdentifier": identifier,
        "PayloadUUID": str(uuid.uuid5(_UUID_NS, identifier)).upper(),
        "PayloadDisplayName": name,
        **keys,
    }


# -- Linux install and exact removal ----------------------------------------------------------------------


def linux_policy_files(settings: BrowserSettings) -> dict[str, bytes]:
    """Root-relative path -> bytes we want there (Firefox's is merged with any existing file at write time)."""
    files = {f"{folder}/{CHROMIUM_FILE}": _json_bytes(chromium_policy(settings, name))
             for name, folder, _, _ in CHROMIUM_BROWSERS}
    files[FIREFOX_LINUX] = _json_bytes({"policies": firefox_policies(settings)})
    return files


def write_linux_policies(root: Path = Path("/"), settings: BrowserSettings | None = None) -> list[Path]:
    """Write every Linux policy file under root; running it again updates them and keeps the first backup."""
    settings = settings or BrowserSettings()
    manifest_path = root / MANIFEST
    manifest = _read_manifest(manifest_path) or {"created_dirs": [], "replaced": {}}
    planned: dict[str, bytes] = {}
    for rel, data in linux_policy_files(settings).items():  # decide everything before touching the disk
        if rel not in manifest["replaced"]:
            manifest["replaced"][rel] = _snapshot(root / rel)
        planned[rel] = _merge_firefox(manifest["replaced"][rel], data, root / rel) if rel == FIREFOX_LINUX else data
    written: list[Path] = []
    for rel, data in planned.items():
        target = root / rel
        _make_dirs(root, target.parent, manifest)
        atomic_write(target, data)
        written.append(target)
    _make_dirs(root, manifest_path.parent, manifest)
    atomic_write(manifest_path, _json_bytes(manifest))
    return written


def remove_linux_policies(root: Path = Path("/")) -> list[Path]:
    """Undo write_linux_policies exactly: restore replaced files (bytes or symlink), delete ours, and remove
    only the folders we created. Without a previous write this changes nothing and returns []."""
    manifest_path = root / MANIFEST
    manifest = _read_manifest(manifest_path)
    if manifest is None:
        return []
    touched: list[Path] = []
    for rel, before in manifest["replaced"].items():
        target = root / rel
        if target.is_symlink() or target.exists():
            target.unlink()
        if before["kind"] == "file":
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(base64.b64decode(before["data"]))
            os.chmod(target, before["mode"])
        elif before["kind"] == "symlink":
            target.parent.mkdir(parents=True, exist_ok=True)
            os.symlink(before["target"], target)
        touched.append(target)
    manifest_path.unlink()
    for rel in sorted(manifest["created_dirs"], key=len, reverse=True):
        folder = root / rel
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    return touched


def _snapshot(path: Path) -> dict[str, Any]:
    if path.is_symlink():
        return {"kind": "symlink", "target": os.readlink(path)}
    if path.is_file():
        return {"kind": "file", "data": base64.b64encode(path.read_bytes()).decode("ascii"),
                "mode": path.stat().st_mode & 0o7777}
    return {"kind": "absent"}


def _original_bytes(before: dict[str, Any], target: Path) -> bytes | None:
    if before["kind"] == "file":
        return base64.b64decode(before["data"])
    if before["kind"] == "symlink":
        # We replace the link, never its target, so the target still holds the original policies.
        linked = target.parent / before["target"]
        return linked.read_bytes() if linked.is_file() else None
    return None


def _merge_firefox(before: dict[str, Any], ours: bytes, target: Path) -> bytes:
    original = _original_bytes(before, target)
    if original is None:
        return ours
    try:
        existing = json.loads(original)
    except ValueError as exc:
        raise BrowserPolicyError(f"{target}: existing Firefox policies are not valid JSON; fix or remove it "
                                 f"first: {exc}") from exc
    if not isinstance(existing, dict) or not isinstance(existing.get("policies", {}), dict):
        raise BrowserPolicyError(f"{target}: policies: must be an object")
    merged = {**existing, "policies": {**existing.get("policies", {}), **json.loads(ours)["policies"]}}
    return _json_bytes(merged)


def _make_dirs(root: Path, folder: Path, manifest: dict[str, Any]) -> None:
    missing = []
    probe = folder
    while not probe.exists() and probe != root and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for path in reversed(missing):
        path.mkdir()
        rel = path.relative_to(root).as_posix()
        if rel not in manifest["created_dirs"]:
            manifest["created_dirs"].append(rel)


def _read_manifest(path: Path) -> dict[str, Any] | None:
    if not path.exists():
        return None
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BrowserPolicyError(f"{path}: unreadable install record, remove by hand: {exc}") from exc
    if not isinstance(manifest, dict) or not {"created_dirs", "replaced"} <= set(manifest):
        raise BrowserPolicyError(f"{path}: not a Sprout browser-policy install record")
    return manifest


def _json_bytes(doc: Any) -> bytes:
    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


# -- the default files shipped for installers -------------------------------------------------------------


def shipped_files(settings: BrowserSettings | None = None) -> dict[str, bytes]:
    """resources/browser-policies/ relative path -> bytes, generated from the default (safe) settings."""
    settings = settings or BrowserSettings()
    files = {f"linux/{name}-{CHROMIUM_FILE}": _json_bytes(chromium_policy(settings, name))
             for name, _, _, _ in CHROMIUM_BROWSERS}
    files["linux/firefox-policies.json"] = _json_bytes({"policies": firefox_policies(settings)})
    files["windows/sprout-browser-policies.reg"] = _reg_bytes(windows_reg(settings))
    files["windows/sprout-browser-policies-remove.reg"] = _reg_bytes(windows_reg_remove(settings))
    files["macos/sprout-browser-policies.mobileconfig"] = macos_mobileconfig(settings)
    return files


def _reg_bytes(text: str) -> bytes:
    return "\ufeff".encode("utf-16-le") + (text + "\r\n").encode("utf-16-le")


def regenerate_resources(folder: Path | None = None) -> list[Path]:
    folder = folder or resource_path("browser-policies")
    out = []
    for rel, data in shipped_files().items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        out.append(path)
    return out


if __name__ == "__main__":
    for written in regenerate_resources():
        print(written)
