"""oem.toml: validation with `oem.toml: key: reason` errors, first start, factory reset."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from agent.oem import OemError, factory_reset, first_start, load_oem

REPO = Path(__file__).resolve().parents[3]
KEY = base64.b64encode(bytes(range(32))).decode()

FULL = f"""
[brand]
name = "An Phát Kids PC"
logo = "logo.svg"
[defaults]
language = "en"
age = 9
presets = ["vn-decree-147"]
[defaults.rules.screen.daily_minutes]
mon = 75
[companion]
show_pairing_code = false
[lists]
source = "/usr/share/anphat/lists"
public_key = "{KEY}"
[uninstall]
token_sha256 = "{'ab' * 32}"
"""


def write(folder: Path, text: str) -> Path:
    (folder / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    path = folder / "oem.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_full_oem_toml_is_read(tmp_path: Path) -> None:
    config = load_oem(write(tmp_path, FULL))
    assert config is not None
    assert (config.brand_name, config.language, config.age, config.show_pairing_code) == \
        ("An Phát Kids PC", "en", 9, False)
    assert config.logo == (tmp_path / "logo.svg").resolve()
    assert config.list_public_key == bytes(range(32))
    policy = config.policy()
    assert policy["screen"]["daily_minutes"]["mon"] == 75
    assert policy["presets"] == ["age-7-10", "vn-decree-147"]  # the Vietnam rule preset still applies
    assert policy["games"]["per_game_minutes"] <= 60


def test_missing_file_is_none(tmp_path: Path) -> None:
    assert load_oem(tmp_path / "oem.toml") is None


@pytest.mark.parametrize(("text", "message"), [
    ("[brand\nname='x'", "oem.toml: <syntax>:"),
    ("[colour]\nx = 1", "oem.toml: colour: unknown section"),
    ("[brand]\nnmae = 'x'", "oem.toml: brand.nmae: unknown key"),
    ("[brand]\nname = ''", "oem.toml: brand.name: must be non-empty text"),
    ("[brand]\nlogo = 'missing.png'", "oem.toml: brand.logo: file not found"),
    ("[brand]\nlogo = 'logo.bmp'", "oem.toml: brand.logo: must be a .png or .svg file"),
    ("[defaults]\nlanguage = 'fr'", "oem.toml: defaults.language: must be one of vi, en, got 'fr'"),
    ("[defaults]\nage = 25", "oem.toml: defaults.age: must be a whole number from 3 to 17, got 25"),
    ("[defaults]\nage = true", "oem.toml: defaults.age:"),
    ("[defaults]\npresets = ['no-such']", "oem.toml: defaults.presets:"),
    ("[defaults.rules.screen]\nweekday_minutes = 5", "oem.toml: defaults.rules.screen.weekday_minutes: unknown"),
    ("[defaults.rules.screen.daily_minutes]\nmon = -5", "oem.toml: defaults.rules.screen.daily_minutes.mon:"),
    ("[companion]\nshow_pairing_code = 'yes'", "oem.toml: companion.show_pairing_code: must be true or false"),
    ("[lists]\nsource = 'relative/folder'", "oem.toml: lists.source: must be an https:// URL or an absolute"),
    ("[lists]\nsource = 'https://x.example/'", "oem.toml: lists.public_key: is required with lists.source"),
    ("[lists]\npublic_key = 'AAAA'", "oem.toml: lists.public_key: must be a 32-byte Ed25519 public key"),
    ("[uninstall]\ntoken_sha256 = 'secret'", "oem.toml: uninstall.token_sha256: must be 64 hex digits"),
])
def test_bad_oem_toml_says_key_and_reason(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(OemError) as info:
        load_oem(write(tmp_path, text))
    assert str(info.value).startswith(message), str(info.value)


def test_first_start_writes_policy_and_settings_once(tmp_path: Path) -> None:
    oem = write(tmp_path, FULL)
    state = tmp_path / "state"
    policy_path = first_start(state, oem)
    policy = json.loads(policy_path.read_text())
    assert policy["screen"]["daily_minutes"]["mon"] == 75
    assert policy_path.stat().st_mode & 0o777 == 0o644
    settings = json.loads((state / "oem.json").read_text())
    assert settings["brand_name"] == "An Phát Kids PC" and settings["show_pairing_code"] is False
    assert (state / settings["logo"]).read_bytes() == (tmp_path / "logo.svg").read_bytes()
    oem.write_text("[defaults]\nage = 5\n")  # later starts do not reread: the family's settings win
    assert json.loads(first_start(state, oem).read_text()) == policy


def test_first_start_without_oem_uses_the_builtin_default(tmp_path: Path) -> None:
    from agent.policy import preset

    policy = json.loads(first_start(tmp_path / "s", tmp_path / "absent.toml").read_text())
    assert policy == json.loads(json.dumps(preset(12, ["vn-decree-147"])))
    assert not (tmp_path / "s" / "oem.json").exists()


def test_factory_reset_forgets_the_family_and_first_start_runs_again(tmp_path: Path) -> None:
    oem = write(tmp_path, FULL)
    state = tmp_path / "state"
    first_start(state, oem)
    (state / "store.sqlite").write_bytes(b"family data")
    (state / "keys").mkdir()
    (state / "keys" / "identity").write_bytes(b"secret")
    (state / "lists").mkdir()
    (state / "lists" / "adult.txt.gz").write_bytes(b"list")
    removed = factory_reset(state)
    assert set(removed) >= {"store.sqlite", "keys", "oem-policy.json", "first-start.json", "oem.json"}
    assert sorted(p.name for p in state.iterdir()) == ["lists"]
    oem.write_text("[defaults]\nage = 5\npresets = []\n")
    assert json.loads(first_start(state, oem).read_text())["presets"] == ["age-0-6"]


def _agent(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    code = ("import sys; from agent import cli; cli.COMMANDS.setdefault('factory-reset', 'agent.oem'); "
            "sys.exit(cli.main(sys.argv[1:]))")
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=REPO,
                          env={**os.environ, **(env or {})}, timeout=60)


def test_factory_reset_cli_checks_oem_and_needs_unlock_when_a_pin_is_set(tmp_path: Path) -> None:
    bad = write(tmp_path, "[defaults]\nage = 99\n")
    r = _agent("factory-reset", "--check-oem", str(bad))
    assert r.returncode == 2 and "oem.toml: defaults.age:" in r.stderr and "Traceback" not in r.stderr
    good = write(tmp_path, FULL)
    assert _agent("factory-reset", "--check-oem", str(good)).returncode == 0
    state = tmp_path / "state"
    first_start(state, good)
    from agent.service.protect import Guard

    guard = Guard(state)
    guard.set_pin("1357")
    r = _agent("factory-reset", "--state", str(state), "--yes")
    assert r.returncode == 2 and "unlock" in r.stderr
    assert (state / "oem-policy.json").exists()  # nothing lost
    guard.grant(guard.verify_pin("1357", action="change-files"))
    r = _agent("factory-reset", "--state", str(state), "--yes")
    assert r.returncode == 0, r.stderr
    assert not (state / "oem-policy.json").exists()


def _png(width: int, height: int) -> bytes:
    """A real 1-colour RGBA PNG written with zlib + struct (no imaging library on the factory side either)."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    rows = b"".join(b"\x00" + b"\x1f\x7a\x8c\xff" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


