"""A rogue console cannot keep its policy: paired during an open window, it pushes the schema's largest version (or
a huge step) with 24 hours a day; the parent unpairs it; what it set is withdrawn, the parent's last policy is in
force again, the parent is told, and the parent's next push is applied.

The real `sprout-agent run` (the fixture of tests/agent/test_agent_e2e.py), the real `sprout-console` for the parent and
for the rogue console, real crypto on loopback.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent.policy import preset
from tests.support.agent_process import BIN, CODE_RE, console, run, wait_for
from tests.support.agent_process import agent as agent  # the fixture: the real agent with its link

ALL_DAY = {d: 1440 for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


def pair(agent: dict, state: Path, name: str) -> str:
    code = CODE_RE.search(run(BIN / "sprout-agent", "pair", "--state", agent["state"], "--new").stdout).group(1)
    assert "Paired" in console(state, "--name", name, "pair", "--code", code, "--host", agent["host"]).stdout
    return console(state, "devices").stdout.split()[0]


def push(state: Path, device: str, doc: dict, tmp_path: Path, ok: bool = True):  # type: ignore[no-untyped-def]
    f = tmp_path / f"p{doc['version']}-{len(list(tmp_path.glob('p*.json')))}.json"
    f.write_text(json.dumps(doc))
    return console(state, "policy", "push", device, f, ok=ok)


def agent_version(agent: dict) -> int:
    out = run(BIN / "sprout-agent", "status", "--user-mode", "--state", agent["state"], "--json").stdout
    return int(json.loads(out)["policy_version"])


def console_id(agent: dict, name: str) -> str:
    for line in run(BIN / "sprout-agent", "pair", "--state", agent["state"], "--list").stdout.splitlines():
        ident, _, rest = line.partition("  ")
        if rest.startswith(name + "  "):
            return ident
    raise AssertionError(f"no console named {name}")


def rogue_link(state: Path, device: str):  # type: ignore[no-untyped-def]
    """The child's own console program: the real link client, but it chooses its versions itself."""
    from app.family import Family
    from app.link_client import DeviceLink

    fam = Family(state, name="")
    return DeviceLink(fam, fam.find_device(device)["device_id"])


def test_a_revoked_rogue_console_cannot_keep_its_policy(agent, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from app.link_client import LinkError

    mom, rogue = tmp_path / "mom", tmp_path / "rogue"
    device = pair(agent, mom, "mom")
    doc = preset(age=10, extra=["vn-decree-147"])
    assert "version 2 applied" in push(mom, device, doc, tmp_path).stdout  # the console numbers its pushes

    # The child pairs a console of its own while a code is open, and tries to make its policy permanent.
    rogue_device = pair(agent, rogue, "Bố mẹ")
    greedy = dict(doc, screen=dict(doc["screen"], daily_minutes=ALL_DAY))
    link = rogue_link(rogue, rogue_device)
    with pytest.raises(LinkError, match="jumps more than 1000"):
        link.push_policy(dict(greedy, version=2**53))
    assert link.push_policy(dict(greedy, version=1002)) == 1002
    assert agent_version(agent) == 1002

    # The parent unpairs it on the child's PC (or it unpairs itself): its policy goes with it.
    run(BIN / "sprout-agent", "pair", "--state", agent["state"], "--unpair", console_id(agent, "Bố mẹ"))
    wait_for(lambda: agent_version(agent) == 2, 15, "the parent's policy back in force")
    report = json.loads(console(mom, "report", device, "--json").stdout)
    withdrawn = [i["payload"] for i in report if i["kind"] == "alert" and i["payload"]["kind"] == "policy_withdrawn"]
    assert len(withdrawn) == 1 and withdrawn[0]["restored_version"] == 2 and withdrawn[0]["withdrawn"] == 1

    # The parent's next policy is newer than the one in force again.
    assert "version 3 applied" in push(mom, device, doc, tmp_path).stdout
    assert agent_version(agent) == 3


def test_withdrawing_the_only_console_that_set_a_policy_restores_the_family_preset(tmp_path: Path) -> None:
    from agent.assembly import ServiceOptions, build_core
    from agent.ledger.clock import SimulatedClock
    from agent.policy import PolicyError

    opts = ServiceOptions(state_dir=tmp_path / "state", user_mode=True)
    core = build_core(opts, clock=SimulatedClock(wall=1_795_000_000.0),
                      adapters={"processes": type("P", (), {"snapshot": lambda self: []})(), "closer": print})
    with pytest.raises(PolicyError, match="jumps more than 1000"):
        core.apply_policy(dict(preset(age=10), version=2**53), signer="rogue")
    core.apply_policy(dict(preset(age=10), version=40, screen={"daily_minutes": ALL_DAY}), signer="rogue")
    assert core.withdraw_console("someone-else", lambda s: True) is None  # set nothing: nothing changes
    changed = core.withdraw_console("rogue", lambda s: s != "rogue")
    assert changed == {"console": "rogue", "withdrawn": 1, "restored_version": 1, "restored_from": "family preset"}
    assert core.policy_doc["version"] == 1 and core.store.latest_policy() is None
    assert core.withdraw_console("rogue", lambda s: s != "rogue") is None  # once
    alerts = [o.payload for o in core.store.outbox_since(0, 100) if o.kind == "alert"]
    assert [a["kind"] for a in alerts] == ["policy_withdrawn"]
    core.apply_policy(dict(preset(age=10), version=2), signer="mom")  # the parent's next push is newer again
