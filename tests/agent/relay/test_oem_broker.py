"""A device maker's broker from oem.toml: its address and CA reach the PC at first start, the maker's provisioning
issues only the account, and the pairing QR code carries the address."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from agent.oem import OemError, first_start, load_oem
from agent.protocol import relay
from agent.relay.broker import setup

BIN = Path(sys.executable).parent


def sh(*args: object) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=60)


def test_the_makers_broker_comes_from_oem_toml_and_shows_in_the_qr_code(tmp_path: Path) -> None:
    state = tmp_path / "state"
    agent_id = sh(BIN / "sprout-agent", "relay", "id", "--user-mode", "--state", state).stdout.strip()
    maker = tmp_path / "maker"
    setup(maker, hosts=["mqtt.maker.example"], family="unit-1", agents=[agent_id], consoles=[])
    (tmp_path / "relay-ca.pem").write_text((maker / "ca.crt").read_text())
    oem = tmp_path / "oem.toml"
    oem.write_text('[relay]\nbroker = "mqtt.maker.example:8883"\nca = "relay-ca.pem"\n')
    first_start(state, oem)
    kept = json.loads((state / "oem.json").read_text())
    assert kept["relay_broker"] == "mqtt.maker.example:8883" and "BEGIN CERTIFICATE" in kept["relay_ca"]

    # the maker's provisioning hands over the account only
    full = json.loads((maker / "bundles" / f"{agent_id}.json").read_text())
    account = tmp_path / "account.json"
    account.write_text(json.dumps({"username": full["username"], "password": full["password"]}))
    p = sh(BIN / "sprout-agent", "relay", "import", account, "--user-mode", "--state", state)
    assert p.returncode == 0, p.stderr
    saved = json.loads((state / "relay.json").read_text())
    assert saved["broker"] == "mqtt.maker.example:8883" and saved["ca"] == full["ca"]
    assert "password" not in saved
    shown = sh(BIN / "sprout-agent", "pair", "--qr", "--state", state).stdout
    uri = next(line for line in shown.splitlines() if line.startswith("sprout:pair?"))
    assert relay.parse_pair_uri(uri)["broker"] == "mqtt.maker.example:8883"
    assert relay.parse_pair_uri(uri)["id"] == agent_id

    # an account for another PC is refused, with where and why
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"username": "A" * 52, "password": "x"}))
    p = sh(BIN / "sprout-agent", "relay", "import", other, "--user-mode", "--state", state)
    assert p.returncode != 0 and "not this PC" in p.stderr and "Traceback" not in p.stderr


@pytest.mark.parametrize(("body", "message"), [
    ('[relay]\nbroker = "h:99999"\nca = "ca.pem"\n', "oem.toml: relay.broker:"),
    ('[relay]\nbroker = "h"\n', "oem.toml: relay.ca: relay needs both broker and ca"),
    ('[relay]\nbroker = "h"\nca = "missing.pem"\n', "oem.toml: relay.ca: cannot read"),
    ('[relay]\nbroker = "h"\nca = "ca.pem"\nport = 1\n', "oem.toml: relay.port: unknown key"),
])
def test_a_wrong_relay_section_is_one_clear_line(tmp_path: Path, body: str, message: str) -> None:
    (tmp_path / "ca.pem").write_text("not a certificate")
    oem = tmp_path / "oem.toml"
    oem.write_text(body)
    with pytest.raises(OemError) as exc:
        load_oem(oem)
    assert str(exc.value).startswith(message), str(exc.value)
