"""The distribution's declarations: runtime dependencies are what the runtime imports, the GUI is an extra, and the
builds' lock (pylock.toml) pins the same versions, each with a hash."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
pytestmark = pytest.mark.unit

# distribution name -> the import name(s) it provides
IMPORTS = {"psutil": "psutil", "cryptography": "cryptography", "keyring": "keyring", "requests": "requests",
           "spake2": "spake2", "dnslib": "dnslib", "zeroconf": "zeroconf", "platformdirs": "platformdirs",
           "holidays": "holidays", "qrcode": "qrcode", "python-xlib": "Xlib", "pyside6-essentials": "PySide6",
           "pyside6-addons": "PySide6", "dnspython": "dns", "sqlite-utils": "sqlite_utils", "pyelftools": "elftools",
           "pefile": "pefile", "jeepney": "jeepney", "publicsuffixlist": "publicsuffixlist", "paho-mqtt": "paho",
           "http-ece": "http_ece", "py-vapid": "py_vapid",
           "xxhash": "xxhash"}
IMPLICIT = {"tzdata"}  # read by zoneinfo, never imported


def pins(specs: list[str]) -> dict[str, str]:
    out = {}
    for spec in specs:
        m = re.match(r"^([A-Za-z0-9_.-]+)==([^;\s]+)", spec)
        assert m, f"pyproject.toml: {spec!r}: pin an exact version"
        out[m[1].lower()] = m[2]
    return out


def top_imports(folders: tuple[str, ...]) -> set[str]:
    found: set[str] = set()
    for folder in folders:
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    found |= {a.name.split(".")[0] for a in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    found.add(node.module.split(".")[0])
    return found


def test_runtime_dependencies_are_what_the_product_imports_and_the_gui_is_an_extra():
    runtime = pins(PYPROJECT["project"]["dependencies"])
    gui = pins(PYPROJECT["project"]["optional-dependencies"]["gui"])
    used = top_imports(("agent", "app", "common_qt"))
    unused = [d for d in runtime if d not in IMPLICIT and IMPORTS[d] not in used]
    assert unused == []
    assert set(gui) == {"pyside6-essentials", "pyside6-addons"} and not {"pyside6-essentials"} & set(runtime)
    product_code = used - {"agent", "app", "common_qt"}
    assert IMPORTS["dnspython"] not in product_code  # tests only: a dev dependency


def test_the_lock_pins_the_same_versions_with_hashes():
    lock = tomllib.loads((ROOT / "pylock.toml").read_text(encoding="utf-8"))
    locked = {p["name"].lower(): p for p in lock["packages"]}
    extras = PYPROJECT["project"]["optional-dependencies"]
    wanted = pins(PYPROJECT["project"]["dependencies"]) | pins(extras["gui"]) | pins(extras["build"])
    for name, version in wanted.items():
        assert name in locked and locked[name]["version"] == version, f"pylock.toml: {name} is not {version}"
    for p in lock["packages"]:
        if "directory" in p:
            continue  # the project itself
        files = p.get("wheels", []) + ([p["sdist"]] if "sdist" in p else [])
        assert files and all(f["hashes"].get("sha256") for f in files), f"pylock.toml: {p['name']} has no hash"
