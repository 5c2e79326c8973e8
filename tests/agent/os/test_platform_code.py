"""The small OS adapters that took the platform branches out of the rest of the product (agent/os/account.py,
files.py, programs.py, system_dirs.py, local_channel.py, named_pipe.py's line server). The POSIX side runs for
real here; the Windows side's choices are asked by platform name, and the pipe's serving loop runs over a fake
pipe end (FakePipeEnd: no Windows and no pywin32 on this machine)."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from agent.os.account import ACCOUNT, PosixAccount, WindowsAccount, make_process_account
from agent.os.files import FILE_RULES, PosixFileRules, WindowsFileRules, make_file_rules
from agent.os.local_channel import LineBuffer, local_transport, open_local_channel
from agent.os.named_pipe import NamedPipeLineServer
from agent.os.programs import program_conventions
from agent.os.system_dirs import system_config_dir
from agent.service.local_ipc import Dispatcher, LocalIpcServer, start_local_channel

pytestmark = pytest.mark.unit


def fake_stat(uid: int, mode: int) -> os.stat_result:
    return os.stat_result((stat.S_IFDIR | mode, 1, 1, 1, uid, 0, 0, 0, 0, 0))


def test_the_account_is_this_process_on_posix() -> None:
    assert isinstance(ACCOUNT, PosixAccount)
    assert (ACCOUNT.uid(), ACCOUNT.real_uid()) == (os.geteuid(), os.getuid())
    assert ACCOUNT.is_superuser() == (os.geteuid() == 0)
    assert isinstance(make_process_account("win32"), WindowsAccount)
    assert make_process_account("win32").uid() is None and make_process_account("win32").is_superuser() is None


def test_posix_file_rules_see_foreign_owners_and_loose_modes(tmp_path: Path) -> None:
    assert isinstance(FILE_RULES, PosixFileRules)
    me = os.geteuid()
    other = me + 4242
    assert FILE_RULES.foreign_owner(fake_stat(me, 0o700)) is None
    assert FILE_RULES.foreign_owner(fake_stat(other, 0o700)) == other
    assert FILE_RULES.foreign_owner(fake_stat(other, 0o700), also=(other,)) is None
    assert FILE_RULES.loose_mode(fake_stat(me, 0o775), 0o022) == 0o020
    assert FILE_RULES.loose_mode(fake_stat(me, 0o700), 0o077) == 0
    FILE_RULES.fsync_dir(tmp_path)  # a real folder fsync
    with pytest.raises(FileNotFoundError):
        FILE_RULES.fsync_dir(tmp_path / "gone")


def test_windows_file_rules_leave_owners_to_acls(tmp_path: Path) -> None:
    rules = make_file_rules("win32")
    assert isinstance(rules, WindowsFileRules)
    assert rules.foreign_owner(fake_stat(os.geteuid() + 1, 0o777)) is None
    assert rules.loose_mode(fake_stat(0, 0o777), 0o077) == 0
    rules.fsync_dir(tmp_path / "not even there")  # Windows cannot open a folder: nothing to do


def test_program_conventions() -> None:
    win, linux = program_conventions("win32"), program_conventions("linux")
    assert win.pe_programs and "/program files/" in (win.trusted_roots or ())
    assert not linux.pe_programs and linux.trusted_roots is None
    assert program_conventions() == linux  # this machine


def test_system_config_dir_per_os() -> None:
    assert system_config_dir("linux") == Path("/etc/sprout")
    assert system_config_dir("darwin") == Path("/Library/Application Support/Sprout")
    assert system_config_dir("win32", {"PROGRAMDATA": "D:\\Data"}) == Path("D:\\Data") / "Sprout"


def test_the_local_channel_transport_is_chosen_by_the_os_and_only_it_is_built() -> None:
    built: list[str] = []

    def make(kind: str):  # type: ignore[no-untyped-def]
        return lambda: built.append(kind) or kind

    assert (local_transport("linux"), local_transport("darwin"), local_transport("win32")) == (
        "unix_socket", "unix_socket", "named_pipe")
    assert open_local_channel(unix_socket=make("unix"), named_pipe=make("pipe"), platform="win32") == "pipe"
    assert open_local_channel(unix_socket=make("unix"), named_pipe=make("pipe"), platform="linux") == "unix"
    assert built == ["pipe", "unix"]


def test_this_machine_opens_the_unix_socket_channel(tmp_path: Path) -> None:
    server = start_local_channel(object(), tmp_path / "c" / "companion.sock")  # type: ignore[arg-type]
    try:
        assert isinstance(server, LocalIpcServer)
        assert stat.S_ISSOCK(os.lstat(tmp_path / "c" / "companion.sock").st_mode)
    finally:
        server.stop()


class FakePipeEnd:
    """Stands in for a connected Windows pipe client (PipeConnection): its SID and the bytes it sends."""

    def __init__(self, sid: str, chunks: list[bytes]) -> None:
        self.peer_sid = sid
        self.chunks = list(chunks)
        self.written = bytearray()

    def read(self) -> bytes:
        return self.chunks.pop(0) if self.chunks else b""

    def write(self, data: bytes) -> None:
        self.written += data

    def answers(self) -> list[dict]:
        return [json.loads(line) for line in self.written.splitlines()]


def pipe_server(max_line: int = 1024) -> NamedPipeLineServer:
    return NamedPipeLineServer(lambda stopping: Dispatcher(object(), stopping=stopping).handle_line,  # type: ignore[arg-type]
                               ["S-1-5-21-child"], max_line=max_line)


def test_the_pipe_answers_the_child_line_by_line_even_split_across_reads() -> None:
    end = FakePipeEnd("S-1-5-21-child", [b'{"id": 1, "op": "ping"}\n{"id": 2, "op"', b': "nope"}\n\n'])
    pipe_server().serve(end)
    first, second = end.answers()
    assert first == {"id": 1, "ok": True, "result": {"pong": True}}
    assert second["id"] == 2 and second["error"]["code"] == "unknown_op"


def test_the_pipe_refuses_another_user_and_an_endless_line() -> None:
    stranger = FakePipeEnd("S-1-5-21-stranger", [b'{"id": 1, "op": "ping"}\n'])
    pipe_server().serve(stranger)
    assert [a["error"]["code"] for a in stranger.answers()] == ["forbidden"]
    flood = FakePipeEnd("S-1-5-21-child", [b"x" * 700, b"x" * 700, b'{"id": 1, "op": "ping"}\n'])
    pipe_server(max_line=1024).serve(flood)
    assert [a["error"]["code"] for a in flood.answers()] == ["too_long"]
    assert flood.chunks == [b'{"id": 1, "op": "ping"}\n']  # it stopped reading: the rest is never answered


def test_line_buffer_keeps_a_partial_line() -> None:
    buf = LineBuffer(8)
    assert buf.feed(b"ab\ncd") == [b"ab"] and not buf.overflowing
    assert buf.feed(b"efghijk") == [] and buf.overflowing
