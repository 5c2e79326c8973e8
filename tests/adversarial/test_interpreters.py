"""Games run by an interpreter are what they run, not what runs them: a java game by its jar or main class, a python
game by its script, a window by its class (WM_CLASS). A child who copies the jar or script elsewhere, renames it, or
runs it with a renamed or copied interpreter is still playing that game.

As a child would: a real unprivileged account (useradd) copies and starts real java and python processes in folders
it owns; the service-mode core (counting that account) with its real process source, command-line reader and
closer; the clock 60× faster, so a 2-minute game limit is reached in seconds. The X11 part uses a real Xvfb window.
Through the real `sprout-agent run`: a java game started by the child is counted as Minecraft in the agent's saved
totals.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from agent.catalog import Catalog
from agent.catalog.content import ContentIndex, fingerprint
from agent.catalog.launch_args import Launched, family_of_name, launched_by
from agent.ledger.sample import AppRef
from tests.support.child_core import kid_space as kid_space  # a fixture
from tests.support.child_core import service_core
from tests.support.child_programs import as_kid, kid_copies, kid_home, today
from tests.support.child_programs import kid as kid  # a fixture
from tests.support.enforcement import run_until
from tests.support.os_accounts import ROOT_ONLY, SYSTEM_PYTHON

JAVA = shutil.which("java")
JAVAC = shutil.which("javac")
JAR = shutil.which("jar")
PYTHON = os.path.realpath(SYSTEM_PYTHON)
MAIN = "net.minecraft.client.main.Main"
needs_jdk = pytest.mark.skipif(not (JAVA and JAVAC and JAR), reason="needs a JDK (java, javac, jar)")


# ----- reading the arguments

def test_what_an_interpreter_runs_is_read_from_its_arguments() -> None:
    assert family_of_name("python3.11") == "python" and family_of_name("javaw.exe") == "java"
    assert family_of_name("wine64-preloader") == "wine" and family_of_name("mathsolver") is None
    cp = ["java", "-Xmx2G", "-Djava.library.path=/x", "-cp", "a.jar:b.jar", MAIN, "--username", "kid"]
    assert launched_by("java", cp, "/home/kid") == Launched("class", MAIN)
    assert launched_by("java", ["javaw", "-jar", "TLauncher.jar"], "/h") == Launched("jar", "/h/TLauncher.jar")
    assert launched_by("java", ["java", "--module-path", "m", "-m", "game/com.x.Main"], "/h") == \
        Launched("class", "com.x.Main")
    assert launched_by("python", ["python3", "-u", "-X", "dev", "notes.txt", "--fast"], "/home/kid/homework") == \
        Launched("script", "/home/kid/homework/notes.txt")
    assert launched_by("python", ["python3", "-m", "pysolfc"], None) == Launched("module", "pysolfc")
    assert launched_by("python", ["python3", "-c", "print(1)", "game.py"], "/") is None
    assert launched_by("python", ["python3"], "/") is None
    assert launched_by("wine", ["wine64-preloader", "C:\\Games\\Game.exe"], "/h") is not None


# ----- java: by main class, by the jar's learned content

@pytest.fixture(scope="module")
def minecraft_jar(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real jar whose main class is Minecraft's (it only sleeps): what `java` really runs."""
    if not (JAVA and JAVAC and JAR):
        pytest.skip("needs a JDK (java, javac, jar)")
    base = tmp_path_factory.mktemp("mcjar")
    src = base / "src" / "net" / "minecraft" / "client" / "main"
    src.mkdir(parents=True)
    (src / "Main.java").write_text("package net.minecraft.client.main;\npublic class Main {\n"
                                   "  public static void main(String[] a) throws Exception { Thread.sleep(600000); }\n}\n")
    subprocess.run([JAVAC, "-d", str(base / "classes"), str(src / "Main.java")], check=True, timeout=240)
    jar = base / "1.20.jar"
    subprocess.run([JAR, "--create", "--file", str(jar), "--main-class", MAIN, "-C", str(base / "classes"), "."],
                   check=True, timeout=240)
    return jar


