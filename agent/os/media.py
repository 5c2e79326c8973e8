"""Is a video or music playing? Watching needs no keyboard or mouse, so while media plays, input idleness does not
pause screen time (locked and asleep are still never charged: the ledger decides that).

Two signals, either is enough:
- **MPRIS** (Linux desktops): a media player or browser tab on the child's session bus says PlaybackStatus
  "Playing". Read on a thread of its own every few seconds (a player that never answers cannot slow the tick), the
  tick reads the last answer.
- **The sound card is playing** (ALSA: a playback substream in state RUNNING under /proc/asound, readable by any
  account; sound servers close the device when nothing plays) **and** a catalogued media player or a browser runs.

Only ever a reason to count more: a child faking "Playing" gains nothing. Other OSes: not wired yet (None).
"""

from __future__ import annotations

import contextlib
import glob
import logging
import os
import socket
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any

log = logging.getLogger(__name__)

MPRIS_PREFIX = "org.mpris.MediaPlayer2."
MPRIS_PATH = "/org/mpris/MediaPlayer2"
MPRIS_PLAYER = "org.mpris.MediaPlayer2.Player"
POLL_S = 3.0
CALL_TIMEOUT_S = 0.5
MAX_PLAYERS = 8
RETRY_S = 30.0


class AlsaPlayback:
    def __init__(self, root: str = "/proc/asound") -> None:
        self.root = root

    def playing(self) -> bool | None:
        """True when a playback substream runs; None where there is no ALSA (no sound card, not Linux)."""
        if not os.path.isdir(self.root):
            return None
        for status in glob.glob(os.path.join(self.root, "card*", "pcm*p", "sub*", "status")):
            try:
                with open(status, encoding="ascii", errors="replace") as f:
                    if f.readline().split(":", 1)[-1].strip().upper() == "RUNNING":
                        return True
            except OSError:
                continue
        return False


# Run as the child: connect to the bus socket and hand the connected socket back (SCM_RIGHTS). The kernel records the
# child's credentials at connect(), so the bus accepts the connection as the child's own; nothing else is run as the
# child, and the helper exits at once.
_CONNECT_AS = (
    "import socket, sys\n"
    "back = socket.socket(fileno=int(sys.argv[2]))\n"
    "s = socket.socket(socket.AF_UNIX)\n"
    "s.settimeout(2)\n"
    "s.connect(sys.argv[1])\n"
    "socket.send_fds(back, [b'k'], [s.fileno()])\n"
)


def _connect_as(path: str, uid: int, gid: int) -> socket.socket:
    import subprocess
    import sys

    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        proc = None
        # the service's own interpreter may lie where the child cannot run it (a private venv): any python will do,
        # the helper uses the standard library only
        for python in dict.fromkeys((sys.executable, getattr(sys, "_base_executable", ""), "/usr/bin/python3")):
            try:
                proc = subprocess.Popen([python, "-S", "-c", _CONNECT_AS, path, str(theirs.fileno())],
                                        pass_fds=(theirs.fileno(),), user=uid, group=gid, extra_groups=[],
                                        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE, env={"PATH": "/usr/bin:/bin"})
                break
            except (PermissionError, FileNotFoundError):
                continue
        if proc is None:
            raise ConnectionError("no python the child's account may run, to reach its session bus")
        theirs.close()
        ours.settimeout(5)
        _msg, fds, _flags, _addr = socket.recv_fds(ours, 1, 1)
        _out, err = proc.communicate(timeout=5)
        if not fds:
            raise ConnectionError(f"could not connect to {path} as uid {uid}: {err.decode(errors='replace')[-200:]}")
        return socket.socket(fileno=fds[0])
    finally:
        ours.close()


def _open_as(address: str, uid: int, gid: int) -> Any:
    """A jeepney connection to the session bus at `address` that the bus sees as the child's (uid)."""
    from jeepney.io.blocking import DBusConnection

    if not address.startswith("unix:path="):
        raise ConnectionError(f"only unix:path= buses can be reached as the child, not {address[:60]}")
    path = address[len("unix:path="):].split(",", 1)[0]
    sock = _connect_as(path, uid, gid)
    try:
        sock.settimeout(2)
        # the D-Bus SASL exchange (EXTERNAL: the uid the kernel already vouches for), as jeepney does it
        sock.sendall(b"\0AUTH EXTERNAL " + str(uid).encode().hex().encode() + b"\r\n")
        reply = sock.recv(512)
        if not reply.startswith(b"OK "):
            raise ConnectionError(f"the bus refused the child's credentials: {reply[:80]!r}")
        sock.sendall(b"BEGIN\r\n")
        sock.settimeout(None)
        return DBusConnection(sock)
    except BaseException:
        sock.close()
        raise


