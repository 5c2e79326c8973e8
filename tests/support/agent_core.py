"""An agent core as the service assembles it (agent.assembly.build_core: real encrypted SQLite store, real ledger) in
a test's own folder, and a clock the test moves by hand."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agent.assembly import ServiceOptions, build_core


class Tick:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def core(tmp_path: Path, monkeypatch) -> Iterator:
    monkeypatch.setenv("SPROUT_OEM", str(tmp_path / "no-oem.toml"))
    opts = ServiceOptions(state_dir=tmp_path / "state", user_mode=True, key_file_fallback=True)
    core = build_core(opts)
    core.opts = opts
    yield core
    core.store.close()