def _kid_file(kid, src: Path, dst: Path, mode: int = 0o644) -> Path:  # type: ignore[no-untyped-def]
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(src, dst)
    os.chown(dst, kid.pw_uid, kid.pw_gid)
    os.chmod(dst, mode)
    return dst


def _owned(kid, *folders: Path) -> None:  # type: ignore[no-untyped-def]
    for f in folders:
        f.mkdir(parents=True, exist_ok=True)
        os.chown(f, kid.pw_uid, kid.pw_gid)


def _closed(core, game: str, proc: subprocess.Popen, timeout: float = 60) -> None:  # type: ignore[no-untyped-def]
    run_until(core, lambda ds: any(d.kind == "close" and d.target == game for d in ds), timeout=timeout)
    proc.wait(timeout=30)


@ROOT_ONLY
@needs_jdk
def test_a_copied_jar_run_by_a_renamed_java_is_still_minecraft(tmp_path: Path, kid, kid_space, minecraft_jar) -> None:  # type: ignore[no-untyped-def]
    home = kid_home(kid_space, kid)
    versions = home / ".minecraft" / "versions" / "1.20"
    _owned(kid, home / ".minecraft", home / ".minecraft" / "versions", versions)
    jar = _kid_file(kid, minecraft_jar, versions / "1.20.jar")
    core = service_core(tmp_path, kid.pw_uid, None)
    procs: list[subprocess.Popen] = []
    try:
        # Minecraft as its launcher starts it: `java -jar ~/.minecraft/versions/1.20/1.20.jar` (java's own name).
        procs.append(as_kid(kid, JAVA, "-Xmx32m", "-jar", str(jar)))
        _closed(core, "minecraft", procs[-1])
        assert today(core).per_game_s["minecraft"] >= 120
        digest = fingerprint(str(jar))
        assert core.sampler.content.learned[digest] == ("minecraft", "game")
        assert fingerprint(os.path.realpath(JAVA)) not in core.sampler.content.learned  # java is never a game
        # The limit is reached. The child copies the jar to homework as notes.jar and runs it with `calc`, a link
        # to java under another name, from the homework folder.
        notes = home / "homework" / "notes.jar"
        kid_copies(kid, jar, notes)
        assert as_kid(kid, "ln", "-s", os.path.realpath(JAVA), str(home / "homework" / "calc")).wait(10) == 0
        procs.append(as_kid(kid, "sh", "-c", f"cd {home / 'homework'} && exec ./calc -Xmx32m -jar notes.jar"))
        _closed(core, "minecraft", procs[-1])
        # By its main class, from any jar on any class path.
        procs.append(as_kid(kid, JAVA, "-Xmx32m", "-cp", str(notes), MAIN))
        _closed(core, "minecraft", procs[-1])
        closed = {e.payload.get("pid") for e in core.store.events() if e.kind == "enforced"}
        for _ in range(40):  # the closing worker reports back on a later tick
            if {p.pid for p in procs[1:]} <= closed:
                break
            core.tick()
            time.sleep(0.1)
            closed = {e.payload.get("pid") for e in core.store.events() if e.kind == "enforced"}
        assert procs[0].pid in closed and {p.pid for p in procs[1:]} <= closed | {procs[1].pid}
    finally:
        for p in procs:
            p.kill()


# ----- python: by the script's learned content, whatever runs it

def _script(path: Path, kid, body: str) -> Path:  # type: ignore[no-untyped-def]
    path.write_text(f"#!{PYTHON}\n# {os.urandom(8).hex()}\n{body}\n")
    os.chown(path, kid.pw_uid, kid.pw_gid)
    os.chmod(path, 0o755)
    return path