BILLION_LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;">]>\n'
                  b'<svg xmlns="http://www.w3.org/2000/svg">&b;</svg>')


@pytest.mark.parametrize(("name", "data", "message"), [
    ("logo.png", b'<svg xmlns="http://www.w3.org/2000/svg"/>',
     "oem.toml: brand.logo: not a PNG file: it does not start with the PNG signature"),
    ("logo.png", _png(4, 4)[:20], "oem.toml: brand.logo: not a PNG file: it ends before the IHDR header"),
    ("logo.png", _png(4097, 1), "oem.toml: brand.logo: PNG of 4097×1 pixels: width and height must be 1 to 4096"),
    ("logo.png", _png(4, 4) + bytes(1_000_001), "oem.toml: brand.logo: larger than 1000000 bytes"),
    ("logo.svg", BILLION_LAUGHS, "oem.toml: brand.logo: SVG file with a DOCTYPE: not allowed"),
    # The line some drawing programs still write: harmless here, but refused all the same (one simple rule).
    ("logo.svg", b'<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
                 b'"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n<svg xmlns="http://www.w3.org/2000/svg"/>',
     "oem.toml: brand.logo: SVG file with a DOCTYPE: not allowed (remove the <!DOCTYPE …> part"),
    ("logo.svg", _png(4, 4), "oem.toml: brand.logo: not an SVG file: not well-formed XML"),
    ("logo.svg", b"<svg:svg xmlns:svg='urn:not-svg'/>", "oem.toml: brand.logo: not an SVG file: the root element"),
])
def test_a_logo_that_is_not_what_its_name_says_is_refused_at_the_factory(tmp_path: Path, name: str, data: bytes,
                                                                         message: str) -> None:
    (tmp_path / name).write_bytes(data)
    oem = tmp_path / "oem.toml"
    oem.write_text(f'[brand]\nname = "An Phát Kids PC"\nlogo = "{name}"\n', encoding="utf-8")
    with pytest.raises(OemError) as info:
        load_oem(oem)
    assert str(info.value).startswith(message), str(info.value)
    assert str((tmp_path / name).resolve()) in str(info.value)  # which file, so the factory can find it


def test_a_good_png_logo_is_copied_at_first_start_and_a_bad_one_fails_the_check(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(_png(96, 48))
    oem = tmp_path / "oem.toml"
    oem.write_text('[brand]\nname = "An Phát Kids PC"\nlogo = "logo.png"\n', encoding="utf-8")
    state = tmp_path / "state"
    first_start(state, oem)
    settings = json.loads((state / "oem.json").read_text())
    assert settings["logo"] == "brand-logo.png"
    assert (state / "brand-logo.png").read_bytes() == _png(96, 48)
    (tmp_path / "logo.png").write_bytes(b"GIF89a not a png")
    r = _agent("factory-reset", "--check-oem", str(oem))
    assert r.returncode == 2 and "oem.toml: brand.logo: not a PNG file:" in r.stderr and "Traceback" not in r.stderr
