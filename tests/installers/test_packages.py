"""The real artefacts: the three PyInstaller bundles and the .deb, installed and removed in a debootstrap root.

Needs root (chroot, mount), pyinstaller (installed by installers/build_bundles.sh), dpkg-deb and debootstrap;
the root (this machine's own release: Debian 12, or Ubuntu 24.04 where the package is built there) is made once
from its archive and cached in /var/cache/sprout-test/.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CACHE = Path("/var/cache/sprout-test")
BUNDLES = ("sprout-agent", "sprout-companion", "sprout-console")
ORIGINAL_RESOLV = b"nameserver 192.0.2.53\noptions edns0\n"  # documentation address: never contacted

# dpkg's own bookkeeping changes with any install and removal; the shadow tools keep one backup of each file
# they rewrite (passwd-, group-, ...). Everything else must come back exactly.
BOOKKEEPING = ("var/lib/dpkg/", "var/log/", "var/cache/debconf/", "etc/passwd-", "etc/group-", "etc/shadow-",
               "etc/gshadow-", "etc/subuid-", "etc/subgid-")

needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="chroot and mount need root")
# Three PyInstaller builds take about 2 minutes on an idle 2-core machine and several times that on a busy one: the
# limits here catch a hang, not a slow machine.
pytestmark = pytest.mark.timeout(2400)
BUILD_TIMEOUT_S = 1800


def run(argv: list[str], **kw: object) -> subprocess.CompletedProcess:
    return subprocess.run(argv, capture_output=True, text=True, timeout=BUILD_TIMEOUT_S, **kw)  # type: ignore[call-overload]


@pytest.fixture(scope="module")
def bundles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    work = tmp_path_factory.mktemp("pyinstaller-work")  # its own: another run at once must not share it
    env = {**os.environ, "DIST": str(dist), "WORK": str(work), "QT_QPA_PLATFORM": "offscreen"}
    result = run(["bash", str(REPO / "installers/build_bundles.sh")], env=env, cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    print(result.stdout)
    return dist


def test_bundles_start_and_print_their_version(bundles: Path) -> None:
    from agent import __version__

    for name in BUNDLES:
        exe = bundles / name / name
        result = run([str(exe), "--version"], env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith(f"{name} {__version__}")
        assert (bundles / name / "_internal" / "resources" / "presets" / "vn-decree-147.json").is_file()
    agent_files = {p.name for p in (bundles / "sprout-agent" / "_internal").rglob("*")}
    assert not any(n.startswith(("PySide6", "libQt6", "shiboken6")) for n in agent_files), "Qt in the agent bundle"
    assert "Qt 6." in run([str(bundles / "sprout-console/sprout-console"), "--version"],
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}).stdout


def test_agent_bundle_runs_real_subcommands(bundles: Path, tmp_path: Path) -> None:
    exe = str(bundles / "sprout-agent" / "sprout-agent")
    policy = run([exe, "policy", "preset", "--age", "12", "--preset", "vn-decree-147"])
    assert policy.returncode == 0 and '"vn-decree-147"' in policy.stdout, policy.stderr
    bad = tmp_path / "oem.toml"
    bad.write_text("[defaults]\nlanguage = 'fr'\n")
    result = run([exe, "factory-reset", "--check-oem", str(bad)])
    assert result.returncode == 2 and "oem.toml: defaults.language:" in result.stderr
    assert run([exe, "unlock", "--check", "--state", str(tmp_path)]).returncode == 1


@pytest.fixture(scope="module")
def deb(bundles: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("deb")
    env = {**os.environ, "DEB_COMPRESS": "gzip", "DEB_LEVEL": "1"}  # the release build uses xz -6
    result = run(["bash", str(REPO / "installers/linux/build_deb.sh"), str(bundles), str(out)], env=env)
    assert result.returncode == 0, result.stderr
    return Path(result.stdout.strip().splitlines()[-1])


def test_deb_contents_and_metadata(deb: Path) -> None:
    listing = run(["dpkg-deb", "--contents", str(deb)]).stdout
    for path in ("./usr/lib/systemd/system/sprout-agent.service", "./etc/xdg/autostart/sprout-companion.desktop",
                 "./usr/share/applications/sprout-console.desktop", "./usr/bin/sprout-agent -> ",
                 "./usr/share/icons/hicolor/scalable/apps/sprout.svg", "./usr/share/doc/sprout/copyright",
                 "./usr/lib/sprout/sprout-agent/sprout-agent", "./etc/polkit-1/rules.d/50-sprout.rules"):
        assert path in listing, path
    assert all(" root/root " in line for line in listing.splitlines())
    conffiles = run(["dpkg-deb", "--info", str(deb), "conffiles"]).stdout.split()
    assert conffiles == ["/etc/xdg/autostart/sprout-companion.desktop", "/etc/polkit-1/rules.d/50-sprout.rules"]
    control = run(["dpkg-deb", "--field", str(deb)]).stdout
    assert "Package: sprout" in control and "Architecture: amd64" in control


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def test_deb_asks_for_the_c_library_its_bundles_were_linked_against(deb: Path, tmp_path: Path) -> None:
    """Built on a newer release than the one it lands on (Ubuntu 24.04's glibc 2.39 against Debian 12's 2.36), the
    package must be refused by dpkg for its dependency, not installed to fail at its first start."""
    depends = run(["dpkg-deb", "--field", str(deb), "Depends"]).stdout
    declared = re.search(r"libc6 \(>= ([0-9.]+)\)", depends)
    assert declared, depends
    assert run(["dpkg-deb", "-x", str(deb), str(tmp_path)]).returncode == 0
    needed = {m.decode() for f in (tmp_path / "usr/lib/sprout").rglob("*") if f.is_file() and not f.is_symlink()
              for m in re.findall(rb"GLIBC_(2\.[0-9]+)", f.read_bytes())}
    assert needed, "no bundled binary names a C library version: the scan is looking at the wrong files"
    assert _version(declared.group(1)) >= max(_version(v) for v in needed), (declared.group(1), sorted(needed))


def host_release() -> tuple[str, str, str, str | None]:
    """The release this machine runs, as debootstrap names it: (suite, mirror, keyring, script). The package built
    here is for this release, so its install test uses a root of the same one."""
    fields = dict(line.split("=", 1) for line in Path("/etc/os-release").read_text().splitlines() if "=" in line)
    distro = fields.get("ID", "debian").strip('"')
    suite = fields.get("VERSION_CODENAME", "").strip('"') or "bookworm"
    if distro == "ubuntu":
        script = f"/usr/share/debootstrap/scripts/{suite}"
        return (suite, "http://archive.ubuntu.com/ubuntu", "/usr/share/keyrings/ubuntu-archive-keyring.gpg",
                None if Path(script).exists() else "/usr/share/debootstrap/scripts/gutsy")
    if distro != "debian":
        suite = "bookworm"
    return suite, "http://deb.debian.org/debian", "/usr/share/keyrings/debian-archive-keyring.gpg", None


def _debian_root(target: Path) -> None:
    suite, mirror, keyring, script = host_release()
    root_tar = CACHE / f"{suite}-minbase.tar"
    if not root_tar.exists():
        if not shutil.which("debootstrap"):
            pytest.skip("debootstrap is not installed (apt-get install -y debootstrap)")
        CACHE.mkdir(parents=True, exist_ok=True)
        build = CACHE / f"root-build-{os.getpid()}"
        argv = ["debootstrap", "--variant=minbase", f"--keyring={keyring}", suite, str(build), mirror]
        result = run(argv + ([script] if script else []))
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
        partial = root_tar.with_suffix(".tar.part")
        assert run(["tar", "-C", str(build), "-cf", str(partial), "."]).returncode == 0
        partial.rename(root_tar)
        shutil.rmtree(build)
    target.mkdir()
    result = run(["tar", "-C", str(target), "-xf", str(root_tar)])
    assert result.returncode == 0, result.stderr


@contextlib.contextmanager
def mounted_proc(root: Path) -> Iterator[None]:
    # The PyInstaller bootloader finds its own folder through /proc/self/exe.
    subprocess.run(["mount", "-t", "proc", "proc", str(root / "proc")], check=True)
    try:
        yield
    finally:
        subprocess.run(["umount", "-l", str(root / "proc")], check=False)


def snapshot(root: Path) -> dict[str, tuple]:
    """Every path under root (not /proc, /dev, /sys, /run) -> (type, mode, uid, gid, content hash or link)."""
    tree: dict[str, tuple] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = Path(dirpath).relative_to(root).as_posix()
        if rel_dir == ".":
            dirnames[:] = [d for d in dirnames if d not in ("proc", "dev", "sys", "run")]
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            rel = path.relative_to(root).as_posix()
            st = path.lstat()
            if stat.S_ISLNK(st.st_mode):
                what: object = os.readlink(path)
            elif stat.S_ISREG(st.st_mode):
                what = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                what = None
            tree[rel] = (stat.S_IFMT(st.st_mode), stat.S_IMODE(st.st_mode), st.st_uid, st.st_gid, what)
    return tree


def differences(before: dict[str, tuple], after: dict[str, tuple]) -> list[str]:
    keys = set(before) | set(after)
    changed = sorted(k for k in keys if before.get(k) != after.get(k) and not k.startswith(BOOKKEEPING))
    return [f"{k}: {before.get(k)} -> {after.get(k)}" for k in changed]


def chroot(root: Path, *argv: str, stdin: str | None = None, env: dict[str, str] | None = None
           ) -> subprocess.CompletedProcess:
    base = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8", "DEBIAN_FRONTEND": "noninteractive"}
    return subprocess.run(["chroot", str(root), *argv], input=stdin, capture_output=True, text=True, timeout=600,
                          env={**base, **(env or {})})


@needs_root
def test_deb_installs_and_removes_cleanly_in_a_debian_root(deb: Path, tmp_path: Path) -> None:
    root = tmp_path / "debian"
    _debian_root(root)
    (root / "etc/resolv.conf").unlink(missing_ok=True)
    (root / "etc/resolv.conf").write_bytes(ORIGINAL_RESOLV)
    # No zone database, as on a minimal Ubuntu: the bundles carry their own.
    shutil.rmtree(root / "usr/share/zoneinfo", ignore_errors=True)
    (root / "etc/firefox/policies").mkdir(parents=True)  # a family's own Firefox policy must survive us
    (root / "etc/firefox/policies/policies.json").write_text('{"policies": {"DisableTelemetry": true}}\n')
    with mounted_proc(root):
        before = snapshot(root)
        shutil.copy(deb, root / "tmp" / deb.name)
        installed = chroot(root, "dpkg", "-i", f"/tmp/{deb.name}")
        assert installed.returncode == 0, installed.stdout + installed.stderr
        check_installed(root)

        refused = chroot(root, "dpkg", "--purge", "sprout")  # no PIN given: refused, nothing changes
        assert refused.returncode != 0
        assert "the parent's PIN is needed" in refused.stderr
        assert b"127.0.0.1" in (root / "etc/resolv.conf").read_bytes()
        assert " ok installed\n" in chroot(root, "dpkg", "-s", "sprout").stdout  # still installed, files intact
        reports = list((root / "var/lib/sprout/protect/reports").glob("*.json"))
        assert reports, "the refused removal was not reported"

        assert chroot(root, "sprout-agent", "unlock", "--set-pin", "--pin-stdin", stdin="2468\n").returncode == 0
        wrong = chroot(root, "sprout-agent", "unlock", "--pin-stdin", stdin="1111\n")
        assert wrong.returncode == 2 and "wrong PIN" in wrong.stderr
        assert chroot(root, "sprout-agent", "unlock", "--pin-stdin", stdin="2468\n").returncode == 0
        purged = chroot(root, "dpkg", "--purge", "sprout")
        assert purged.returncode == 0, purged.stdout + purged.stderr
        (root / "tmp" / deb.name).unlink()
        assert not (root / "etc/polkit-1").exists()  # the rule, and the folders it brought, gone on purge
        after = snapshot(root)
    assert (root / "etc/resolv.conf").read_bytes() == ORIGINAL_RESOLV
    assert differences(before, after) == []


def check_installed(root: Path) -> None:
    def mode(rel: str) -> int:
        return stat.S_IMODE((root / rel).lstat().st_mode)

    for name in BUNDLES:
        assert os.readlink(root / f"usr/bin/{name}") == f"../lib/sprout/{name}/{name}"
        assert mode(f"usr/lib/sprout/{name}/{name}") == 0o755
    version = chroot(root, "sprout-agent", "--version")
    assert version.returncode == 0 and version.stdout.startswith("sprout-agent "), version.stderr
    unit = root / "usr/lib/systemd/system/sprout-agent.service"
    assert unit.read_bytes() == (REPO / "installers/linux/sprout-agent.service").read_bytes()
    assert mode("usr/lib/systemd/system/sprout-agent.service") == 0o644
    wants = root / "etc/systemd/system/multi-user.target.wants/sprout-agent.service"
    # deb-systemd-helper names the unit by whichever alias of merged /usr it finds first (versions differ)
    assert os.readlink(wants) in ("/lib/systemd/system/sprout-agent.service", "/usr/lib/systemd/system/sprout-agent.service")
    verify_unit(root)
    for rel in ("etc/xdg/autostart/sprout-companion.desktop", "usr/share/applications/sprout-console.desktop",
                "usr/share/icons/hicolor/scalable/apps/sprout.svg", "etc/opt/chrome/policies/managed/sprout.json",
                "etc/chromium/policies/managed/sprout.json", "etc/opt/edge/policies/managed/sprout.json"):
        assert (root / rel).is_file() and mode(rel) == 0o644, rel
    firefox = (root / "etc/firefox/policies/policies.json").read_text()
    assert '"DisableTelemetry": true' in firefox and '"DNSOverHTTPS"' in firefox  # merged, not replaced
    assert (root / "etc/resolv.conf").read_text().split() == ["nameserver", "127.0.0.1"] or \
        "nameserver 127.0.0.1" in (root / "etc/resolv.conf").read_text()
    assert "--upstream 192.0.2.53:53" in (root / "var/lib/sprout/agent.env").read_text()
    assert mode("var/lib/sprout") == 0o700  # secrets inside; the companion socket is in /run/sprout (0711)
    account = chroot(root, "getent", "passwd", "sprout").stdout.split(":")
    state = (root / "var/lib/sprout").stat()
    assert (state.st_uid, state.st_gid) == (int(account[2]), int(account[3]))  # the service account's
    check_unit_account(unit.read_text())
    rule = "etc/polkit-1/rules.d/50-sprout.rules"
    assert mode(rule) == 0o644
    check_polkit_rule((root / rule).read_text())
    # every option the unit passes is one the bundled `run` knows
    exec_start = next(line for line in unit.read_text().splitlines() if line.startswith("ExecStart="))
    run_help = chroot(root, "sprout-agent", "run", "--help").stdout
    for option in (t for t in exec_start.split() if t.startswith("--")):
        assert option in run_help, option
    # what the unit's ExecStartPre does at the first start, with the bundled program
    first = chroot(root, "sprout-agent", "system", "first-start", "--state", "/var/lib/sprout")
    assert first.returncode == 0, first.stderr
    assert '"vn-decree-147"' in (root / "var/lib/sprout/oem-policy.json").read_text()
    assert account[0] == "sprout" and int(account[2]) < 1000 and account[6].strip() == "/usr/sbin/nologin"


SERVICE_CAPS = {"CAP_NET_BIND_SERVICE", "CAP_KILL", "CAP_SYS_PTRACE", "CAP_DAC_READ_SEARCH",
                "CAP_DAC_OVERRIDE"}  # root-written files in the state folder (see the unit)
LOGIND_ACTIONS = {"org.freedesktop.login1.lock-sessions", "org.freedesktop.login1.manage"}


def unit_settings(text: str) -> dict[str, list[str]]:
    settings: dict[str, list[str]] = {}
    for line in text.splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, _, value = line.partition("=")
            settings.setdefault(key, []).append(value)
    return settings


def check_unit_account(text: str) -> None:
    """The unit runs as the package's account with exactly the capabilities the agent needs, none kept back."""
    settings = unit_settings(text)
    assert settings["User"] == ["sprout"] and settings["Group"] == ["sprout"]
    assert [set(v.split()) for v in settings["AmbientCapabilities"]] == [SERVICE_CAPS]
    assert [set(v.split()) for v in settings["CapabilityBoundingSet"]] == [SERVICE_CAPS]
    assert settings["StateDirectory"] == ["sprout"] and settings["StateDirectoryMode"] == ["0700"]
    assert settings["RuntimeDirectory"] == ["sprout"] and settings["RuntimeDirectoryMode"] == ["0711"]
    assert settings["NoNewPrivileges"] == ["yes"]