@ROOT_ONLY
def test_a_python_game_copied_and_run_by_a_copied_python_is_still_that_game(tmp_path: Path, kid, kid_space) -> None:  # type: ignore[no-untyped-def]
    home = kid_home(kid_space, kid)
    _owned(kid, home / "games")
    game = _script(home / "games" / "pysolfc", kid, "import time\ntime.sleep(600)")
    core = service_core(tmp_path, kid.pw_uid, None)
    procs: list[subprocess.Popen] = []
    try:
        procs.append(as_kid(kid, str(game)))  # the catalogued game under its own name: its script is learned
        _closed(core, "pysolfc", procs[-1])
        learned = core.sampler.content.learned
        assert learned[fingerprint(str(game))] == ("pysolfc", "game")
        assert fingerprint(PYTHON) not in learned  # the interpreter never is
        # The child copies the script to homework as notes.txt, copies python itself to homework as `calc`, and
        # runs `calc notes.txt`.
        kid_copies(kid, game, home / "homework" / "notes.txt")
        kid_copies(kid, Path(PYTHON), home / "homework" / "calc")
        procs.append(as_kid(kid, str(home / "homework" / "calc"), str(home / "homework" / "notes.txt")))
        _closed(core, "pysolfc", procs[-1])
        assert fingerprint(str(home / "homework" / "calc")) not in core.sampler.content.learned
    finally:
        for p in procs:
            p.kill()


@ROOT_ONLY
def test_a_script_named_like_a_school_app_is_not_school(tmp_path: Path, kid, kid_space) -> None:  # type: ignore[no-untyped-def]
    """`anki` is a python program: a script of the child's called anki runs the real python from /usr/bin, but
    the script lies where the child writes, so it is an ordinary app whose time counts."""
    home = kid_home(kid_space, kid)
    fake = _script(home / "homework" / "anki", kid, "import time\ntime.sleep(600)")
    core = service_core(tmp_path, kid.pw_uid, None)
    proc = as_kid(kid, str(fake))
    try:
        deadline = time.monotonic() + 30
        running: dict[str, AppRef] = {}
        while time.monotonic() < deadline:
            obs = core.sampler.observe()
            running = {r.id: r for r in obs.sample.running}
            if any(proc.pid == pid for ps in obs.pids.values() for pid, _ in ps):
                break
            time.sleep(0.1)
        ids = [app for app, ps in obs.pids.items() if any(pid == proc.pid for pid, _ in ps)]
        assert ids and all(running[i].kind != "school" for i in ids), running
    finally:
        proc.kill()


# ----- the window's class

def test_a_window_class_names_the_game_but_never_grants_school() -> None:
    index = ContentIndex(Catalog.load().entries(), child_uid=None)
    assert index.game_for_window("Minecraft* 1.20.1") == ("minecraft", "game")
    assert index.game_for_window("minecraft") == ("minecraft", "game")
    assert index.game_for_window("minecraft-launcher") is None  # the launcher's own window is not the game
    assert index.game_for_window("Anki") is None and index.game_for_window(None) is None


@pytest.fixture()
def xvfb() -> Iterator[str]:
    if sys.platform != "linux" or not shutil.which("Xvfb") or not shutil.which("xdotool"):
        pytest.skip("needs Xvfb and xdotool")
    pytest.importorskip("tkinter")
    from tests.support.xvfb import start_xvfb

    server, display = start_xvfb()
    yield display
    server.terminate()
    server.wait(timeout=5)


