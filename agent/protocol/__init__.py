"""The wire contract between the parent console and the agent: identities, device IDs, pairing, envelopes, messages.

Both sides import only this package (and agent.policy); nothing here touches the network, a database or Qt.
"""

from agent.protocol.errors import ProtocolError

__all__ = ["ProtocolError"]
