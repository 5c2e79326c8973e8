"""A signed category-list update reaches the agent's web filter; a tampered one never does."""

from __future__ import annotations

import base64
from types import SimpleNamespace

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from agent.dns.listupdate import FolderSource, ListUpdater
from agent.service.web_filter import _index
from tests.support.list_updates import publish


@pytest.fixture
def oem(tmp_path, monkeypatch):
    key = Ed25519PrivateKey.generate()
    pub = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    source = tmp_path / "source"
    toml = tmp_path / "oem.toml"
    toml.write_text(f'[lists]\nsource = "{source}"\npublic_key = "{base64.b64encode(pub).decode()}"\n')
    monkeypatch.setenv("SPROUT_OEM", str(toml))
    return key, pub, source


def test_the_filter_uses_a_verified_update(tmp_path, oem):
    key, pub, source = oem
    state = tmp_path / "state"
    state.mkdir()
    publish(source, key, 2, {"gambling": "nhacai-moi-2026.vn\n", "adult": "example-adult-site.com\n"})
    ListUpdater(state, pub).update(FolderSource(source))
    index = _index(SimpleNamespace(state_dir=state))
    assert index.lookup("www.nhacai-moi-2026.vn") == "gambling"
    assert index.lookup("wikipedia.org") is None


def test_a_tampered_installed_set_rolls_back_to_the_previous_good_one(tmp_path, oem):
    key, pub, source = oem
    state = tmp_path / "state"
    state.mkdir()
    updater = ListUpdater(state, pub)
    publish(source, key, 2, {"gambling": "nhacai-cu.vn\n"})
    updater.update(FolderSource(source))
    publish(source, key, 3, {"gambling": "nhacai-moi-2026.vn\n"})
    updater.update(FolderSource(source))
    # Someone edits the installed v3 on disk: it no longer matches its signed manifest.
    (updater.active_root() / "gambling" / "domains").write_text("nhacai-moi-2026.vn\nwikipedia.org\n")
    index = _index(SimpleNamespace(state_dir=state))
    assert index.lookup("wikipedia.org") is None  # the edit is never used
    assert index.lookup("nhacai-cu.vn") == "gambling"  # the previous signed set is back in force