def test_a_focused_window_with_a_games_class_is_that_game(xvfb: str) -> None:
    """A Tk window run by python with Minecraft's window class, focused: the sampler (with the real X11 adapter and
    the real process table, narrowed to this window's process) sees Minecraft in front and among what runs."""
    from agent.ledger.apps import AppClassifier
    from agent.ledger.clock import SimulatedClock
    from agent.os.foreground_x11 import X11Foreground
    from agent.os.processes import make_process_source
    from agent.service.sampler import Sampler
    from tests.support.x11_windows import TK_WINDOW, _focus

    env = {**os.environ, "DISPLAY": xvfb, "XDG_SESSION_TYPE": "x11"}
    win = subprocess.Popen([sys.executable, "-c", TK_WINDOW, "untitled", "minecraft"], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    source = X11Foreground(xvfb)
    try:
        assert win.stdout is not None and win.stdout.readline().strip() == b"ready"
        _focus("minecraft", env, "--classname")
        procs = make_process_source()

        class OnlyThisWindow:
            def snapshot(self):  # type: ignore[no-untyped-def]
                return [p for p in procs.snapshot() if p.pid == win.pid]

        catalog = Catalog.load()
        sampler = Sampler(clock=SimulatedClock(wall=1_795_000_000.0), processes=OnlyThisWindow(), foreground=source, idle=None,
                          classifier=AppClassifier(catalog), child_uid=None,
                          content=ContentIndex(catalog.entries(), child_uid=None))
        deadline = time.monotonic() + 60
        obs = sampler.observe()
        while (obs.sample.foreground is None or obs.sample.foreground.id != "minecraft") and \
                time.monotonic() < deadline:
            time.sleep(0.1)
            obs = sampler.observe()
        assert obs.sample.foreground is not None and obs.sample.foreground.id == "minecraft"
        assert obs.sample.foreground.is_game
        assert any(r.id == "minecraft" and r.is_game for r in obs.sample.running)
        assert (win.pid in {pid for pid, _ in obs.pids["minecraft"]})  # closed with the game at its limit
    finally:
        source.close()
        win.kill()
        win.wait(timeout=5)


# ----- through the real agent

@needs_jdk
def test_the_real_agent_counts_a_java_game_as_minecraft(tmp_path: Path, minecraft_jar: Path) -> None:
    from tests.support import os_accounts
    from tests.support.agent_process import BIN, ROOT, run, wait_for

    kid = os_accounts.make_kid()
    try:
        jar = kid.program(str(minecraft_jar), "notes.jar", "homework")
        jar.chmod(0o644)
        state = tmp_path / "agent"
        log = open(tmp_path / "agent.log", "w")  # noqa: SIM115
        agent = subprocess.Popen([str(BIN / "sprout-agent"), "run", "--user-mode", "--state", str(state),
                                  "--child-uid", str(kid.uid), "--no-companion-socket", "--save-every", "1",
                                  "--lang", "en"], stdout=log, stderr=log, env=dict(os.environ, PYTHONPATH=str(ROOT)),
                                 cwd=ROOT)
        game = subprocess.Popen(kid.argv(JAVA or "java", "-Xmx32m", "-cp", str(jar), MAIN))
        try:
            def minecraft_seconds() -> float:
                if not (state / "agent.db").exists():
                    return 0
                out = run(BIN / "sprout-agent", "status", "--state", state, "--json", ok=False)
                if out.returncode != 0:
                    return 0
                days = json.loads(out.stdout)["days"]
                return max((d.get("per_game_s", {}).get("minecraft", 0) for d in days.values()), default=0)

            assert wait_for(lambda: minecraft_seconds() >= 2, 120, "Minecraft counted by the real agent")
        finally:
            game.kill()
            agent.send_signal(signal.SIGTERM)
            agent.wait(30)
            log.close()
    finally:
        shutil.rmtree(kid.folder, ignore_errors=True)


def test_a_full_screen_window_is_seen_as_full_screen(xvfb: str) -> None:
    """The real X11 adapter: a window as large as its screen is full screen (no window manager here to set
    _NET_WM_STATE_FULLSCREEN, which is read where one does); a small window is not."""
    from agent.os.foreground_x11 import X11Foreground
    from tests.support.x11_windows import _focus, _wait_for

    env = {**os.environ, "DISPLAY": xvfb, "XDG_SESSION_TYPE": "x11"}
    big = ("import sys, tkinter; root = tkinter.Tk(className=sys.argv[1]);"
           "root.geometry(f'{root.winfo_screenwidth()}x{root.winfo_screenheight()}+0+0');"
           "root.after(100, lambda: print('ready', flush=True)); root.mainloop()")
    from tests.support.x11_windows import TK_WINDOW

    full = subprocess.Popen([sys.executable, "-c", big, "blockworld"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL)
    small = subprocess.Popen([sys.executable, "-c", TK_WINDOW, "notes", "notes"], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL)
    source = X11Foreground(xvfb)
    try:
        for p in (full, small):
            assert p.stdout is not None and p.stdout.readline().strip() == b"ready"
        _focus("blockworld", env, "--classname")
        fg = _wait_for(source, full.pid)
        assert fg is not None and fg.fullscreen and fg.wm_class == "Blockworld"
        _focus("notes", env, "--classname")
        fg = _wait_for(source, small.pid)
        assert fg is not None and not fg.fullscreen
    finally:
        source.close()
        for p in (full, small):
            p.kill()
            p.wait(timeout=5)
