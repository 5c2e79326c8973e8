"""The shape rules of docs/architecture.md, checked on the source: the service core never imports Qt; app/ uses only
the contract (agent.policy, agent.protocol) and the shared store; agent/ never imports app/."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_MAY_IMPORT = ("agent.policy", "agent.protocol", "agent.store", "agent.resources", "agent.errors")
QT = ("PySide6", "shiboken6", "PyQt5", "PyQt6", "common_qt")  # common_qt: the Qt helpers both Qt faces share


def imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    out: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append(node.module)
    return out


def sources(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def test_agent_never_imports_qt_outside_the_companion():
    offenders = [f"{p.relative_to(ROOT)}: {m}" for p in sources("agent") if "companion" not in p.parts
                 for m in imports(p) if m.split(".")[0] in QT]
    assert offenders == []


def test_agent_never_imports_app():
    offenders = [f"{p.relative_to(ROOT)}: {m}" for p in sources("agent") for m in imports(p)
                 if m == "app" or m.startswith("app.")]
    assert offenders == []


def test_app_imports_only_the_contract():
    offenders = [f"{p.relative_to(ROOT)}: {m}" for p in sources("app") for m in imports(p)
                 if m.startswith("agent.") and not any(m == a or m.startswith(a + ".") for a in APP_MAY_IMPORT)]
    assert offenders == []


def test_common_qt_is_shared_qt_only_and_imports_neither_face():
    """common_qt (the Electrum-style place for what both Qt faces share) leans on Qt and the resources only."""
    offenders = [f"{p.relative_to(ROOT)}: {m}" for p in sources("common_qt") for m in imports(p)
                 if m.split(".")[0] in ("app",) or (m.startswith("agent.") and m != "agent.resources")]
    assert offenders == []
    users = {p.relative_to(ROOT).parts[0] + "/" + p.relative_to(ROOT).parts[1] for f in ("agent", "app")
             for p in sources(f) if any(m.split(".")[0] == "common_qt" for m in imports(p))}
    assert users == {"agent/companion", "app/gui"}


def test_the_os_sources_are_defined_once_in_agent_os():
    """The service's sources (processes, foreground, idle, session, closer) are typed by agent/os/'s Protocols, never
    redefined beside the code that uses them."""
    def protocols(paths: list[Path]) -> dict[str, str]:
        out = {}
        for p in paths:
            for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ClassDef) and any(getattr(b, "id", None) == "Protocol" for b in node.bases):
                    out[node.name] = str(p.relative_to(ROOT))
        return out

    in_os = protocols(sources("agent/os"))
    assert {"ProcessSource", "ForegroundSource", "IdleSource", "SessionControl", "ProcessCloser"} <= set(in_os)
    elsewhere = protocols([p for p in sources("agent") if "os" not in p.relative_to(ROOT).parts[1:2]])
    assert {n: f for n, f in elsewhere.items() if n in in_os} == {}
