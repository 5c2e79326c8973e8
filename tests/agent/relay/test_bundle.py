"""A credential bundle from `sprout-relay setup`, as a device imports it: checked field by field, and the broker's
WebSockets address (for the parent's phone app) kept so the console can put it in a phone's link QR code."""

from __future__ import annotations

import pytest

from agent.protocol import relay

CA = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
BUNDLE = {"broker": "relay.example.net:8883", "ca": CA, "username": "A" * 52, "password": "pw", "family": "nguyen"}


def test_the_websockets_address_is_kept_and_written_back_for_the_console() -> None:
    s = relay.parse_bundle({**BUNDLE, "ws": "wss://relay.example.net:8884/mqtt"}, "mom.json")
    assert s.ws == "wss://relay.example.net:8884/mqtt"
    assert s.public_json()["ws"] == s.ws and "password" not in s.public_json()
    assert "ws" not in relay.parse_bundle(BUNDLE, "mom.json").public_json()  # a broker without that listener


@pytest.mark.parametrize("bad", ["https://relay.example.net/mqtt", 8884, "relay.example.net:8884"])
def test_a_bad_websockets_address_is_named(bad: object) -> None:
    with pytest.raises(relay.RelayError) as exc:
        relay.parse_bundle({**BUNDLE, "ws": bad}, "mom.json")
    assert exc.value.code == "bad_bundle" and exc.value.reason == "mom.json: ws: not a ws:// or wss:// address"


def test_missing_fields_are_named_together() -> None:
    with pytest.raises(relay.RelayError) as exc:
        relay.parse_bundle({"broker": "h:1", "ca": CA}, "x.json")
    assert exc.value.reason == "x.json: username: missing or not text; password: missing or not text"
