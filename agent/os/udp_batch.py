"""Many UDP datagrams per system call on Linux: recvmmsg(2) and sendmmsg(2) through ctypes.

Python's socket module reads and writes one datagram per call, and at filter rates the per-call cost (the system
call, the GIL round trip, a 64 KiB buffer allocated and shrunk by recvfrom, the address tuple) is most of what a
blocked name costs. `UdpBatch` reads up to `slots` queries with one recvmmsg, and the loop answers them with one
sendmmsg, replying to each sender from the very sockaddr bytes the kernel wrote: no address tuple is built unless a
query goes the slow way (`address`).

The calls come from the OS adapter agent/os/mmsg.py (Linux). `UdpBatch.available()` is False elsewhere (or when
libc lacks the calls), and the server then keeps its one-datagram-per-call loop; both loops answer with the same
bytes (tests run both).

Memory: each slot holds a whole 64 KiB datagram, so a query is never cut short; the slots live in an anonymous
mmap, so only the pages a datagram touches become resident.
"""

from __future__ import annotations

import ctypes
import errno
import itertools
import mmap
import socket
import struct
from typing import Any

from agent.os.mmsg import load_mmsg

SLOT_BYTES = 65536  # the largest UDP payload (65,507) fits: recvfrom(65535) saw every datagram whole, so do we
SOCKADDR_BYTES = 128  # sizeof(struct sockaddr_storage)
MSG_DONTWAIT = 0x40


class _IoVec(ctypes.Structure):
    _fields_ = (("iov_base", ctypes.c_void_p), ("iov_len", ctypes.c_size_t))


class _MsgHdr(ctypes.Structure):
    _fields_ = (("msg_name", ctypes.c_void_p), ("msg_namelen", ctypes.c_uint32),
                ("msg_iov", ctypes.c_void_p), ("msg_iovlen", ctypes.c_size_t),
                ("msg_control", ctypes.c_void_p), ("msg_controllen", ctypes.c_size_t),
                ("msg_flags", ctypes.c_int))


class _MMsgHdr(ctypes.Structure):
    _fields_ = (("msg_hdr", _MsgHdr), ("msg_len", ctypes.c_uint))


_MSG_SIZE = ctypes.sizeof(_MMsgHdr)
_IOV_SIZE = ctypes.sizeof(_IoVec)
_NAME_OFF = _MsgHdr.msg_name.offset
_NAMELEN_OFF = _MsgHdr.msg_namelen.offset
_LEN_OFF = _MMsgHdr.msg_len.offset


def _field_struct(offset: int, fmt: str, count: int) -> struct.Struct:
    """A Struct reading one field at `offset` of each of `count` consecutive mmsghdr records."""
    size = struct.calcsize(fmt)
    tail = _MSG_SIZE - offset - size
    one = f"{offset}x{fmt}{tail}x" if offset else f"{fmt}{tail}x"
    return struct.Struct("@" + one * count)


_LIBC = load_mmsg()  # the OS adapter: None where there are no batch calls (not Linux)


