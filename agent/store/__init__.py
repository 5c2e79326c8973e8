"""The agent's encrypted store (db.py) and key custody (keys.py). See docs/store.md."""

from agent.store.db import EncryptedStore
from agent.store.keys import KeyCustodyError, SecretVault
from agent.store.records import CorruptionReport, Event, OutboxItem, PolicyRecord, StoreError, StoreKeyError

__all__ = [
    "CorruptionReport",
    "EncryptedStore",
    "Event",
    "KeyCustodyError",
    "OutboxItem",
    "PolicyRecord",
    "SecretVault",
    "StoreError",
    "StoreKeyError",
]
