"""Where system-wide Sprout files live on this OS (the device maker's oem.toml and its neighbours)."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path


def system_config_dir(platform: str | None = None, env: Mapping[str, str] | None = None) -> Path:
    """Windows: %PROGRAMDATA%\\Sprout; macOS: /Library/Application Support/Sprout; elsewhere /etc/sprout."""
    platform = platform or sys.platform
    env = os.environ if env is None else env
    if platform == "win32":
        return Path(env.get("PROGRAMDATA", r"C:\ProgramData")) / "Sprout"
    if platform == "darwin":
        return Path("/Library/Application Support/Sprout")
    return Path("/etc/sprout")
