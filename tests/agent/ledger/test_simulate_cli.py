"""`sprout-agent simulate` end to end, with the shipped catalog, as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
CLI = [sys.executable, "-m", "agent.cli", "simulate"]


def sim(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, str(path)], capture_output=True, text=True, timeout=120)


def test_example_school_day():
    # docs/examples/school-day.json, worked out by hand:
    # 14:00–14:45 Zoom (always allowed: no screen time); 14:45–15:15 desktop (screen 30);
    # 15:15 Minecraft: the game hits 60 min at 16:15 → closed; screen 90 then; 10 min desktop → screen 100;
    # 16:25–16:45 idle; 1 h asleep; 17:45–18:15 desktop: screen 120 at 18:05 → locked, 10 min locked;
    # +15 min granted; 18:15–18:45: 15 more minutes, locked at 18:30.
    res = sim(ROOT / "docs" / "examples" / "school-day.json")
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    day = out["days"]["2026-12-01"]
    assert day["screen_s"] == 135 * 60
    assert day["games_s"] == 3600 and day["per_game_s"] == {"minecraft": 3600}
    assert day["per_app_s"]["zoom"] == 45 * 60
    closes = [(e["at"], e["target"]) for e in out["events"] if e["kind"] == "close"]
    assert closes == [("2026-12-01T16:15:00+07:00", "minecraft")]
    locks = [e["at"] for e in out["events"] if e["kind"] == "lock"]
    assert locks == ["2026-12-01T18:05:00+07:00", "2026-12-01T18:30:00+07:00"]
    reminders = [e["at"] for e in out["events"] if e["kind"] == "remind"]
    assert reminders == ["2026-12-01T15:45:00+07:00", "2026-12-01T16:15:00+07:00"]


def test_bad_files_give_one_clear_line(tmp_path):
    cases = {
        "notjson.json": ("{", "line 1 column 2"),
        "badstep.json": (json.dumps({"policy": {}, "start": "2026-12-01T08:00:00+07:00", "steps": [{"for": "x"}]}),
                         "steps[0].for: must be a duration"),
        "badpolicy.json": (json.dumps({"policy": {"web": {"youtube": "max"}}, "start": "2026-12-01T08:00:00+07:00",
                                       "steps": []}), "policy.web.youtube"),
    }
    for name, (text, message) in cases.items():
        path = tmp_path / name
        path.write_text(text)
        res = sim(path)
        assert res.returncode == 2, (name, res.stderr)
        assert message in res.stderr and "Traceback" not in res.stderr
        assert res.stderr.count("\n") == 1
    res = sim(tmp_path / "missing.json")
    assert res.returncode == 2 and "cannot read" in res.stderr
