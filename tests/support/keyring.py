"""`InMemoryKeyringForTests`: a keyring backend that keeps secrets in memory, named so (the real Secret Service is tried where there is one)."""

from __future__ import annotations


class InMemoryKeyringForTests:
    """Test double standing in for an OS keyring backend: a dict behind KeyringBackend's three methods.

    Deliberately not a KeyringBackend subclass: keyring registers every subclass, and it could then become
    the default keyring of other tests in this session.
    """

    def __init__(self) -> None:
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.items.get((service, username))

    def set_password(self, service, username, password):
        self.items[(service, username)] = password

    def delete_password(self, service, username):
        self.items.pop((service, username), None)
