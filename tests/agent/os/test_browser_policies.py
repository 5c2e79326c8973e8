"""Browser enterprise policies: every generated file parses, says what it must, and installs/removes exactly."""

from __future__ import annotations

import json
import os
import plistlib
import re
from pathlib import Path

import pytest

from agent.os.browser_policies import (
    FIREFOX_LINUX,
    BrowserPolicyError,
    BrowserSettings,
    chromium_policy,
    firefox_policies,
    macos_mobileconfig,
    remove_linux_policies,
    settings_from_policy,
    shipped_files,
    windows_reg,
    windows_reg_remove,
    write_linux_policies,
)
from agent.resources import resource_path

LINUX_DIRS = ["etc/opt/chrome/policies/managed", "etc/chromium/policies/managed", "etc/opt/edge/policies/managed",
              "etc/opt/coccoc/policies/managed", "etc/brave/policies/managed"]


def snapshot(root: Path) -> dict[str, tuple[str, object]]:
    """Every entry under root: dirs, file bytes and modes, symlink targets."""
    out: dict[str, tuple[str, object]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                out[rel] = ("link", os.readlink(path))
            elif path.is_dir():
                out[rel] = ("dir", path.stat().st_mode & 0o7777)
            else:
                out[rel] = ("file", (path.read_bytes(), path.stat().st_mode & 0o7777))
    return out


def parse_reg(data: bytes) -> dict[str, dict[str, str]]:
    """A strict little reader for regedit v5 files: header, [keys], "name"=value lines only."""
    assert data.startswith(b"\xff\xfe"), "regedit files are UTF-16 LE with a BOM"
    lines = data.decode("utf-16").split("\r\n")
    assert lines[0] == "Windows Registry Editor Version 5.00"
    keys: dict[str, dict[str, str]] = {}
    current = None
    for line in lines[1:]:
        if not line:
            continue
        if m := re.fullmatch(r"\[(-?HKEY_LOCAL_MACHINE\\[^\]]+)\]", line):
            current = keys.setdefault(m.group(1), {})
            continue
        m = re.fullmatch(r'"([A-Za-z]+)"=(dword:[0-9a-f]{8}|"(?:[^"\\]|\\.)*"|-)', line)
        assert m and current is not None, f"bad .reg line: {line!r}"
        current[m.group(1)] = m.group(2)
    return keys


def test_chromium_family_turns_doh_off_and_forces_safesearch():
    strict = BrowserSettings(youtube="strict")
    for browser in ("chrome", "chromium"):
        p = chromium_policy(strict, browser)
        assert p["DnsOverHttpsMode"] == "off" and p["BuiltInDnsClientEnabled"] is False
        assert p["ForceGoogleSafeSearch"] is True and p["ForceYouTubeRestrict"] == 2
        assert p["IncognitoModeAvailability"] == 1 and "ForceBingSafeSearch" not in p
    edge = chromium_policy(BrowserSettings(youtube="off", bing=False), "edge")
    assert edge["ForceBingSafeSearch"] == 0 and edge["ForceYouTubeRestrict"] == 0
    assert edge["InPrivateModeAvailability"] == 1
    assert chromium_policy(BrowserSettings(), "edge")["ForceBingSafeSearch"] == 2


def test_firefox_locks_doh_off_and_adds_safe_engines():
    p = firefox_policies(BrowserSettings())
    assert p["DNSOverHTTPS"] == {"Enabled": False, "Locked": True}
    assert p["DisablePrivateBrowsing"] is True
    urls = [e["URLTemplate"] for e in p["SearchEngines"]["Add"]]
    assert any("safe=active" in u for u in urls) and any("adlt=strict" in u for u in urls)
    assert p["SearchEngines"]["Default"] == "Google (SafeSearch)"
    none = firefox_policies(BrowserSettings(google=False, bing=False, duckduckgo=False))
    assert "SearchEngines" not in none and none["DNSOverHTTPS"]["Enabled"] is False


def test_settings_follow_the_policy_and_reject_bad_youtube_level():
    s = settings_from_policy({"web": {"safesearch": {"google": True, "bing": False}, "youtube": "strict"}})
    assert s == BrowserSettings(google=True, bing=False, duckduckgo=True, youtube="strict")
    with pytest.raises(BrowserPolicyError, match="youtube: must be one of"):
        settings_from_policy({"web": {"youtube": "loud"}})


def test_windows_reg_parses_and_covers_every_browser():
    keys = parse_reg(shipped_files()["windows/sprout-browser-policies.reg"])
    chrome = keys[r"HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Google\Chrome"]
    assert chrome["DnsOverHttpsMode"] == '"off"' and chrome["BuiltInDnsClientEnabled"] == "dword:00000000"
    assert chrome["IncognitoModeAvailability"] == "dword:00000001"
    edge = keys[r"HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Microsoft\Edge"]
    assert edge["ForceBingSafeSearch"] == "dword:00000002"
    assert keys[r"HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Mozilla\Firefox\DNSOverHTTPS"] == {
        "Enabled": "dword:00000000", "Locked": "dword:00000001"}
    assert r"HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Chromium" in keys
    assert windows_reg(BrowserSettings()).startswith("Windows Registry Editor Version 5.00\r\n")


def test_windows_remove_reg_deletes_only_our_values():
    keys = parse_reg(shipped_files()["windows/sprout-browser-policies-remove.reg"])
    chrome = keys[r"HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Google\Chrome"]
    assert set(chrome.values()) == {"-"} and "DnsOverHttpsMode" in chrome
    assert r"-HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Mozilla\Firefox\DNSOverHTTPS" in keys
    assert r"-HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Google\Chrome" not in keys  # never the whole key
    assert "DisablePrivateBrowsing" in windows_reg_remove(BrowserSettings())


def test_macos_profile_is_a_valid_plist_with_a_payload_per_browser():
    profile = plistlib.loads(macos_mobileconfig(BrowserSettings(youtube="strict")))
    assert profile["PayloadType"] == "Configuration" and profile["PayloadScope"] == "System"
    by_type = {p["PayloadType"]: p for p in profile["PayloadContent"]}
    assert set(by_type) == {"com.google.Chrome", "org.chromium.Chromium", "com.microsoft.Edge", "org.mozilla.firefox",
                            "com.coccoc.Coccoc", "com.brave.Browser"}
    assert by_type["com.google.Chrome"]["DnsOverHttpsMode"] == "off"
    assert by_type["com.google.Chrome"]["ForceYouTubeRestrict"] == 2
    assert by_type["org.mozilla.firefox"]["DNSOverHTTPS"] == {"Enabled": False, "Locked": True}
    assert by_type["org.mozilla.firefox"]["EnterprisePoliciesEnabled"] is True
    uuids = [profile["PayloadUUID"]] + [p["PayloadUUID"] for p in profile["PayloadContent"]]
    assert len(set(uuids)) == len(uuids)
    assert macos_mobileconfig(BrowserSettings()) == macos_mobileconfig(BrowserSettings())  # stable bytes


def test_shipped_resources_are_up_to_date_and_parse():
    folder = resource_path("browser-policies")
    for rel, data in shipped_files().items():
        path = folder / rel
        assert path.read_bytes() == data, f"{rel} is stale: run python -m agent.os.browser_policies"
        if rel.endswith(".json"):
            json.loads(data)
        elif rel.endswith(".mobileconfig"):
            plistlib.loads(data)
        else:
            parse_reg(data)


def test_write_into_empty_root_then_remove_leaves_nothing(tmp_path):
    before = snapshot(tmp_path)
    written = write_linux_policies(tmp_path, BrowserSettings(youtube="strict"))
    assert len(written) == 6  # Chrome, Chromium, Edge, Cốc Cốc, Brave, Firefox
    for folder in LINUX_DIRS:
        doc = json.loads((tmp_path / folder / "sprout.json").read_text(encoding="utf-8"))
        assert doc["DnsOverHttpsMode"] == "off" and doc["ForceYouTubeRestrict"] == 2
        assert (tmp_path / folder / "sprout.json").stat().st_mode & 0o777 == 0o644
    fx = json.loads((tmp_path / FIREFOX_LINUX).read_text(encoding="utf-8"))
    assert fx["policies"]["DNSOverHTTPS"]["Locked"] is True
    remove_linux_policies(tmp_path)
    assert snapshot(tmp_path) == before


def test_existing_files_dirs_and_symlinks_are_restored_exactly(tmp_path):
    (tmp_path / "etc/opt/chrome/policies/managed").mkdir(parents=True)  # Chrome installed, folder empty
    (tmp_path / "etc/opt/chrome/policies/managed/school.json").write_text('{"HomepageLocation": "x"}')
    (tmp_path / "var/lib/sprout").mkdir(parents=True)
    fx = tmp_path / FIREFOX_LINUX
    fx.parent.mkdir(parents=True)
    original = b'{"policies": {"DisableTelemetry": true, "DNSOverHTTPS": {"Enabled": true}}}\n'
    (tmp_path / "etc/firefox/policies/real.json").write_bytes(original)
    os.chmod(tmp_path / "etc/firefox/policies/real.json", 0o600)
    os.symlink("real.json", fx)  # some distributions ship it as a link
    before = snapshot(tmp_path)

    write_linux_policies(tmp_path)
    merged = json.loads(fx.read_text(encoding="utf-8"))
    assert merged["policies"]["DisableTelemetry"] is True  # the family's own setting kept
    assert merged["policies"]["DNSOverHTTPS"] == {"Enabled": False, "Locked": True}  # ours wins
    assert not fx.is_symlink()
    assert (tmp_path / "etc/firefox/policies/real.json").read_bytes() == original  # never written through

    write_linux_policies(tmp_path)  # twice: same result, first backup kept
    assert json.loads(fx.read_text(encoding="utf-8")) == merged
    remove_linux_policies(tmp_path)
    assert snapshot(tmp_path) == before


def test_remove_without_write_is_a_no_op(tmp_path):
    (tmp_path / "etc").mkdir()
    before = snapshot(tmp_path)
    assert remove_linux_policies(tmp_path) == []
    assert snapshot(tmp_path) == before


def test_broken_firefox_file_is_a_clear_error_and_nothing_is_lost(tmp_path):
    fx = tmp_path / FIREFOX_LINUX
    fx.parent.mkdir(parents=True)
    fx.write_bytes(b"{oops")
    with pytest.raises(BrowserPolicyError, match=r"policies.json: existing Firefox policies are not valid JSON"):
        write_linux_policies(tmp_path)
    assert fx.read_bytes() == b"{oops"
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == [
        "etc", "etc/firefox", "etc/firefox/policies", "etc/firefox/policies/policies.json"]  # nothing half-written
