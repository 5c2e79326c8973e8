"""The console's SafeSearch box names what the filter enforces, from one source: the filter's own tables
(resources/safesearch/*.json). Before, the box said "Google, Bing and DuckDuckGo" while the filter also forced
Yandex's family search and blocked Yahoo, Brave Search, Ecosia and Cốc Cốc search."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QScrollArea

from agent.dns.classifier import Classifier, WebRules
from agent.dns.safesearch import BLOCKED, SafeSearch, SafeSearchError, default_safesearch
from agent.policy.safesearch_scope import SafeSearchScopeError, safesearch_scope
from app.gui import i18n
from tests.support.console_window import session, window  # noqa: F401 - fixtures
from tests.support.journeys import english_in, shooter, visible_texts

ON = {"google": True, "bing": True, "duckduckgo": True}


def test_the_scope_is_what_the_filter_enforces() -> None:
    tables = [t for t in default_safesearch().tables if t.policy.startswith("safesearch.")]
    scope = safesearch_scope()
    assert sorted(scope.forced) == sorted(t.name for t in tables if t.targets["on"] != BLOCKED)
    assert sorted(scope.blocked) == sorted(t.name for t in tables if t.targets["on"] == BLOCKED)
    assert scope.forced[:3] == ("Google", "Bing", "DuckDuckGo")  # the engines the policy names, first
    assert {"Yandex"} <= set(scope.forced) and {"Yahoo Search", "Brave Search", "Ecosia", "Cốc Cốc Search"} <= set(scope.blocked)
    # and the filter really does what the scope says, with the console's one box switched on
    clf = Classifier(WebRules.from_web({"safesearch": ON}))
    for table in tables:
        name = sorted(table.domains or table.suffixes)[0]
        verdict = clf.classify(name).verdict
        assert verdict == ("block" if table.name in scope.blocked else "rewrite"), (table.engine, name, verdict)


def test_a_table_without_a_name_is_reported_with_file_and_field(tmp_path: Path) -> None:
    (tmp_path / "x.json").write_text(json.dumps({"schema": 1, "engine": "x", "policy": "safesearch.any",
                                                 "target": "safe.x.test", "domains": ["x.test"]}))
    with pytest.raises(SafeSearchError, match="x.json: name: must be"):
        SafeSearch.from_folder(tmp_path)
    with pytest.raises(SafeSearchScopeError, match="x.json: name: must be"):
        safesearch_scope(tmp_path)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_console_box_names_every_engine_the_filter_covers(window, qtbot, tmp_path, lang) -> None:
    i18n.switch(lang)
    try:
        rules_tab = "Quy tắc" if lang == "vi" else "Rules"
        qtbot.wait(300)  # the language change rebuilds every page (queued)
        qtbot.waitUntil(lambda: window.tabs.tabText(1) == rules_tab, timeout=5_000)
        window.resize(1180, 760)
        window.tabs.setCurrentIndex(1)
        window.rules.tabs.setCurrentIndex(3)
        qtbot.waitUntil(window.rules.safesearch_blocked.isVisible, timeout=5_000)
        scope = safesearch_scope()
        box, note = window.rules.safesearch.text(), window.rules.safesearch_blocked.text()
        assert all(name in box for name in scope.forced), box
        assert all(name in note for name in scope.blocked), note
        assert not any(name in box for name in scope.blocked)  # a blocked engine is never called "safe"
        if lang == "vi":
            assert box.startswith("Tìm kiếm an toàn") and " và " in box and "bị chặn" in note
            assert english_in([box, note], {*scope.forced, *scope.blocked, "SafeSearch"}) == []
        else:
            assert box == "SafeSearch on Google, Bing, DuckDuckGo and Yandex"
        assert window.rules.safesearch.accessibleName() == box
        visible = visible_texts(window.rules)
        assert box in visible and note in visible
        area = window.rules.safesearch.parentWidget()
        while area is not None and not isinstance(area, QScrollArea):
            area = area.parentWidget()
        if area is not None:  # the picture shows the box, below the categories
            area.ensureWidgetVisible(window.rules.safesearch_blocked)
        shooter(tmp_path)(window, f"console-rules-web-{lang}")
    finally:
        i18n.switch("en")
