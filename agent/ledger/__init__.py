"""The time ledger: pure accounting of screen, app and game time, and the decisions that follow from it."""

from agent.ledger.clock import Clock, Instant, SimulatedClock, SystemClock
from agent.ledger.ledger import DayTotals, Ledger, LedgerDecision
from agent.ledger.sample import AppRef, Sample

__all__ = ["AppRef", "Clock", "DayTotals", "Instant", "Ledger", "LedgerDecision", "Sample", "SimulatedClock",
           "SystemClock"]