class UdpBatch:
    """recvmmsg/sendmmsg buffers for one non-blocking UDP socket; used by one thread (the filter's loop) only."""

    def __init__(self, sock: socket.socket, slots: int = 64) -> None:
        if _LIBC is None:
            raise OSError("recvmmsg/sendmmsg are not available on this system")
        if sock.type != socket.SOCK_DGRAM:
            raise ValueError("UdpBatch needs a UDP socket")
        self.slots = slots
        self._sock = sock  # kept so the descriptor outlives us
        self._fd = sock.fileno()
        self._recvmmsg, self._sendmmsg = _LIBC.recvmmsg, _LIBC.sendmmsg
        self._data = mmap.mmap(-1, slots * SLOT_BYTES)  # received datagrams, one slot each
        self._out = mmap.mmap(-1, slots * SLOT_BYTES)  # replies, packed one after the other
        self._data_addr = ctypes.addressof(ctypes.c_char.from_buffer(self._data))
        self._out_addr = ctypes.addressof(ctypes.c_char.from_buffer(self._out))
        self._names = ctypes.create_string_buffer(slots * SOCKADDR_BYTES)
        self._names_addr = ctypes.addressof(self._names)
        self._rmsgs = (_MMsgHdr * slots)()
        self._smsgs = (_MMsgHdr * slots)()
        self._riov = (_IoVec * slots)()
        self._siov = (_IoVec * slots)()
        self._rmsgs_addr = ctypes.addressof(self._rmsgs)
        self._smsgs_addr = ctypes.addressof(self._smsgs)
        self._siov_addr = ctypes.addressof(self._siov)
        for i in range(slots):
            self._riov[i].iov_base = self._data_addr + i * SLOT_BYTES
            self._riov[i].iov_len = SLOT_BYTES
            hdr = self._rmsgs[i].msg_hdr
            hdr.msg_name = self._names_addr + i * SOCKADDR_BYTES
            hdr.msg_namelen = SOCKADDR_BYTES
            hdr.msg_iov = ctypes.addressof(self._riov[i])
            hdr.msg_iovlen = 1
            out = self._smsgs[i].msg_hdr
            out.msg_name = self._names_addr + i * SOCKADDR_BYTES
            out.msg_iov = self._siov_addr + i * _IOV_SIZE
            out.msg_iovlen = 1
        self._rraw = memoryview(self._rmsgs).cast("B")
        self._sraw = memoryview(self._smsgs).cast("B")
        self._siov_raw = memoryview(self._siov).cast("B")
        self._names_raw = memoryview(self._names).cast("B")
        self._data_view = memoryview(self._data)
        # One struct call per batch for each field we read, instead of one per datagram. (Writes go field by
        # field: a Struct's pad bytes would overwrite the fields between.)
        self._family_len = 16 if sock.family == socket.AF_INET else 28  # sockaddr_in / sockaddr_in6
        self._lengths = [_field_struct(_LEN_OFF, "I", n) for n in range(slots + 1)]
        self._received_namelen = [_field_struct(_NAMELEN_OFF, "I", n) for n in range(slots + 1)]
        self._iov_struct = [struct.Struct("@" + "PN" * n) for n in range(slots + 1)]
        self._pointer, self._uint = struct.Struct("@P"), struct.Struct("@I")
        self._slot_offsets = [i * SLOT_BYTES for i in range(slots)]
        self._in_order = [tuple(range(n)) for n in range(slots + 1)]
        self._own_names = [self._names_addr + i * SOCKADDR_BYTES for i in range(slots)]  # out slot i → sender i
        self._sent_names = list(self._own_names)  # what each out slot holds
        self._sent_namelens = [0] * slots
        self._recv_namelens: tuple[int, ...] = ()
        self.sent = 0
        self.send_errors = 0

    @staticmethod
    def available() -> bool:
        return _LIBC is not None

    def receive(self) -> list[bytes]:
        """The datagrams waiting now (at most `slots`), oldest first; [] when none (EAGAIN) or on a receive error
        (such as an ICMP error from an earlier reply surfacing here), as the one-by-one loop did."""
        n = self._recvmmsg(self._fd, self._rmsgs_addr, self.slots, MSG_DONTWAIT, None)
        if n <= 0:
            return []
        lengths = self._lengths[n].unpack_from(self._rraw, 0)
        namelens = self._recv_namelens = self._received_namelen[n].unpack_from(self._rraw, 0)
        if min(namelens) < self._family_len:
            # The kernel wrote back each sender's address length, which becomes the room for the next receive;
            # for one socket it is always its family's full size, so this only runs if that ever changes.
            for i, namelen in enumerate(namelens):
                if namelen < self._family_len:
                    self._uint.pack_into(self._rraw, i * _MSG_SIZE + _NAMELEN_OFF, SOCKADDR_BYTES)
        data = self._data  # an mmap slice is the datagram's bytes in one copy
        return [data[at:at + length] for at, length in zip(self._slot_offsets, lengths, strict=False)]

    def address(self, slot: int) -> Any:
        """The sender of datagram `slot` of the last receive, as socket.recvfrom would give it."""
        name = bytes(self._names_raw[slot * SOCKADDR_BYTES:slot * SOCKADDR_BYTES + self._recv_namelens[slot]])
        family = struct.unpack_from("=H", name)[0]
        port = struct.unpack_from("!H", name, 2)[0]
        if family == socket.AF_INET:
            return socket.inet_ntop(socket.AF_INET, name[4:8]), port
        if family == socket.AF_INET6:
            flowinfo, = struct.unpack_from("!I", name, 4)
            scope_id, = struct.unpack_from("=I", name, 24)
            return socket.inet_ntop(socket.AF_INET6, name[8:24]), port, flowinfo, scope_id
        raise OSError(f"datagram from an address family {family} this filter does not serve")

    def send(self, replies: list[tuple[int, bytes]]) -> None:
        """Send each (slot of the last receive, reply) to that slot's sender, as few system calls as the kernel
        allows. A reply the kernel refuses (a vanished client, a full buffer) is dropped and counted, as
        sendto's OSError was; the rest still go."""
        count = len(replies)
        if not count:
            return
        slots, packets = zip(*replies, strict=True)
        blob = b"".join(packets)
        if len(blob) > len(self._out):
            raise ValueError("replies larger than the send buffer")  # cannot happen: each reply is ≤ 64 KiB
        self._out[:len(blob)] = blob
        sizes = list(map(len, packets))
        iov = [0] * (2 * count)
        iov[0::2] = itertools.accumulate(sizes[:-1], initial=self._out_addr)  # where each reply starts
        iov[1::2] = sizes
        self._iov_struct[count].pack_into(self._siov_raw, 0, *iov)
        sent_names, sent_namelens, recv_namelens = self._sent_names, self._sent_namelens, self._recv_namelens
        # The common batch: every query answered here, so reply i goes to sender i, as the records already say.
        # Otherwise point each out record at its sender.
        if slots != self._in_order[count] or sent_names[:count] != self._own_names[:count] \
                or tuple(sent_namelens[:count]) != recv_namelens[:count]:
            pointer, uint, raw = self._pointer, self._uint, self._sraw
            for out_slot, slot in enumerate(slots):
                name = self._names_addr + slot * SOCKADDR_BYTES
                if sent_names[out_slot] != name:  # only when earlier slots went the slow way
                    pointer.pack_into(raw, out_slot * _MSG_SIZE + _NAME_OFF, name)
                    sent_names[out_slot] = name
                namelen = recv_namelens[slot]
                if sent_namelens[out_slot] != namelen:  # the same for every datagram of one socket: set once
                    uint.pack_into(raw, out_slot * _MSG_SIZE + _NAMELEN_OFF, namelen)
                    sent_namelens[out_slot] = namelen
        done = 0
        while done < count:
            n = self._sendmmsg(self._fd, self._smsgs_addr + done * _MSG_SIZE, count - done, 0)
            if n > 0:
                done += n
                self.sent += n
                continue
            err = ctypes.get_errno()
            if err == errno.EINTR:
                continue
            done += 1  # the first remaining reply failed; skip it and send the others
            self.send_errors += 1
