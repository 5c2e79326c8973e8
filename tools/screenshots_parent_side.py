"""Render the parent's guide and the consent dialog offscreen, in Vietnamese and English, into docs/screenshots/.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/screenshots_parent_side.py [--out docs/screenshots]

The consent dialog is fed the view the agent's own consent book gives for a 10-year-old whose parent has agreed
and who is asked next (no agent needed: the link is replaced by that view, named ExampleLink).
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

from PySide6.QtWidgets import QApplication  # noqa: E402
from screenshots_child_side import consent_view  # noqa: E402
from shots import cli, grab  # noqa: E402

from app.gui import i18n  # noqa: E402
from app.gui.consent_dialog import ConsentDialog  # noqa: E402
from app.gui.help import GuideWindow  # noqa: E402


class ExampleLink:
    def __init__(self, view: dict[str, Any]) -> None:
        self.view = view

    def consent(self) -> dict[str, Any]:
        return self.view


class ExampleSession:
    def __init__(self, view: dict[str, Any]) -> None:
        self.view = view

    def link(self, device_id: str) -> ExampleLink:
        return ExampleLink(self.view)


def render(out: Path) -> list[Path]:
    QApplication.instance() or QApplication([])
    out.mkdir(parents=True, exist_ok=True)
    made = []
    with tempfile.TemporaryDirectory() as tmp:
        view = consent_view(10, Path(tmp))
        for lang in ("vi", "en"):
            i18n.switch(lang)
            made.append(grab(GuideWindow("age:9-11"), out / f"console-guide-{lang}.png", (900, 620)))
            made.append(grab(GuideWindow("help"), out / f"console-guide-111-{lang}.png", (900, 520)))
            dlg = ConsentDialog(ExampleSession(view), "device", "An's PC" if lang == "en" else "Máy của An")  # type: ignore[arg-type]
            made.append(grab(dlg, out / f"console-consent-{lang}.png"))
    i18n.switch("en")
    return made


def main() -> int:
    return cli(render, __doc__)


if __name__ == "__main__":
    sys.exit(main())
