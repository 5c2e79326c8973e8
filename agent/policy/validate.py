"""Validation: every problem in a policy, each with its field path and a reason a parent can act on.

The rules are declared on the typed models (agent/policy/doc.py, built from agent/policy/fields.py); this module
keeps the names other modules import."""

from __future__ import annotations

from collections.abc import Set
from typing import Any

from agent.policy.doc import PolicyDoc
from agent.policy.errors import PolicyError, Problem
from agent.policy.fields import Context, check, hhmm_to_minutes

__all__ = ["PolicyError", "Problem", "hhmm_to_minutes", "validate"]


def validate(policy: Any, *, known_categories: Set[str] | None = None) -> list[Problem]:
    """Return every problem in a complete (current-schema) policy; an empty list means it is valid."""
    return check(PolicyDoc, policy, "", Context(known_categories=known_categories))
