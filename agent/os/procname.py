"""A pid's executable name via psutil, None if it is gone or hidden."""

from __future__ import annotations

import psutil


def process_name(pid: int) -> str | None:
    try:
        return psutil.Process(pid).name()
    except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
        return None
