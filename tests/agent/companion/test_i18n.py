"""The companion's Qt Linguist files: complete in vi and en, placeholders intact, .qm compiled from the current .ts,
and every string in the code present in the .ts (so nothing reaches a child untranslated)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QTranslator

from agent.resources import resource_path

ROOT = Path(__file__).resolve().parents[3]
LANGS = ("vi", "en")
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def messages(path: Path) -> list[tuple[str, str, ET.Element]]:
    out = []
    for ctx in ET.parse(path).getroot().findall("context"):
        name = ctx.findtext("name") or ""
        for msg in ctx.findall("message"):
            out.append((name, msg.findtext("source") or "", msg.find("translation")))
    return out


@pytest.mark.parametrize("lang", LANGS)
def test_no_string_is_untranslated(lang: str) -> None:
    msgs = messages(resource_path("i18n", f"companion_{lang}.ts"))
    assert len(msgs) > 150
    bad = [(c, s) for c, s, t in msgs if t is None or t.get("type") in ("unfinished", "obsolete", "vanished")
           or not (t.text or "").strip()]
    assert bad == [], f"untranslated in {lang}: {bad[:5]}"


@pytest.mark.parametrize("lang", LANGS)
def test_placeholders_and_hotline_survive_translation(lang: str) -> None:
    for ctx, src, tr in messages(resource_path("i18n", f"companion_{lang}.ts")):
        text = tr.text or ""
        assert sorted(PLACEHOLDER.findall(src)) == sorted(PLACEHOLDER.findall(text)), (ctx, src, text)
        if "111" in src:
            assert "111" in text, (ctx, src)
        if "&" in src:
            assert text.count("&") == 1, (ctx, src, text)  # one keyboard shortcut per control


def test_vietnamese_is_really_vietnamese() -> None:
    msgs = messages(resource_path("i18n", "companion_vi.ts"))
    same = [s for _, s, t in msgs if (t.text or "") == s and not PLACEHOLDER.fullmatch(s) and len(s) > 6]
    assert same == []
    diacritics = sum(1 for _, _, t in msgs if re.search(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]",
                                                         (t.text or "").lower()))
    assert diacritics > len(msgs) * 0.8


@pytest.mark.parametrize("lang", LANGS)
def test_qm_is_compiled_from_the_current_ts(lang: str) -> None:
    translator = QTranslator()
    assert translator.load(str(resource_path("i18n", f"companion_{lang}.qm")))
    for ctx, src, tr in messages(resource_path("i18n", f"companion_{lang}.ts")):
        assert translator.translate(ctx, src) == tr.text, (ctx, src)


def test_every_string_in_the_code_is_in_the_ts(tmp_path: Path) -> None:
    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    if not lupdate.exists():
        lupdate = Path(shutil.which("pyside6-lupdate") or "")
    if not lupdate.is_file():
        pytest.skip("pyside6-lupdate not installed")
    fresh = tmp_path / "fresh.ts"
    sources = sorted(str(p) for p in (ROOT / "agent" / "companion").glob("*.py"))
    subprocess.run([str(lupdate), *sources, "-ts", str(fresh), "-no-obsolete", "-locations", "none"], check=True,
                   capture_output=True, timeout=120)
    in_code = {(c, s) for c, s, _ in messages(fresh)}
    in_ts = {(c, s) for c, s, _ in messages(resource_path("i18n", "companion_vi.ts"))}
    assert in_code - in_ts == set(), "run pyside6-lupdate and translate the new strings"
    assert in_ts - in_code == set(), "strings no longer in the code: run lupdate with -no-obsolete"
