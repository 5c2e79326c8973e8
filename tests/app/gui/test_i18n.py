"""Console translations: every message in console_vi.ts / console_en.ts finished and non-empty, the .qm files
compiled from them, the placeholders kept, Vietnamese really Vietnamese, and every tr() string in app/gui in the .ts."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
I18N = ROOT / "resources" / "i18n"


def messages(lang: str) -> list[tuple[str, str, ET.Element]]:
    root = ET.parse(I18N / f"console_{lang}.ts").getroot()
    return [(ctx.findtext("name"), m.findtext("source"), m.find("translation"))
            for ctx in root.iter("context") for m in ctx.iter("message")]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_no_unfinished_or_empty_message(lang):
    msgs = messages(lang)
    assert len(msgs) > 200
    bad = [(c, s) for c, s, t in msgs if t is None or t.get("type") in ("unfinished", "vanished", "obsolete")
           or not (t.text or "").strip()]
    assert bad == [], f"untranslated in {lang}: {bad[:5]}"
    for _c, s, t in msgs:
        assert sorted(re.findall(r"%\d", s)) == sorted(re.findall(r"%\d", t.text)), (s, t.text)
        assert bool(s[:1].isspace()) == bool(t.text[:1].isspace()), (s, t.text)  # " s" suffixes keep the space


def test_vietnamese_is_vietnamese():
    msgs = messages("vi")
    same = [s for _c, s, t in msgs if t.text == s and re.search(r"[a-z]{4}", s)]
    assert len(same) <= 3, same  # only brand-like words (e.g. "Web") may stay as they are
    assert any("ướ" in t.text or "ờ" in t.text for _c, _s, t in msgs)


def test_ts_covers_every_tr_string_in_the_code(tmp_path):
    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    fresh = tmp_path / "fresh.ts"
    subprocess.run([str(lupdate), *map(str, sorted((ROOT / "app" / "gui").glob("*.py"))), "-ts", str(fresh)],
                   check=True, capture_output=True, cwd=ROOT)
    root = ET.parse(fresh).getroot()
    wanted = {(c.findtext("name"), m.findtext("source")) for c in root.iter("context") for m in c.iter("message")}
    shipped = {(c, s) for c, s, _t in messages("vi")}
    assert wanted - shipped == set(), "run lupdate and translate the new strings"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_qm_is_compiled_from_the_ts(lang, tmp_path):
    lrelease = Path(sys.executable).parent / "pyside6-lrelease"
    out = tmp_path / "x.qm"
    subprocess.run([str(lrelease), str(I18N / f"console_{lang}.ts"), "-qm", str(out)], check=True,
                   capture_output=True)
    assert out.read_bytes() == (I18N / f"console_{lang}.qm").read_bytes()


def test_translator_loads_at_runtime(qapp):
    from PySide6.QtCore import QCoreApplication

    from app.gui import i18n

    assert i18n.switch("vi")
    assert QCoreApplication.translate("MainWindow", "Overview") == "Tổng quan"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Huỷ"
    assert i18n.switch("en")
    assert QCoreApplication.translate("MainWindow", "Overview") == "Overview"
