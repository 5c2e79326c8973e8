"""The service core for the consent tests (`make`): a simulated clock, scripted processes, the real store, a child's age."""

from __future__ import annotations

import datetime as dt
import os

from agent.ledger.apps import AppClassifier
from agent.ledger.clock import SimulatedClock
from agent.policy import load_policy_doc
from agent.service.core import AgentCore
from agent.service.enforcer import Enforcer
from agent.service.sampler import Sampler
from agent.store import EncryptedStore
from tests.support.scripted_processes import RecordingCloser, ScriptedProcesses

KEY = bytes(range(32))


def make(tmp_path, birth_year: int = 2014, privacy: dict | None = None, start: str = "2026-12-01T23:00:00+07:00"):
    clock = SimulatedClock(dt.datetime.fromisoformat(start).timestamp())
    procs = ScriptedProcesses()
    sampler = Sampler(clock=clock, processes=procs, foreground=None, idle=None, classifier=AppClassifier(),
                      child_uid=os.getuid())
    enforcer = Enforcer(closer=RecordingCloser(procs), session=None, child_uid=os.getuid(), grace_s=0)
    store = EncryptedStore.open(tmp_path / "agent.db", KEY)
    policy = {"version": 2, "child": {"name": "An", "birth_year": birth_year},
              "games": {"daily_minutes": 30, "per_game_minutes": 30},
              "privacy": privacy or {"report_apps": True, "report_window_titles": False, "report_full_urls": False,
                                     "report_web_categories": True, "retention_days": 30}}
    core = AgentCore(policy_doc=load_policy_doc(policy), clock=clock, sampler=sampler, enforcer=enforcer,
                     store=store, monotonic=lambda: clock.now().mono)
    return core, clock, procs
