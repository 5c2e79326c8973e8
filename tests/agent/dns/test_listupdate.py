"""Signed category-list updates from a local folder: verify, switch atomically, refuse and roll back."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from agent.dns.liststore import ListStore
from agent.dns.listupdate import FolderSource, ListUpdateError, ListUpdater

REPO = Path(__file__).resolve().parents[3]


def publish(folder: Path, key: Ed25519PrivateKey, version: int, lists: dict[str, str],
            lie: dict[str, str] | None = None) -> Path:
    """Write a source folder as a list maintainer would; `lie` swaps a file after signing."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    for category, text in lists.items():
        data = text.encode()
        (folder / f"{category}.txt").write_bytes(data)
        files[category] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    manifest = json.dumps({"format": 1, "version": version, "files": files}).encode()
    (folder / "manifest.json").write_bytes(manifest)
    (folder / "manifest.json.sig").write_text(base64.b64encode(key.sign(manifest)).decode())
    for category, text in (lie or {}).items():
        (folder / f"{category}.txt").write_text(text)
    return folder


@pytest.fixture
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def pub(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def test_update_installs_a_set_the_list_store_reads(tmp_path: Path, key: Ed25519PrivateKey) -> None:
    src = publish(tmp_path / "src1", key, 1, {"gambling": "# comment\nbet-example.vn\nCASINO-example.com.\n"})
    updater = ListUpdater(tmp_path / "state", pub(key))
    result = updater.update(FolderSource(src))
    assert (result.version, result.previous, result.categories) == (1, None, {"gambling": 2})
    root = updater.active_root()
    assert root is not None and (root / "gambling" / "domains").read_text() == "bet-example.vn\ncasino-example.com\n"
    store = ListStore(tmp_path / "state", shipped_root=root)
    store.rebuild()
    assert store.index().lookup("www.bet-example.vn") is not None


def test_newer_set_switches_and_keeps_the_previous(tmp_path: Path, key: Ed25519PrivateKey) -> None:
    updater = ListUpdater(tmp_path / "state", pub(key))
    updater.update(FolderSource(publish(tmp_path / "a", key, 1, {"games": "game-one.example\n"})))
    result = updater.update(FolderSource(publish(tmp_path / "b", key, 2, {"games": "game-two.example\n"})))
    assert (result.version, result.previous) == (2, 1)
    assert updater.current_version() == 2
    assert os.readlink(updater.previous) == "sets/v1"
    updater.update(FolderSource(publish(tmp_path / "c", key, 3, {"games": "game-three.example\n"})))
    assert sorted(p.name for p in (updater.root / "sets").iterdir()) == ["v2", "v3"]  # older sets pruned


@pytest.mark.parametrize(("case", "message"), [
    ("wrong-key", "signature does not verify"),
    ("bad-file", "size or SHA-256 differs"),
    ("not-a-domain", "line 2: 'not a domain!' is not a domain name"),
    ("older", "version 1 is not newer than the installed 1"),
    ("missing-file", "cannot read"),
])
def test_bad_updates_change_nothing(tmp_path: Path, key: Ed25519PrivateKey, case: str, message: str) -> None:
    updater = ListUpdater(tmp_path / "state", pub(key))
    updater.update(FolderSource(publish(tmp_path / "good", key, 1, {"social": "chat-example.com\n"})))
    before = sorted(str(p.relative_to(tmp_path / "state")) for p in (tmp_path / "state").rglob("*"))
    other = Ed25519PrivateKey.generate()
    src = tmp_path / "bad"
    if case == "wrong-key":
        publish(src, other, 2, {"social": "x-example.com\n"})
    elif case == "bad-file":
        publish(src, key, 2, {"social": "x-example.com\n"}, lie={"social": "x-example.com\nevil.example\n"})
    elif case == "not-a-domain":
        publish(src, key, 2, {"social": "ok-example.com\nnot a domain!\n"})
    elif case == "older":
        publish(src, key, 1, {"social": "x-example.com\n"})
    else:
        publish(src, key, 2, {"social": "x-example.com\n"})
        (src / "social.txt").unlink()
    with pytest.raises(ListUpdateError, match=message.replace("(", r"\(")):
        updater.update(FolderSource(src))
    after = sorted(str(p.relative_to(tmp_path / "state")) for p in (tmp_path / "state").rglob("*"))
    assert after == before
    assert updater.current_version() == 1


def test_damaged_current_set_rolls_back_to_the_previous(tmp_path: Path, key: Ed25519PrivateKey) -> None:
    updater = ListUpdater(tmp_path / "state", pub(key))
    updater.update(FolderSource(publish(tmp_path / "a", key, 1, {"adult": "one-example.com\n"})))
    updater.update(FolderSource(publish(tmp_path / "b", key, 2, {"adult": "two-example.com\n"})))
    assert updater.check_and_repair() == "list set v2 verified"
    (updater.current.resolve() / "adult" / "domains").write_text("")  # the child empties the list
    message = updater.check_and_repair()
    assert "rolled back to v1" in message
    assert (updater.active_root() / "adult" / "domains").read_text() == "one-example.com\n"
    (updater.current.resolve() / "adult.txt").write_text("tampered\n")
    assert "back to the shipped lists" in updater.check_and_repair()
    assert updater.active_root() is None


def test_explicit_rollback_and_no_previous(tmp_path: Path, key: Ed25519PrivateKey) -> None:
    updater = ListUpdater(tmp_path / "state", pub(key))
    updater.update(FolderSource(publish(tmp_path / "a", key, 1, {"drugs": "a-example.com\n"})))
    with pytest.raises(ListUpdateError, match="no previous list set"):
        updater.rollback()
    updater.update(FolderSource(publish(tmp_path / "b", key, 2, {"drugs": "b-example.com\n"})))
    assert updater.rollback() == 1 and updater.current_version() == 1


def test_cli_reports_a_bad_source_in_one_line(tmp_path: Path, key: Ed25519PrivateKey) -> None:
    code = ("import sys; from agent import cli; cli.COMMANDS.setdefault('list-update', 'agent.dns.listupdate'); "
            "sys.exit(cli.main(sys.argv[1:]))")
    env = {**os.environ, "SPROUT_OEM": str(tmp_path / "none.toml")}
    key_b64 = base64.b64encode(pub(key)).decode()
    good = publish(tmp_path / "good", key, 4, {"violence": "gore-example.com\n"})
    args = [sys.executable, "-c", code, "list-update", "--state", str(tmp_path / "s"), "--public-key", key_b64]
    r = subprocess.run([*args, "--source", str(good)], capture_output=True, text=True, cwd=REPO, env=env, timeout=60)
    assert r.returncode == 0 and "v4 installed (1 categories, 1 names)" in r.stdout, r.stderr
    r = subprocess.run([*args, "--source", str(tmp_path / "nowhere")], capture_output=True, text=True, cwd=REPO,
                       env=env, timeout=60)
    assert r.returncode == 2 and "manifest.json: cannot read" in r.stderr and "Traceback" not in r.stderr
