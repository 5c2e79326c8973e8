"""Render the child's side of consent and the skills kit offscreen, in Vietnamese and English, into
docs/screenshots/: the consent window for a 6-, 10- and 15-year-old, a lesson with its questions answered and
checked, and the privacy window's consent record.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/screenshots_child_side.py [--out docs/screenshots]

The windows are the real ones, fed with the agent's own consent book (agent.service.consent) over a throw-away
store, and Sprout's own kit (resources/skills).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402
from shots import cli, grab  # noqa: E402

from agent.companion.consent_window import ConsentWindow  # noqa: E402
from agent.companion.i18n import Language  # noqa: E402
from agent.companion.look import apply_look  # noqa: E402
from agent.companion.skills_window import SkillsWindow  # noqa: E402
from agent.protocol.consent import default_fields  # noqa: E402
from agent.service.consent import ConsentBook  # noqa: E402
from agent.skills.kit import band_for_age, load_kit  # noqa: E402
from agent.store import EncryptedStore  # noqa: E402

AT = 1764900000.0  # 2025-12-05, a fixed time so the record reads the same every run


def consent_view(age: int, folder: Path) -> dict[str, Any]:
    """The view the service gives the companion right after the parent agreed to the age's defaults."""
    store = EncryptedStore.open(folder / f"consent-{age}-{os.urandom(4).hex()}.db", os.urandom(32))
    book = ConsentBook(store)
    book.ensure_proposal(age, AT)
    book.parent_asks(default_fields(age), age, AT + 60, "console")
    privacy = {"report_apps": True, "report_web_categories": True}
    view = dict(book.view(age, privacy), age=age)
    store.close()
    return view


def save(widget: QWidget, path: Path) -> None:
    widget.adjustSize()
    grab(widget, path, (max(widget.width(), widget.minimumWidth()), widget.height()), adjust=False)


def render(out: Path) -> list[Path]:
    app = QApplication.instance() or QApplication([])
    apply_look(app)  # type: ignore[arg-type]
    out.mkdir(parents=True, exist_ok=True)
    made: list[Path] = []
    language = Language()
    with tempfile.TemporaryDirectory() as tmp:
        views = {age: consent_view(age, Path(tmp)) for age in (6, 10, 15)}
        kit = load_kit()
        for lang in ("vi", "en"):
            language.switch(lang)
            for age, view in views.items():
                path = out / f"companion-consent-age{age}-{lang}.png"
                save(ConsentWindow(view, answer=None), path)
                made.append(path)
            win = SkillsWindow(kit, band_for_age(10), finished={"sprout.9-11.internet"})
            win.show_lesson("sprout.9-11.abuse")
            for box, choice in zip(win.boxes, (0, 1), strict=False):
                box.choose(choice)
            win.check()
            made.append(grab(win, out / f"companion-skills-{lang}.png", (900, 900), adjust=False))
    language.switch("en")
    return made


def main() -> int:
    return cli(render, __doc__)


if __name__ == "__main__":
    sys.exit(main())