class MprisWatch:
    """Polls the session bus at `address` on its own thread; `playing()` is the last answer (None: unknown).
    As the system service, pass the child's `as_uid`/`as_gid`: a session bus only accepts its own user."""

    def __init__(self, address: str, *, poll_s: float = POLL_S, as_uid: int | None = None,
                 as_gid: int | None = None) -> None:
        self.address = address
        self.poll_s = poll_s
        self.as_uid = as_uid if as_uid is not None and as_uid != _euid() else None
        self.as_gid = as_gid
        self._state: bool | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sprout-mpris", daemon=True)
        self._said_down = False
        self._thread.start()

    def playing(self) -> bool | None:
        return self._state

    def close(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        conn: Any = None
        while not self._stop.is_set():
            try:
                if conn is None:
                    path = self.address[len("unix:path="):].split(",", 1)[0] if self.address.startswith(
                        "unix:path=") else None
                    if path is not None and not os.path.exists(path):  # the child is not logged in: look later
                        self._state = None
                        self._stop.wait(self.poll_s)
                        continue
                    conn = self._open()
                self._state = self._ask(conn)
                self._said_down = False
            except Exception as exc:  # no bus (logged out), refused, a player gone mid-call: unknown, try again
                if not self._said_down:
                    log.info("media status unknown (session bus %s: %s)", self.address, exc)
                    self._said_down = True
                self._state = None
                if conn is not None:
                    with contextlib.suppress(Exception):
                        conn.close()
                    conn = None
                self._stop.wait(RETRY_S)  # a refused or broken bus: do not start a helper every poll
                continue
            self._stop.wait(self.poll_s)
        if conn is not None:
            conn.close()

    def _open(self) -> Any:
        if self.as_uid is not None:
            return _open_as(self.address, self.as_uid, self.as_gid if self.as_gid is not None else self.as_uid)
        from jeepney.io.blocking import open_dbus_connection

        return open_dbus_connection(bus=self.address, auth_timeout=2.0)

    @staticmethod
    def _ask(conn: Any) -> bool:
        from jeepney import DBusAddress, Properties
        from jeepney.bus_messages import message_bus

        names = conn.send_and_get_reply(message_bus.ListNames(), timeout=CALL_TIMEOUT_S).body[0]
        players = [n for n in names if isinstance(n, str) and n.startswith(MPRIS_PREFIX)][:MAX_PLAYERS]
        for name in players:
            addr = DBusAddress(MPRIS_PATH, bus_name=name, interface=MPRIS_PLAYER)
            try:
                reply = conn.send_and_get_reply(Properties(addr).get("PlaybackStatus"), timeout=CALL_TIMEOUT_S)
            except Exception:  # one player that does not answer says nothing about the others
                continue
            body = reply.body[0] if reply.body else None
            value = body[1] if isinstance(body, tuple) and len(body) == 2 else body
            if value == "Playing":
                return True
        return False


class MediaSignals:
    """What the sampler asks when input is idle: is media playing for the child?"""

    def __init__(self, *, mpris: MprisWatch | None, alsa: AlsaPlayback | None,
                 media_apps: Iterable[str] = ()) -> None:
        self.mpris = mpris
        self.alsa = alsa
        self.media_apps = frozenset(media_apps)

    def playing(self, running: Sequence[Any]) -> bool:
        if self.mpris is not None and self.mpris.playing():
            return True
        if self.alsa is None:
            return False
        player = any(getattr(r, "kind", "") == "browser" or getattr(r, "id", "") in self.media_apps
                     for r in running)
        return bool(player and self.alsa.playing())

    def close(self) -> None:
        if self.mpris is not None:
            self.mpris.close()


def _euid() -> int | None:
    return os.geteuid() if hasattr(os, "geteuid") else None


def session_bus_address(*, user_mode: bool, child_uid: int | None, env: dict[str, str] | None = None,
                        runtime: Callable[[int], str] = lambda uid: f"/run/user/{uid}/bus") -> str | None:
    """The child's session bus: ours in user mode (DBUS_SESSION_BUS_ADDRESS), else the child's /run/user socket."""
    env = dict(os.environ) if env is None else env
    if user_mode:
        return env.get("DBUS_SESSION_BUS_ADDRESS") or None
    if child_uid is None:
        return None
    return f"unix:path={runtime(child_uid)}"  # watched until the child logs in (MprisWatch waits for it)


def make_media_source(*, user_mode: bool, child_uid: int | None, media_apps: Iterable[str],
                      platform: str | None = None) -> MediaSignals | None:
    import sys

    if not (platform or sys.platform).startswith("linux"):
        return None
    address = session_bus_address(user_mode=user_mode, child_uid=child_uid)
    mpris = None
    if address:
        try:
            import jeepney  # noqa: F401
        except ImportError:
            log.info("jeepney missing: MPRIS media status off")
        else:
            gid = None
            if not user_mode and child_uid is not None:
                import pwd

                try:
                    gid = pwd.getpwuid(child_uid).pw_gid
                except KeyError:
                    gid = None
            mpris = MprisWatch(address, as_uid=None if user_mode else child_uid, as_gid=gid)
    return MediaSignals(mpris=mpris, alsa=AlsaPlayback(), media_apps=media_apps)

