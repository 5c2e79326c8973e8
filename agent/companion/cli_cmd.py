"""`sprout-agent companion [--socket PATH] [--lang vi|en]`: the child's companion in the desktop session."""

from __future__ import annotations

import argparse
import os
import stat
from pathlib import Path

from agent.errors import CliError
from agent.os.local_channel import local_transport

SYSTEM_SOCKET = Path("/run/sprout/companion.sock")


def default_socket() -> Path:
    """Where `sprout-agent run` puts the socket: SPROUT_COMPANION_SOCKET if set, else the system service's, else
    the --user-mode service's (STATE/companion.sock with STATE the user data folder)."""
    env = os.environ.get("SPROUT_COMPANION_SOCKET")
    if env:
        return Path(env)
    if SYSTEM_SOCKET.exists():
        return SYSTEM_SOCKET
    import platformdirs

    return Path(platformdirs.user_data_dir("sprout-agent", appauthor=False)) / "companion.sock"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("companion", help="show the child's companion (tray icon, notices, ask for more time)")
    p.add_argument("--socket", type=Path, help="the service's local socket (default: where `sprout-agent run` "
                                               "puts it; or SPROUT_COMPANION_SOCKET)")
    p.add_argument("--lang", choices=("vi", "en"), help="language (default: the one the service says)")
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    path: Path = args.socket or default_socket()
    if os.path.lexists(path) and not stat.S_ISSOCK(os.lstat(path).st_mode):
        raise CliError(f"--socket: {path}: exists but is not a socket (is this the service's socket path?)")
    if len(str(path).encode()) > 100:
        raise CliError(f"--socket: {path}: path too long for a Unix socket (keep it under 100 bytes)")
    if local_transport() == "named_pipe":  # agent/os/local_channel.py: Windows
        raise CliError("companion: Windows: the named-pipe client is not built yet; see docs/child-guide.md")
    try:
        from agent.companion.app import run_companion  # Qt only when the companion really starts
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] not in ("PySide6", "shiboken6"):
            raise
        raise CliError("companion: the Qt windows are not installed here (an agent-only install); "
                       "install them with: pip install 'sprout-parental[gui]'") from None

    # A missing socket is fine: the service may start after the session; the companion waits and reconnects.
    return run_companion(path, lang=args.lang)
