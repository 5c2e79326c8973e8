"""`sprout-agent system ...`: what the Linux package scripts do to the system, undone exactly on removal.

Bundled into the agent (installers/pyinstaller/entry_agent.py registers it) because the package scripts run
without any Python of the system's own:
  install      point the resolver at the filter (agent.os.dns_settings), write the browser policies
               (agent.os.browser_policies), and record the upstream servers the filter forwards to
  remove       restore the resolver and the browser policies exactly, forget the upstream record
  first-start  turn the device maker's oem.toml into the first policy (agent.oem), once
  allow-stop   after `sprout-agent unlock --check`, lift the unit's RefuseManualStop until the next boot
Everything works under --root so the package test runs it inside a Debian tree; systemd is only asked to
reload when it is running (not in a chroot or an image being built).
"""

from __future__ import annotations

import argparse
import ipaddress
import shlex
import sys
from pathlib import Path

from agent.errors import CliError

ENV_FILE = "var/lib/sprout/agent.env"
UNIT = "sprout-agent.service"
UNLOCK_DROPIN = f"run/systemd/system/{UNIT}.d/50-sprout-unlocked.conf"


def _systemd_running(root: Path) -> bool:
    return root == Path("/") and Path("/run/systemd/system").is_dir()


def _runner(root: Path):  # type: ignore[no-untyped-def]
    from agent.os.runner import SubprocessRunner

    return SubprocessRunner() if _systemd_running(root) else None


def upstreams_before(root: Path, resolved: bool) -> list[str]:
    """The resolvers in use before we take over: the filter forwards to them. With systemd-resolved, its
    upstream list (run/systemd/resolve/resolv.conf), not its 127.0.0.53 stub."""
    candidates = [root / "run/systemd/resolve/resolv.conf"] if resolved else []
    candidates.append(root / "etc/resolv.conf")
    for path in candidates:
        if not path.is_file():
            continue
        found = []
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            parts = line.split()
            if len(parts) >= 2 and parts[0] == "nameserver":
                try:
                    address = ipaddress.ip_address(parts[1].split("%")[0])
                except ValueError:
                    continue
                if str(address) in ("127.0.0.1", "::1", "127.0.0.53"):
                    continue  # ourselves, or resolved's stub that would loop back to us
                found.append(f"[{address}]:53" if address.version == 6 else f"{address}:53")
        if found:
            return found
    return []


def _backend(root: Path):  # type: ignore[no-untyped-def]
    from agent.os import dns_settings as resolver

    if sys.platform == "win32":  # the installers import the browser policies themselves (.reg, profile)
        import os

        state = Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / "Sprout" / "resolver.json"
        return resolver.WindowsResolverBackend(state)
    if sys.platform == "darwin":
        return resolver.MacResolverBackend(Path("/Library/Application Support/Sprout/resolver.json"))
    return resolver.detect_linux_backend(root, _runner(root))


def install(root: Path) -> list[str]:
    from agent.os.browser_policies import write_linux_policies
    from agent.os.dns_settings import FILTER_V4, SystemdResolvedBackend

    backend = _backend(root)
    if not sys.platform.startswith("linux"):
        return [backend.apply().message]
    messages = []
    env = root / ENV_FILE
    # read the upstreams before our resolver replaces them; write the record after the resolver and the browser
    # policies, which note the folders they create so that removal takes away exactly those
    upstream = None if env.exists() else upstreams_before(root, isinstance(backend, SystemdResolvedBackend))
    messages.append(backend.apply((FILTER_V4,)).message)
    written = write_linux_policies(root)
    messages.append(f"browser policies: {len(written)} files")
    if upstream is not None:  # a reinstall keeps the record made before our resolver took over
        env.parent.mkdir(parents=True, exist_ok=True)
        args = " ".join(f"--upstream {shlex.quote(u)}" for u in upstream)
        env.write_text("# written by the Sprout package: the resolvers in use before Sprout\n"
                       f"SPROUT_AGENT_ARGS={args}\n", encoding="utf-8")
        env.chmod(0o644)
        messages.append(f"upstream: {', '.join(upstream) or 'none found (the filter will answer only from cache)'}")
    return messages


def remove(root: Path) -> list[str]:
    from agent.os.browser_policies import remove_linux_policies

    if not sys.platform.startswith("linux"):
        return [_backend(root).restore().message]
    # the reverse of install: each step removes the folders it made once they are empty
    (root / ENV_FILE).unlink(missing_ok=True)
    messages = [f"browser policies: {len(remove_linux_policies(root))} files restored or removed"]
    messages.append(_backend(root).restore().message)
    return messages


def allow_stop(root: Path) -> list[str]:
    if not _systemd_running(root):
        return ["stop allowed: systemd is not running here, nothing refuses a stop"]
    dropin = root / UNLOCK_DROPIN
    dropin.parent.mkdir(parents=True, exist_ok=True)  # under /run: gone at the next boot by design
    dropin.write_text("# lifted by `sprout-agent unlock` until the next boot\n[Unit]\nRefuseManualStop=no\n",
                      encoding="utf-8")
    import subprocess

    subprocess.run(["systemctl", "daemon-reload"], check=False, timeout=60)
    return [f"stop allowed until reboot ({dropin})"]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("system", help="(package scripts) set up or undo the system integration")
    p.add_argument("step", choices=("install", "remove", "first-start", "allow-stop"))
    p.add_argument("--root", type=Path, default=Path("/"), help="act on this tree instead of / (images, tests)")
    p.add_argument("--state", type=Path, default=Path("/var/lib/sprout"), help="first-start: the state folder")
    p.set_defaults(func=_cmd)


def _cmd(args: argparse.Namespace) -> int:
    from agent.oem import OemError, first_start
    from agent.os.browser_policies import BrowserPolicyError
    from agent.os.dns_settings import ResolverError

    try:
        if args.step == "install":
            messages = install(args.root)
        elif args.step == "remove":
            messages = remove(args.root)
        elif args.step == "allow-stop":
            messages = allow_stop(args.root)
        else:
            policy = first_start(args.state)
            messages = [f"first start: {policy or 'no oem.toml, built-in defaults'}"]
    except (ResolverError, BrowserPolicyError, OemError, OSError) as exc:
        raise CliError(f"system {args.step}: {exc}") from None
    for line in messages:
        print(f"sprout: {line}", file=sys.stderr)
    return 0
