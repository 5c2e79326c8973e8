"""The console's own logic: one console keeping several children's devices, its sealed family store, its vault."""

from __future__ import annotations

import os

from agent.link.backend import StoreBackend
from agent.link.handler import LinkService
from agent.link.server import LinkServer
from agent.link.state import LinkState
from agent.protocol.identity import Identity
from app.cli import main
from app.family import Family
from app.link_client import DeviceLink, pair


def _agent(tmp_path, name):
    from agent.store.db import EncryptedStore

    store = EncryptedStore.open(tmp_path / f"{name}.db", os.urandom(32))
    state = LinkState(tmp_path / f"{name}-link.sqlite")
    server = LinkServer(LinkService(Identity.generate(name), state, StoreBackend(store))).start()
    return store, state, server, "{}:{}".format(*server.address)


def test_one_console_many_devices(tmp_path, capsys):
    agents = [_agent(tmp_path, n) for n in ("An-PC", "Binh-laptop")]
    fam = Family(tmp_path / "console", name="mom", use_keyring=False)
    try:
        ids = [pair(fam, host, state.open_pairing()[0]).device_id for _, state, _, host in agents]
        assert {d["name"] for d in fam.devices()} == {"An-PC", "Binh-laptop"}
        for (store, *_), i in zip(agents, range(2), strict=True):
            store.outbox_put("time_request", {"id": f"r{i}", "minutes": 10, "scope": "screen", "reason": "x"})
        for device_id in ids:
            DeviceLink(fam, device_id).fetch()
        assert sorted(r["payload"]["id"] for r in fam.open_requests()) == ["r0", "r1"]
        assert fam.find_device("An-PC")["device_id"] == ids[0]
        assert fam.find_device(fam.devices()[1]["display_id"][:8])["device_id"] == ids[1]
    finally:
        fam.close()
        for _, state, server, _ in agents:
            server.stop()
            state.close()
    # the CLI sees both (same state folder, a new process would too)
    assert main(["--state", str(tmp_path / "console"), "--lang", "vi", "devices"]) == 0
    out = capsys.readouterr().out
    assert "An-PC" in out and "Binh-laptop" in out


def test_family_keys_stay_in_vault_and_rows_are_sealed(tmp_path):
    fam = Family(tmp_path / "c", name="mom", use_keyring=False)
    ident_id = fam.identity.device_id
    fam.close()
    key_dir = tmp_path / "c" / "keys"
    assert sorted(p.name for p in key_dir.iterdir()) == ["family-key.key", "link-identity.key"]  # the shared vault's files
    assert all(oct(p.stat().st_mode & 0o777) == "0o600" for p in key_dir.iterdir())
    again = Family(tmp_path / "c", use_keyring=False)
    assert again.identity.device_id == ident_id  # same identity after a restart
    again.close()


def test_cli_usage_errors_exit_2_without_traceback(tmp_path, capsys):
    state = str(tmp_path / "c")
    assert main(["--state", state, "grant", "nope", "0"]) == 2
    assert "MINUTES: 0" in capsys.readouterr().err
    assert main(["--state", state, "report", "x", "--day", "2026-13-01"]) == 2
    assert "--day: 2026-13-01: expected a date" in capsys.readouterr().err
    assert main(["--state", state, "unpair", "ghost"]) == 2
    assert "no paired device" in capsys.readouterr().err
    assert main(["--state", state]) == 2
