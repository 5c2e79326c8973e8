"""app.discovery: the console's one zeroconf browser (command line and wizard) finds a real advertisement."""

from __future__ import annotations

from agent.link.advertise import SERVICE_TYPE as ADVERTISED
from agent.link.advertise import Advertiser, service_info
from agent.protocol.identity import Identity
from app.discovery import SERVICE_TYPE, browse


def test_the_browser_looks_for_what_the_agent_advertises():
    assert SERVICE_TYPE == ADVERTISED


def test_an_agent_advertised_on_loopback_is_found_with_its_address_and_id():
    ident = Identity.generate("An PC")
    adv = Advertiser(service_info(ident.device_id, "An PC", "127.0.0.1", 47998), interfaces=["127.0.0.1"])
    try:
        # Other agents may advertise on this machine too: wait for, and keep, only the one this test started.
        def mine(found):
            return [a for a in found if a.device_id == ident.device_id]

        found = mine(browse(10.0, enough=lambda f: bool(mine(f)), interfaces=["127.0.0.1"]))
    finally:
        adv.stop()
    assert len(found) == 1
    assert found[0].address == "127.0.0.1:47998" and found[0].name.startswith("An PC ")
