"""The digital-skills kit: lessons as data checked by a schema, every band with all five topics in both languages,
and the child's window (offscreen, vi and en) where a child reads a lesson and answers its questions."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

from agent.skills.kit import BANDS, LANGS, TOPICS, band_for_age, check_kit_doc, load_kit, load_schema, source_ids
from agent.skills.schema import SchemaProblem, check_schema, validate

ROOT = Path(__file__).resolve().parents[3]
VI_MARKS = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]")


def sprout_doc(band: str = "9-11") -> dict:
    return json.loads((ROOT / "resources" / "skills" / "kit" / f"{band}.json").read_text("utf-8"))


def test_sprouts_own_kit_loads_without_a_problem():
    kit = load_kit()
    assert kit.problems == []
    assert len(kit.lessons) == len(BANDS) * len(TOPICS)


@pytest.mark.parametrize("band", BANDS)
def test_every_band_has_all_five_topics_in_both_languages(band):
    lessons = load_kit().for_band(band)
    assert [lesson["topic"] for lesson in lessons] == list(TOPICS)
    for lesson in lessons:
        for lang in LANGS:
            assert lesson["title"][lang] and lesson["body"][lang]
            for q in lesson["questions"]:
                assert q["ask"][lang] and q["why"][lang] and all(c["text"][lang] for c in q["choices"])
        vi = " ".join(lesson["body"]["vi"])
        assert len(VI_MARKS.findall(vi.lower())) > 10, lesson["id"]  # real Vietnamese, not English copied
        assert " ".join(lesson["body"]["vi"]) != " ".join(lesson["body"]["en"])


def test_the_report_lessons_name_111_in_both_languages():
    for lesson in load_kit().lessons:
        if lesson["topic"] == "report":
            for lang in LANGS:
                assert "111" in " ".join(lesson["body"][lang]), (lesson["id"], lang)


def test_every_source_is_named_in_docs():
    doc = (ROOT / "docs" / "skills-sources.md").read_text("utf-8")
    for sid, source in source_ids().items():
        assert sid in doc and source["name"][:15] in doc, sid  # named, not only referenced
    used = {s for lesson in load_kit().lessons for s in lesson["sources"]}
    assert used <= set(source_ids())


def test_ages_map_onto_the_four_bands():
    assert [band_for_age(a) for a in (4, 6, 8, 9, 11, 12, 14, 15, 17, 18)] == [
        "6-8", "6-8", "6-8", "9-11", "9-11", "12-14", "12-14", "15-17", "15-17", "15-17"]


@pytest.mark.parametrize("change, expected", [
    (lambda d: d["lessons"][0].pop("title"), "lessons[0]: missing 'title'"),
    (lambda d: d["lessons"][0]["title"].pop("vi"), "lessons[0].title: missing 'vi'"),
    (lambda d: d["lessons"][0].update(topic="cats"), "lessons[0].topic: must be one of"),
    (lambda d: d.update(band="3-5"), "band: must be one of"),
    (lambda d: d["lessons"][0].update(minutes="five"), "lessons[0].minutes: must be integer"),
    (lambda d: d["lessons"][0].update(colour="red"), "lessons[0].colour: not a known field"),
    (lambda d: d["lessons"][0]["questions"][0]["choices"][1].update(right=True),
     "lessons[0].questions[0].choices: exactly one must be right, 2 are"),
    (lambda d: d["lessons"][0].update(sources=["my-blog"]), "lessons[0].sources[0]: 'my-blog' is not in"),
    (lambda d: d["lessons"][0]["body"].update(en=[]), "lessons[0].body.en: needs at least 1 item(s)"),
])
def test_a_bad_kit_is_refused_with_the_path_and_the_reason(change, expected):
    doc = copy.deepcopy(sprout_doc())
    change(doc)
    problems = check_kit_doc(doc, load_schema(), source_ids())
    assert any(p.startswith(expected) for p in problems), problems


def test_a_schools_kit_is_added_and_a_broken_one_named_not_fatal(tmp_path):
    school = copy.deepcopy(sprout_doc("12-14"))
    school["kit"] = "truong-thcs-a"
    school["lessons"] = [dict(school["lessons"][0], id="truong-thcs-a.12-14.zalo")]
    (tmp_path / "school.json").write_text(json.dumps(school, ensure_ascii=False), "utf-8")
    (tmp_path / "broken.json").write_text("{not json", "utf-8")
    clash = copy.deepcopy(school)
    clash["kit"] = "copycat"
    (tmp_path / "z-clash.json").write_text(json.dumps(clash, ensure_ascii=False), "utf-8")
    kit = load_kit([tmp_path])
    assert kit.lesson("truong-thcs-a.12-14.zalo")["kit"] == "truong-thcs-a"
    assert len(kit.for_band("12-14")) == 6
    assert any("broken.json: not readable JSON" in p for p in kit.problems)
    assert any("z-clash.json" in p and "already used" in p for p in kit.problems)


def test_the_schema_says_nothing_the_checker_does_not_check():
    check_schema(load_schema())
    with pytest.raises(SchemaProblem, match="oneOf"):
        check_schema({"type": "object", "oneOf": []})
    assert validate(True, {"type": "integer"}) == ["(top): must be integer, got bool"]


# ---- the window -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_window_renders_a_lesson_and_a_child_can_answer(qtbot, qapp, lang):
    from agent.companion.i18n import Language
    from agent.companion.skills_window import SkillsWindow

    Language().switch(lang)
    finished: list[tuple[str, int, int]] = []
    win = SkillsWindow(load_kit(), "6-8", on_finished=lambda *a: finished.append(a))
    qtbot.addWidget(win)
    win.show()
    assert win.lesson_list.count() == 5
    assert win.current["id"] == "sprout.6-8.internet"
    if lang == "vi":
        assert win.windowTitle() == "Kỹ năng số" and win.lesson_title.text() == "Internet là gì?"
        assert "Internet nối rất nhiều máy tính" in win.lesson_body.text()
        assert VI_MARKS.search(win.boxes[0].ask.text().lower())
    else:
        assert win.windowTitle() == "Digital skills" and win.lesson_title.text() == "What is the Internet?"
    assert "111" in win.help.text()
    assert win.check() is None and finished == []  # nothing chosen yet: a kind hint, nothing recorded
    assert win.result.isVisible()

    # A first try with one wrong answer: the reasons show, the lesson is not finished yet.
    win.boxes[0].choose(1)
    win.boxes[1].choose(0)
    assert win.check() == (1, 2) and finished == []
    assert all(box.why.isVisible() for box in win.boxes)
    # Try again, all right: finished once, ticked in the list.
    win.boxes[0].choose(0)
    assert win.check() == (2, 2)
    assert finished == [("sprout.6-8.internet", 2, 2)]
    assert win.lesson_list.item(0).text().startswith("✓")
    win.check()
    assert len(finished) == 1
    # Another lesson from the list, by keyboard.
    win.lesson_list.setFocus()
    win.lesson_list.setCurrentRow(4)
    assert win.current["topic"] == "report" and "111" in win.lesson_body.text()
    Language().switch("en")


def test_a_language_switch_rewords_the_open_lesson(qtbot, qapp):
    from agent.companion.i18n import Language
    from agent.companion.skills_window import SkillsWindow

    lang = Language()
    lang.switch("en")
    win = SkillsWindow(load_kit(), "15-17")
    qtbot.addWidget(win)
    assert win.lesson_title.text() == "Being in charge of your online life"
    lang.switch("vi")
    qapp.processEvents()  # LanguageChange is posted: the window re-words itself when it arrives
    assert win.lesson_title.text() == "Sống chủ động trên mạng"
    assert win.check_button.text() == "&Kiểm tra câu trả lời"
    lang.switch("en")
