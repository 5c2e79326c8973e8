"""What an interpreter is running, read from its arguments: the jar or main class of a java process, the script or
module of a python process, the .exe of a wine process.

The interpreter's own file runs every program written for it, so it says nothing about the game; its arguments do.
The family (java, python, wine) comes from the interpreter's real name or, for a renamed or copied interpreter, from
its content (agent/catalog/content.py keeps the fingerprints of the system's interpreters).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass

FAMILIES = ("java", "python", "wine")
_PYTHON_RE = re.compile(r"^(python|pypy)[0-9.]*[wdm]?$|^py$")
_JAVA_NAMES = frozenset({"java", "javaw"})
_WINE_NAMES = frozenset({"wine", "wine64", "wine-preloader", "wine64-preloader"})
# java options followed by a separate value (java -help, JDK 17)
_JAVA_VALUE_OPTS = frozenset({
    "-cp", "-classpath", "--class-path", "-p", "--module-path", "--upgrade-module-path", "--add-modules",
    "--add-opens", "--add-exports", "--add-reads", "--patch-module", "--limit-modules", "--enable-native-access",
    "--source", "-splash",
})
_PYTHON_VALUE_OPTS = frozenset({"-W", "-X", "--check-hash-based-pycs"})
_CLASS_RE = re.compile(r"^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)+$")
MAX_ARGS = 256  # a launcher's argv can be long (Minecraft's carries its whole classpath); the target comes early


@dataclass(frozen=True)
class Launched:
    kind: str  # jar | class | script | module | exe
    value: str  # an absolute path (jar, script, exe) or a dotted name (class, module)

    @property
    def is_file(self) -> bool:
        return self.kind in ("jar", "script", "exe")


def family_of_name(name: str) -> str | None:
    """'python3.11' → python, 'javaw' → java, 'wine64-preloader' → wine; None for anything else."""
    n = name.lower()
    if n.endswith(".exe"):
        n = n[:-4]
    if n in _JAVA_NAMES:
        return "java"
    if _PYTHON_RE.match(n):
        return "python"
    if n in _WINE_NAMES:
        return "wine"
    return None


def launched_by(family: str, argv: Sequence[str], cwd: str | None) -> Launched | None:
    """The program an interpreter of `family` runs, or None (an interactive shell, `python -c`, a bare `java`)."""
    args = list(argv[1:MAX_ARGS])
    if family == "java":
        return _java(args, cwd)
    if family == "python":
        return _python(args, cwd)
    if family == "wine":
        return _wine(args, cwd)
    return None


def _path(value: str, cwd: str | None) -> str:
    if not os.path.isabs(value) and cwd:
        value = os.path.join(cwd, value)
    return os.path.normpath(value)


def _java(args: list[str], cwd: str | None) -> Launched | None:
    i = 0
    while i < len(args):
        a = args[i]
        if a == "-jar" and i + 1 < len(args):
            return Launched("jar", _path(args[i + 1], cwd))
        if a in ("-m", "--module") and i + 1 < len(args):
            return Launched("class", args[i + 1].partition("/")[2] or args[i + 1])
        if a.startswith("--module="):
            value = a.partition("=")[2]
            return Launched("class", value.partition("/")[2] or value)
        if a in _JAVA_VALUE_OPTS:
            i += 2
            continue
        if a.startswith("-"):
            i += 1
            continue
        return Launched("class", a) if _CLASS_RE.match(a) or "." not in a else None
    return None


def _python(args: list[str], cwd: str | None) -> Launched | None:
    i = 0
    while i < len(args):
        a = args[i]
        if a == "-c" or (a.startswith("-c") and not a.startswith("--")):
            return None  # inline code: nothing on disk to name
        if a == "-m" and i + 1 < len(args):
            return Launched("module", args[i + 1])
        if a.startswith("-m") and len(a) > 2:
            return Launched("module", a[2:])
        if a in _PYTHON_VALUE_OPTS:
            i += 2
            continue
        if a == "-" or a == "--":
            i += 1
            continue
        if a.startswith("-"):
            i += 1
            continue
        return Launched("script", _path(a, cwd))
    return None


def _wine(args: list[str], cwd: str | None) -> Launched | None:
    for a in args:
        if a.startswith("-") or a.lower() in ("start", "/unix", "/wait"):
            continue
        return Launched("exe", _path(a.replace("\\", "/"), cwd) if "/" in a or "\\" in a else _path(a, cwd))
    return None
