"""The companion's translations (resources/i18n/companion_<lang>.qm), through the Qt faces' one loader."""

from __future__ import annotations

from common_qt.i18n import LANGS, Translations
from common_qt.i18n import qm_path as _qm_path

DEFAULT_LANG = "vi"
__all__ = ["DEFAULT_LANG", "LANGS", "Language", "qm_path"]


def qm_path(lang: str) -> str:
    return _qm_path("companion", lang)


class Language(Translations):
    """Holds the companion's installed translators; switch(lang) returns the language now in force."""

    def __init__(self) -> None:
        super().__init__("companion", default=DEFAULT_LANG)
