"""Several processes answering on one port (`sprout-agent dns --workers`): SO_REUSEPORT, which Linux and the BSDs
have and Windows does not; there the filter runs as one process."""

from __future__ import annotations

import socket


def can_share_port() -> bool:
    return hasattr(socket, "SO_REUSEPORT")
