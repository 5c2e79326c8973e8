"""The parent's one tap "count it as a game" for a program the child's PC reported as new and full screen: the
family's rules gain that program by its content fingerprint (`apps.games_by_content`), so renaming or moving it
changes nothing; a program with no file of its own is marked by its app id (`apps.mark_as_game`)."""

from __future__ import annotations

import copy
import re
from typing import Any

_FINGERPRINT = re.compile(r"^[0-9a-f]{64}$")
_APP_ID = re.compile(r"^[a-z0-9][a-z0-9._+\- ]{0,79}$")


class NotAProgram(ValueError):
    """The alert does not name a program that can be marked (damaged or from an older agent)."""


def _target(alert: dict[str, Any]) -> tuple[str | None, str]:
    fp, app = alert.get("fingerprint"), alert.get("app")
    if not isinstance(app, str) or not _APP_ID.match(app):
        raise NotAProgram(f"the alert names no program (app: {str(app)[:40]!r})")
    if fp is not None and (not isinstance(fp, str) or not _FINGERPRINT.match(fp)):
        raise NotAProgram(f"the alert's fingerprint is not one ({str(fp)[:20]!r}…)")
    return fp, app


def is_counted(doc: dict[str, Any], alert: dict[str, Any]) -> bool:
    try:
        fp, app = _target(alert)
    except NotAProgram:
        return False
    apps = doc.get("apps") or {}
    if fp is not None:
        return fp in (apps.get("games_by_content") or {})
    return app in (apps.get("mark_as_game") or [])


def count_as_game(doc: dict[str, Any], alert: dict[str, Any]) -> dict[str, Any]:
    """The policy with this program counted as a game (the version is left to the push)."""
    fp, app = _target(alert)
    new = copy.deepcopy(doc)
    apps = new.setdefault("apps", {})
    if fp is not None:
        apps.setdefault("games_by_content", {})[fp] = app
    else:
        marks = apps.setdefault("mark_as_game", [])
        if app not in marks:
            marks.append(app)
        if app in apps.get("mark_as_school", []):
            apps["mark_as_school"] = [a for a in apps["mark_as_school"] if a != app]
    if app in apps.get("always_allowed", []):
        apps["always_allowed"] = [a for a in apps["always_allowed"] if a != app]
    return new
