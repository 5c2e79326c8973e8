"""Writing small files so that a crash leaves either the old content or the new, never half of either."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def atomic_write(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Write `data` to `path` with `mode` via a new temporary file (created with that mode, so it is never briefly
    readable by more people than the final file), fsync it, then rename it over `path`. A symlink at `path` is
    replaced itself, never written through (its target, e.g. systemd's stub resolv.conf, stays untouched)."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.sprout-tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)  # the umask may have narrowed it at creation
        if path.is_symlink():
            path.unlink()
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