def check_polkit_rule(text: str) -> None:
    import re

    assert re.findall(r"subject\.user\s*==\s*\"([^\"]*)\"", text) == ["sprout"]
    assert set(re.findall(r"action\.id\s*==\s*\"([^\"]*)\"", text)) == LOGIND_ACTIONS
    assert "polkit.Result.YES" in text and "AUTH_ADMIN" not in text
    policy = Path("/usr/share/polkit-1/actions/org.freedesktop.login1.policy")
    if policy.is_file():  # the action names are logind's own
        for action in LOGIND_ACTIONS:
            assert f'<action id="{action}">' in policy.read_text(), action


def test_unit_runs_as_the_service_account_with_only_its_capabilities() -> None:
    check_unit_account((REPO / "installers/linux/sprout-agent.service").read_text())
    check_polkit_rule((REPO / "installers/linux/polkit/50-sprout.rules").read_text())
    postinst = (REPO / "installers/linux/debian/postinst").read_text()
    assert "install -d -m 0700 -o sprout -g sprout /var/lib/sprout" in postinst
    assert postinst.index("useradd") < postinst.index("-o sprout")  # the account exists before it owns anything


def verify_unit(root: Path) -> None:
    """systemd-analyze verify on the installed unit. The chroot has no systemd of its own, so the host's checks
    it, with the command paths pointed into the chroot (it also checks that they exist and are executable)."""
    if not shutil.which("systemd-analyze"):
        pytest.skip("systemd-analyze is not installed (apt-get install -y systemd)")
    unit = (root / "usr/lib/systemd/system/sprout-agent.service").read_text()
    folder = root.parent / "unit-check"
    folder.mkdir()
    (folder / "sprout-agent.service").write_text(unit.replace("/usr/bin/sprout-agent", f"{root}/usr/bin/sprout-agent"))
    verify = run(["systemd-analyze", "verify", str(folder / "sprout-agent.service")])
    assert verify.returncode == 0 and verify.stderr == "", verify.stdout + verify.stderr
