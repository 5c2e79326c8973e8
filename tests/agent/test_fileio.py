"""agent.fileio: the project's one atomic write (policies, OEM settings, protection state, key files, port files)."""

from __future__ import annotations

import json
import os
import stat

import pytest

from agent.fileio import atomic_write, atomic_write_json


def test_replaces_with_the_mode_given_and_leaves_no_temp_file(tmp_path):
    target = tmp_path / "policy.json"
    target.write_text("old")
    old_umask = os.umask(0o077)
    try:
        assert atomic_write(target, b"new", 0o644) is True
    finally:
        os.umask(old_umask)
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["policy.json"]


def test_exclusive_never_replaces_what_another_writer_made_first(tmp_path):
    key = tmp_path / "store-key.key"
    assert atomic_write(key, b"first", 0o600, exclusive=True) is True
    assert atomic_write(key, b"second", 0o600, exclusive=True) is False
    assert key.read_bytes() == b"first" and stat.S_IMODE(key.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["store-key.key"]


def test_a_symlink_is_replaced_not_written_through(tmp_path):
    victim = tmp_path / "victim"
    victim.write_text("keep me")
    link = tmp_path / "resolv.conf"
    link.symlink_to(victim)
    atomic_write(link, b"nameserver 127.0.0.1\n")
    assert victim.read_text() == "keep me" and not link.is_symlink()


def test_a_failed_write_keeps_the_old_file_and_no_temp(tmp_path):
    target = tmp_path / "oem.json"
    target.write_text('{"old": 1}')
    with pytest.raises(TypeError):
        atomic_write_json(target, {"bad": object()})
    assert json.loads(target.read_text()) == {"old": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["oem.json"]


def test_json_is_sorted_utf8_and_optionally_indented(tmp_path):
    atomic_write_json(tmp_path / "a.json", {"b": "Mầm", "a": 1}, indent=2)
    assert (tmp_path / "a.json").read_text(encoding="utf-8") == '{\n  "a": 1,\n  "b": "Mầm"\n}\n'


def test_a_streamed_write_replaces_only_when_the_block_finishes(tmp_path):
    from agent.fileio import atomic_writer

    target = tmp_path / "index.bin"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_writer(target, 0o600) as fh:
        fh.write(b"half of the new")
        raise RuntimeError("interrupted")
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["index.bin"]
    with atomic_writer(target, 0o600) as fh:
        fh.write(b"new")
        fh.write(b" index")
    assert target.read_bytes() == b"new index" and stat.S_IMODE(target.stat().st_mode) == 0o600
