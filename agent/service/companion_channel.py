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
    if getattr(core, "awaiting_child", False):
        # No child account yet: whoever logs in (a person's account, never a system one) sees the pairing code
        # and the kind words, so the family is greeted at first boot.
        from agent.service.child_account import is_person

        server = start_local_channel(core, opts.socket_path, allowed_uids=set(), admit=is_person)
        log.info("companion channel on %s for every person's account until the child's is chosen",
                 opts.socket_path)
        return server.stop
    child = opts.child_uid if opts.child_uid is not None else os.geteuid()
    server = start_local_channel(core, opts.socket_path, allowed_uids={child})
    log.info("companion channel on %s for uid %s", opts.socket_path, child)
    return server.stop
