"""The shape rules of docs/architecture.md, checked on the source: the service core never imports Qt; app/ uses only
the contract (agent.policy, agent.protocol) and the shared store; agent/ never imports app/."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# the contract, the shared store, and the one OS adapter a console needs too (its per-PC request lanes are locked
# across processes: flock on POSIX, msvcrt on Windows)
APP_MAY_IMPORT = ("agent.policy", "agent.protocol", "agent.store", "agent.resources", "agent.errors",
                  "agent.os.file_lock")
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


def calls(path: Path) -> list[str]:
    """Dotted names called in a module (f(), a.b())."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            f, parts = node.func, []
            while isinstance(f, ast.Attribute):
                parts.append(f.attr)
                f = f.value
            if isinstance(f, ast.Name):
                parts.append(f.id)
            out.append(".".join(reversed(parts)))
    return out


def test_one_place_assembles_the_agent():
    """agent/assembly.py builds the store, its keys, the sampler, enforcer and core; the DNS server is built once, in
    agent/dns/filter_setup.py, for the service and `sprout-agent dns` alike. A second assembly elsewhere in agent/
    is how the product's filter once came to differ from the command line's."""
    where: dict[str, set[str]] = {}
    for p in sources("agent"):
        for name in calls(p):
            if name in ("EncryptedStore.open", "SecretVault", "Sampler", "Enforcer", "AgentCore", "DnsFilterServer"):
                where.setdefault(name, set()).add(str(p.relative_to(ROOT)))
    assert where == {"EncryptedStore.open": {"agent/assembly.py"}, "SecretVault": {"agent/assembly.py"},
                     "Sampler": {"agent/assembly.py"}, "Enforcer": {"agent/assembly.py"},
                     "AgentCore": {"agent/assembly.py"}, "DnsFilterServer": {"agent/dns/filter_setup.py"}}


# Lazy dispatch from an OS concern's interface module to its platform modules, which import the interface's types
# back (agent/os): known, function-level only. Anything else is a new cycle.
KNOWN_LAZY_CYCLES = [
    {"agent.os.processes", "agent.os.procfs"},
    {"agent.os.foreground", "agent.os.foreground_macos", "agent.os.foreground_windows", "agent.os.foreground_x11"},
    {"agent.os.session", "agent.os.session_windows"},
    {"agent.os.terminate", "agent.os.terminate_windows"},
    {"agent.os.capture", "agent.os.capture_linux", "agent.os.capture_macos", "agent.os.capture_windows"},
]


