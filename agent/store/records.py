"""What the store hands back: decrypted rows, problem reports, and its errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class StoreError(Exception):
    """The store cannot do what was asked; the message names the file and the reason."""


class StoreKeyError(StoreError):
    """The key does not open this database. The file is left exactly as it was."""


@dataclass(frozen=True)
class Event:
    id: int
    kind: str
    day: str
    at: float
    payload: Any


@dataclass(frozen=True)
class PolicyRecord:
    id: int
    version: int
    blob: bytes
    signer: str | None
    at: float


@dataclass(frozen=True)
class OutboxItem:
    seq: int
    kind: str
    payload: Any
    at: float
    day: str


@dataclass(frozen=True)
class CorruptionReport:
    """A damaged database (moved_to says where it was kept) or one damaged row (table and row_id say which)."""

    what: str
    where: Path
    moved_to: Path | None = None
    table: str | None = None
    row_id: int | str | None = None
    extra_files: tuple[Path, ...] = field(default=())

    def __str__(self) -> str:
        if self.table is not None:
            return f"{self.where}: table {self.table}, row {self.row_id}: {self.what}"
        kept = f"; kept as {self.moved_to}" if self.moved_to else ""
        return f"{self.where}: {self.what}{kept}; a new empty database was started"
