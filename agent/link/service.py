"""Compatibility only: the link's request handling moved to agent/link/handler.py (this name sat beside the
agent/service/ package). Kept while agent/relay/bridge.py, on another engineer's branch, still imports it from here;
new code imports agent.link.handler."""

from agent.link.handler import LinkService

__all__ = ["LinkService"]
