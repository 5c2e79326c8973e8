"""The four inputs of the one filter setup (agent/dns/filter_setup.py): shipped lists, a signed update (which adds
to them), imported lists, and the policy; the agent, `dns` and `classify` get the same index from the same inputs."""

from __future__ import annotations

import argparse
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from agent.cli import main
from agent.dns.cli_classify import build_classifier
from agent.dns.filter_setup import FilterSources, build_filter, open_category_index
from agent.dns.listupdate import FolderSource, ListUpdater
from agent.policy import preset
from tests.support.list_updates import publish


def _oem(tmp_path: Path, monkeypatch, key: Ed25519PrivateKey) -> Path:
    import base64

    pub = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    toml = tmp_path / "oem.toml"
    toml.write_text(f'[lists]\nsource = "{tmp_path / "source"}"\npublic_key = "{base64.b64encode(pub).decode()}"\n')
    monkeypatch.setenv("SPROUT_OEM", str(toml))
    return tmp_path / "source"


def test_a_signed_update_adds_to_the_shipped_lists_and_never_replaces_them(tmp_path, monkeypatch) -> None:
    key = Ed25519PrivateKey.generate()
    source = _oem(tmp_path, monkeypatch, key)
    state = tmp_path / "state"
    state.mkdir()
    publish(source, key, 2, {"gambling": "nhacai-moi-2026.vn\n"})
    ListUpdater(state, key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)).update(FolderSource(source))
    index = open_category_index(FilterSources.for_state(state))
    assert index.lookup("nhacai-moi-2026.vn") == "gambling"
    assert index.lookup("dns.google") == "bypass"  # shipped, and not in the update: still in force
    assert index.lookup("phncdn.com") == "adult"


def test_imported_lists_join_the_shipped_ones(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SPROUT_OEM", str(tmp_path / "none.toml"))
    state = tmp_path / "state"
    listed = tmp_path / "mine.txt"
    listed.write_text("my-own-block.example\n")
    assert main(["lists", "import", "--quiet", "--format", "domains", "--category", "adult",
                 "--state", str(state / "lists"), str(listed)]) == 0
    clf = build_filter(preset(12)["web"], open_category_index(FilterSources.for_state(state)))
    assert clf.classify("my-own-block.example").verdict == "block"
    assert clf.classify("tinder.com").verdict == "block"


def test_the_cli_and_the_agent_build_the_same_classifier(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SPROUT_OEM", str(tmp_path / "none.toml"))
    args = argparse.Namespace(policy=None, all_categories=False, index=None, lists=None, agent_state=None)
    cli = build_classifier(args)
    agent = build_filter(cli.rules, open_category_index(FilterSources.for_state(tmp_path / "state")))
    for name in ("tinder.com", "dns.google", "pornhub.com", "wikipedia.org", "www.google.com", "casino.com",
                 "use-application-dns.net", "nordvpn.com"):
        assert cli.classify(name) == agent.classify(name), name
