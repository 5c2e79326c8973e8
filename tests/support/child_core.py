"""The service core as it counts a real child account (service mode, the shipped catalog, a game policy), and a folder
that account can reach (`kid_space`): what the adversarial tests start from."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from agent.assembly import ServiceOptions, build_core, real_adapters
from agent.ledger.clock import ScaledClock
from agent.policy import load_policy_doc

KID = "sprout-kid-test"


def game_policy(path: Path) -> Path:
    doc = load_policy_doc({"version": 2, "games": {"daily_minutes": 30, "per_game_minutes": 2},
                           "warnings": {"minutes_before": [1]},
                           "at_limit": {"games": "close", "screen": "notify", "grace_seconds": 2}})
    path.write_text(json.dumps(doc))
    os.chmod(path, 0o644)
    return path


@pytest.fixture()
def kid_space() -> Iterator[Path]:
    """A folder the child's account can reach (pytest's own tmp root is 0700, closed to other accounts)."""
    base = Path(tempfile.mkdtemp(prefix="sprout-adv-"))
    os.chmod(base, 0o755)
    yield base
    shutil.rmtree(base, ignore_errors=True)


def service_core(tmp_path: Path, kid_uid: int, idle: object, *, idle_threshold_s: float = 300.0):  # type: ignore[no-untyped-def]
    opts = ServiceOptions(state_dir=tmp_path / "state", user_mode=False, child_uid=kid_uid,
                          policy_file=game_policy(tmp_path / "policy.json"), key_file_fallback=True, save_every_s=5,
                          idle_threshold_s=idle_threshold_s)
    adapters = real_adapters(False, kid_uid)
    adapters["foreground"] = None  # no window manager: count by what runs (the desktop cannot tell the foreground)
    adapters["session"] = None
    adapters["idle"] = idle
    return build_core(opts, clock=ScaledClock(60.0), adapters=adapters)
