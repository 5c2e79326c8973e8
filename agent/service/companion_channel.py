"""Open the local channel the child's companion talks to: the running core answers it, and only the child's own
OS user (checked on the socket itself) may connect."""

from __future__ import annotations

import logging
import os
from typing import Any

from agent.service.core import AgentCore
from agent.service.local_ipc import start_local_channel

log = logging.getLogger(__name__)


def start_companion_channel(core: AgentCore, opts: Any) -> Any:
    child = opts.child_uid if opts.child_uid is not None else os.geteuid()
    server = start_local_channel(core, opts.socket_path, allowed_uids={child})
    log.info("companion channel on %s for uid %s", opts.socket_path, child)
    return server.stop