def import_graph(module_level_only: bool, root: Path = ROOT,
                 folders: tuple[str, ...] = ("agent", "app", "common_qt")) -> dict[str, set[str]]:
    modules = {}
    for folder in folders:
        for p in sorted((root / folder).rglob("*.py")):
            rel = p.relative_to(root).with_suffix("")
            name = ".".join(rel.parts[:-1] if rel.name == "__init__" else rel.parts)
            tree = ast.parse(p.read_text(encoding="utf-8"))
            deps = set()
            for node in (tree.body if module_level_only else ast.walk(tree)):
                if isinstance(node, ast.Import):
                    deps |= {a.name for a in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    deps.add(node.module)
                    deps |= {f"{node.module}.{a.name}" for a in node.names}
            modules[name] = deps

    def counts(m: str, d: str) -> bool:
        # A module's own enclosing packages are already being imported when it runs: not an edge.
        return d in modules and d != m and not m.startswith(d + ".")

    graph = {m: {d for d in deps if counts(m, d)} for m, deps in modules.items()}
    for m in graph:  # importing a.b.c runs a and a.b first
        graph[m] |= {a for d in list(graph[m]) for i in range(1, d.count(".") + 1)
                     if counts(m, a := ".".join(d.split(".")[:i]))}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[set[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = set()
            while True:
                w = stack.pop()
                comp.add(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(comp)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_the_import_graph_has_no_cycle():
    assert cycles(import_graph(module_level_only=True)) == []
    found = cycles(import_graph(module_level_only=False))  # function-level imports too: oem <-> protect is gone
    assert [c for c in found if c not in KNOWN_LAZY_CYCLES] == []


def test_the_cycle_finder_finds_a_cycle_through_packages_and_function_level_imports(tmp_path):
    """The rule above cannot pass by missing what it looks for: a two-module cycle at module level, a three-module
    one through a package's __init__, and one closed only by an import inside a function."""
    files = {
        "agent/__init__.py": "",
        "agent/a.py": "from agent.b import thing\n",
        "agent/b.py": "import agent.a\nthing = 1\n",
        "agent/p/__init__.py": "from agent.p.x import X\n",
        "agent/p/x.py": "from agent.q import Q\nX = 1\n",
        "agent/q.py": "import agent.p\nQ = 2\n",
        "agent/lazy.py": "def f():\n    from agent.late import g\n",
        "agent/late.py": "from agent.lazy import f\ng = f\n",
        "agent/alone.py": "import agent.a\nimport json\n",
        "app/__init__.py": "",
        "app/c.py": "from agent.a import thing\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    found = cycles(import_graph(True, tmp_path, ("agent", "app")))
    assert sorted(map(sorted, found)) == [["agent.a", "agent.b"], ["agent.p", "agent.p.x", "agent.q"]]
    found = cycles(import_graph(False, tmp_path, ("agent", "app")))
    assert ["agent.late", "agent.lazy"] in sorted(map(sorted, found))


def test_no_block_of_six_lines_is_repeated_across_agent_and_app():
    """The twins (atomic write, SQLite transaction, row sealing, key vault, zeroconf browser, Qt translation loader)
    exist once; a copied block of six or more lines between agent/ and app/ is a new twin."""
    size = 6

    def blocks(p: Path) -> dict[tuple[str, ...], int]:
        lines = [(t, n) for n, raw in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
                 if (t := raw.strip()) and not t.startswith(("#", '"""', "from ", "import "))]
        return {tuple(t for t, _ in lines[i:i + size]): lines[i][1] for i in range(len(lines) - size + 1)}

    agent_side: dict[tuple[str, ...], str] = {}
    for p in sources("agent") + sources("common_qt"):
        for block, line in blocks(p).items():
            agent_side.setdefault(block, f"{p.relative_to(ROOT)}:{line}")
    twins = [f"{p.relative_to(ROOT)}:{line} = {agent_side[block]}" for p in sources("app")
             for block, line in blocks(p).items() if block in agent_side]
    assert twins == []




def platform_branches(path: Path) -> list[str]:
    """Places that ask which OS this is: sys.platform, os.name, platform.system() and friends, hasattr(os, ...)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if (node.value.id, node.attr) in (("sys", "platform"), ("os", "name")) or (
                    node.value.id == "platform" and node.attr in ("system", "platform", "uname", "win32_ver",
                                                                  "mac_ver", "release")):
                found.append(f"{node.value.id}.{node.attr} (line {node.lineno})")
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "hasattr"
              and node.args and isinstance(node.args[0], ast.Name) and node.args[0].id in ("os", "socket", "signal")):
            found.append(f"hasattr({node.args[0].id}, ...) (line {node.lineno})")
    return found


def test_no_platform_branch_outside_agent_os():
    """Platform code lives behind agent/os/'s adapters (one per OS concern); the rest of the product asks them."""
    offenders = {}
    for folder in ("agent", "app", "common_qt"):
        for p in sources(folder):
            rel = str(p.relative_to(ROOT))
            if rel.startswith("agent/os/"):
                continue
            if found := platform_branches(p):
                offenders[rel] = found
    assert offenders == {}


def test_the_platform_branch_finder_finds_them(tmp_path):
    """The rule above cannot pass by missing what it looks for."""
    sample = tmp_path / "sample.py"
    sample.write_text("import os, sys, platform\nif sys.platform == 'win32': pass\nif os.name == 'nt': pass\n"
                      "if platform.system() == 'Darwin': pass\nif hasattr(os, 'geteuid'): pass\n"
                      "x = sys.executable; y = os.path.join('a', 'b')\n", encoding="utf-8")
    assert sorted(platform_branches(sample)) == ["hasattr(os, ...) (line 5)", "os.name (line 3)",
                                                 "platform.system (line 4)", "sys.platform (line 2)"]


# Modules and names that only mean something on one OS: using them is platform code, whatever the branch.
PLATFORM_MODULES = ("ctypes", "winreg", "msvcrt", "_winapi", "pywintypes", "win32api", "win32con", "win32file",
                    "win32pipe", "win32security", "ntsecuritycon", "win32event", "win32process", "wmi",
                    # POSIX-only: importing one breaks the module on Windows (accounts, file locks, terminals)
                    "pwd", "grp", "fcntl", "termios")
PLATFORM_NAMES = ("AF_UNIX", "SO_PEERCRED", "LOCAL_PEERCRED", "getpeereid")


def platform_code(path: Path) -> list[str]:
    """Uses of an OS's own interfaces: the modules above imported, the socket options and calls above named."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            found += [f"import {n} (line {node.lineno})" for n in names if n.split(".")[0] in PLATFORM_MODULES]
        elif isinstance(node, ast.Attribute) and node.attr in PLATFORM_NAMES:
            found.append(f".{node.attr} (line {node.lineno})")
        elif isinstance(node, ast.Name) and node.id in PLATFORM_NAMES:
            found.append(f"{node.id} (line {node.lineno})")
    return found


def test_no_platform_code_outside_agent_os():
    """Unix sockets and their peer credentials, ctypes, the Windows APIs: only agent/os/ speaks to them (the
    companion channel's transport is agent/os/local_channel.py, the service's side only its requests)."""
    offenders = {}
    for folder in ("agent", "app", "common_qt"):
        for p in sources(folder):
            rel = str(p.relative_to(ROOT))
            if not rel.startswith("agent/os/") and (found := platform_code(p)):
                offenders[rel] = found
    assert offenders == {}
    assert platform_code(ROOT / "agent" / "os" / "unix_socket.py")  # the rule looks where the code now is
    assert platform_code(ROOT / "agent" / "os" / "peercred.py")


def test_the_platform_code_finder_finds_it(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import ctypes.util\nimport socket\nfrom win32file import ReadFile\n"
                      "s = socket.socket(socket.AF_UNIX)\nopt = socket.SO_PEERCRED\nimport json, sockets\n",
                      encoding="utf-8")
    assert sorted(platform_code(sample)) == [".AF_UNIX (line 4)", ".SO_PEERCRED (line 5)",
                                             "import ctypes.util (line 1)", "import win32file (line 3)"]


# Class names defined in two places on purpose or not yet ours to change, each with its reason.
SHARED_CLASS_NAMES = {
    "NoticeWindow": "each Qt face (the child's companion, the parent's console) has its own notice window",
    "Session": "agent/protocol/session.py (protocol v2, another engineer's branch) and app/gui/session.py",
    "_Handler": "private HTTP handlers of two servers (the block page, the link)",
    "PhoneBook": "agent/link/phones.py and app/phone_link.py, from the phone-link work merged at the end of issue 15: "
                 "to be told apart on that work's branch",
}
# Modules named like a package of agent/ (agent/link/service.py beside agent/service/ was one): only these.
MODULES_NAMED_LIKE_A_PACKAGE = {
    "agent/link/service.py": "a compatibility import of agent/link/handler.py while agent/relay/bridge.py uses it",
    "agent/protocol/relay.py": "the relay's wire contract, on the relay engineer's branch",
}


def test_class_names_collide_with_nothing():
    where: dict[str, list[str]] = {}
    for folder in ("agent", "app", "common_qt"):
        for p in sources(folder):
            for node in ast.parse(p.read_text(encoding="utf-8")).body:
                if isinstance(node, ast.ClassDef):
                    where.setdefault(node.name, []).append(str(p.relative_to(ROOT)))
    twice = {name: files for name, files in where.items() if len(files) > 1 and name not in SHARED_CLASS_NAMES}
    assert twice == {}
    assert len(where["LedgerDecision"]) == 1 and len(where["AppCatalogError"]) == 1


def test_no_module_is_named_like_a_package():
    packages = {p.name for p in (ROOT / "agent").iterdir() if (p / "__init__.py").exists()}
    clashing = {str(p.relative_to(ROOT)) for p in sources("agent")
                if p.stem in packages and p.parent != ROOT / "agent" and p.parent.name != p.stem}
    assert clashing <= set(MODULES_NAMED_LIKE_A_PACKAGE)
