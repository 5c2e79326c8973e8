"""Pick the adapters for this machine. Each backend module is imported only here and only when chosen, so the
Linux service never loads ctypes.WinDLL code and the Windows build never needs Xlib."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from agent.os.foreground import ForegroundSource, make_foreground_source
from agent.os.idle import IdleSource, make_idle_source
from agent.os.processes import ProcessSource, make_process_source
from agent.os.session import SessionControl, make_session_control


@dataclass
class Adapters:
    processes: ProcessSource
    foreground: ForegroundSource
    idle: IdleSource
    session: SessionControl


def make_adapters(*, platform: str | None = None, env: Mapping[str, str] | None = None,
                  child_uid: int | None = None, session_id: str | None = None) -> Adapters:
    """`child_uid`/`session_id` are set by the system service (it acts on the child's session); in user mode
    they stay None and the adapters act on the caller's own session."""
    env = os.environ if env is None else env
    if child_uid is None and session_id is None:
        session_id = env.get("XDG_SESSION_ID")  # user mode: our own session
    return Adapters(
        processes=make_process_source(platform),
        foreground=make_foreground_source(platform, env),
        idle=make_idle_source(platform, env, uid=child_uid),
        session=make_session_control(platform, session_id=session_id, uid=child_uid),
    )
