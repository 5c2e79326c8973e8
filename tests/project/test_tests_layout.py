"""The suite's own shape (CONTRIBUTING.md, docs/architecture.md "Tests"): tests sit in the folder of what they test,
every folder is a package, no test module imports another (shared parts live in tests/support/), and no assertion
measures wall-clock time."""

from __future__ import annotations

import ast
import re
from pathlib import Path

TESTS = Path(__file__).resolve().parents[2] / "tests"


def test_no_test_file_is_left_flat_in_tests() -> None:
    flat = sorted(p.name for p in TESTS.glob("*.py") if p.name not in ("__init__.py", "conftest.py"))
    assert flat == [], f"tests/ holds only conftest.py: put {flat} in the folder of what they test"


def test_every_test_folder_is_a_package() -> None:
    # Two folders may then hold files of the same name (tests/phone/test_session.py, tests/agent/os/test_session.py).
    missing = sorted(str(d.relative_to(TESTS)) for d in TESTS.rglob("*")
                     if d.is_dir() and d.name != "__pycache__" and any(d.glob("*.py")) and not (d / "__init__.py").exists())
    assert missing == []


def test_no_test_module_imports_another() -> None:
    wrong = []
    for path in TESTS.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else \
                [a.name for a in node.names] if isinstance(node, ast.Import) else []
            wrong += [f"{path.relative_to(TESTS)}: {n}" for n in names
                      if n.startswith("tests.") and n.rsplit(".", 1)[-1].startswith("test_")]
    assert wrong == [], "what two test files share goes in tests/support/"


def test_helpers_hold_no_tests() -> None:
    support = TESTS / "support"
    wrong = [f"{p.name}: {node.name}" for p in support.glob("*.py") if not p.name.startswith("test_")
             for node in ast.parse(p.read_text(encoding="utf-8")).body
             if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")]
    assert wrong == [], "pytest collects only test_*.py: a test in a helper module never runs"


def test_no_assertion_measures_wall_clock_time() -> None:
    # A loaded machine makes any "within N s" fail now and then. A floor (">= the grace") is fine; a ceiling is not:
    # prove it by the order of events or an injected clock (docs/architecture.md, "Tests").
    ceiling = re.compile(r"\bassert\b.*(monotonic\(\)|perf_counter\(\)|time\.time\(\))\s*-\s*\w+\s*<")
    wrong = [f"{p.relative_to(TESTS)}:{i}" for p in TESTS.rglob("*.py")
             for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if ceiling.search(line)]
    assert wrong == []


def test_the_kind_lists_name_files_that_exist() -> None:
    from tests.conftest import E2E_FILES, UNIT_FILES

    gone = sorted(f for f in E2E_FILES | UNIT_FILES if not (TESTS / f).is_file())
    assert gone == [], "tests/conftest.py lists a file that moved or went: its tests silently became integration"
