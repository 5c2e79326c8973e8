"""The hand-built fast path for the filter's commonest work: answering a blocked name without dnslib.

Parsing a query with dnslib and packing the reply costs ~100 µs in Python; a blocked A/AAAA/HTTPS question
needs neither. `parse_query` reads one standard query with a single IN question of type A, AAAA or HTTPS (and at
most one EDNS version-0 OPT record, nothing else) by hand, strictly: anything it does not fully understand —
compression pointers in the question, label bytes other than letters, digits, '-' and '_', other counts, trailing
bytes, malformed EDNS options — returns None, and the caller takes the ordinary dnslib path, which then answers
(or drops, or FORMERRs) exactly as it always did. `BlockReplies` builds the reply bytes for the block and NXDOMAIN
verdicts: the question copied as sent, one record named by the pointer 0xC00C, and our OPT record when the
client sent one; the same records, TTLs and flags as the dnslib path (tests/agent/dns/test_fastpath.py compares them).
"""

from __future__ import annotations

import socket
import struct

QTYPE_A, QTYPE_AAAA, QTYPE_SOA, QTYPE_OPT, QTYPE_HTTPS = 1, 28, 6, 41, 65
FAST_QTYPES = frozenset({QTYPE_A, QTYPE_AAAA, QTYPE_HTTPS})
CLASS_IN = 1
MAX_NAME_WIRE = 255  # RFC 1035 §3.1: a name is at most 255 octets on the wire
NOERROR, NXDOMAIN = 0, 3

_HEADER = struct.Struct("!HHHHH")  # flags, qdcount, ancount, nscount, arcount (after the 2-byte ID)
_QTAIL = struct.Struct("!HH")
_OPT = struct.Struct("!HHIH")  # type, class (UDP size), ttl (ext rcode, version, flags), rdlength
_RR_HEAD = struct.Struct("!HHHIH")  # name pointer, type, class, ttl, rdlength
# Bytes a fast-path label may hold; deleting them from the name must leave nothing.
_LDH = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"


def parse_query(data: bytes) -> tuple[str, int, int, bool] | None:
    """(name in lower case without the trailing dot, qtype, offset after the question, has an OPT record), or
    None when the packet is not a plain query of the fast path's shape (the dnslib path then decides)."""
    size = len(data)
    if size < 17 or size > 512 + 11:  # header + shortest name + qtype/qclass; a plain query is small
        return None
    flags, qd, an, ns, ar = _HEADER.unpack_from(data, 2)
    if flags & 0xF800 or qd != 1 or an or ns or ar > 1:  # a response, another opcode, or other sections
        return None
    pos = 12
    labels = []
    while True:
        length = data[pos]
        if length == 0:
            break
        if length > 63:  # a compression pointer (0xC0) or a reserved label type: not for the fast path
            return None
        end = pos + 1 + length
        if end >= size:
            return None
        labels.append(data[pos + 1:end])
        pos = end
    pos += 1  # the root label
    if not labels or pos - 12 > MAX_NAME_WIRE or pos + 4 > size:
        return None
    qtype, qclass = _QTAIL.unpack_from(data, pos)
    qend = pos + 4
    if qclass != CLASS_IN or qtype not in FAST_QTYPES:
        return None
    raw = b"".join(labels)
    if raw.translate(None, _LDH):  # a byte dnslib would escape, or a dot inside a label
        return None
    if ar == 0:
        if qend != size:
            return None
        edns = False
    else:
        if qend + 11 > size or data[qend] != 0:  # the OPT record's owner is the root
            return None
        rtype, _udp_size, ttl, rdlength = _OPT.unpack_from(data, qend + 1)
        if rtype != QTYPE_OPT or (ttl >> 16) & 0xFF:  # another record, or an EDNS version we must BADVERS
            return None
        at = qend + 11
        if at + rdlength != size:
            return None
        while at < size:  # options: code, length, data — each must fit exactly
            if at + 4 > size:
                return None
            at += 4 + ((data[at + 2] << 8) | data[at + 3])
        if at != size:
            return None
        edns = True
    return b".".join(labels).lower().decode("ascii"), qtype, qend, edns


class BlockReplies:
    """Reply bytes for blocked and canary names, for one pair of block addresses (None: an address the
    dnslib path could not encode either, so no fast path)."""

    def __init__(self, block_ipv4: str, block_ipv6: str, ttl: int, edns_size: int, soa_rdata: bytes) -> None:
        self.key = (block_ipv4, block_ipv6)
        soa = _RR_HEAD.pack(0xC00C, QTYPE_SOA, CLASS_IN, ttl, len(soa_rdata)) + soa_rdata
        nodata = (NOERROR, 0, 1, soa)
        self._opt = b"\x00" + _OPT.pack(QTYPE_OPT, edns_size, 0, 0)
        a = aaaa = nodata
        if block_ipv4:
            addr = socket.inet_pton(socket.AF_INET, block_ipv4)
            a = (NOERROR, 1, 0, _RR_HEAD.pack(0xC00C, QTYPE_A, CLASS_IN, ttl, 4) + addr)
        if block_ipv6:
            addr = socket.inet_pton(socket.AF_INET6, block_ipv6)
            aaaa = (NOERROR, 1, 0, _RR_HEAD.pack(0xC00C, QTYPE_AAAA, CLASS_IN, ttl, 16) + addr)
        # qtype, NXDOMAIN and EDNS as one small integer (_key) → (the header after the ID for each value of the
        # query's RD and CD bits, then counts; the records after the question): a reply is one join
        self._table: dict[int, tuple[list[bytes], bytes]] = {}
        for qtype in FAST_QTYPES:
            for nx in (False, True):
                rcode, ancount, nscount, records = (NXDOMAIN, 0, 1, soa) if nx else \
                    {QTYPE_A: a, QTYPE_AAAA: aaaa}.get(qtype, nodata)
                for edns in (False, True):
                    heads = [b""] * 18
                    for bits in (0x00, 0x01, 0x10, 0x11):  # RD (0x01 of byte 2), CD (0x10 of byte 3)
                        flags = 0x8080 | rcode | ((bits & 0x01) << 8) | (bits & 0x10)
                        heads[bits] = struct.pack("!HHHHH", flags, 1, ancount, nscount, int(edns))
                    self._table[_key(qtype, nx, edns)] = (heads, records + self._opt if edns else records)

    def build(self, data: bytes, qtype: int, qend: int, edns: bool, nxdomain: bool) -> bytes:
        """The reply to `data` (a query parse_query accepted): ID, RD and CD copied, QR and RA set."""
        heads, records = self._table[(qtype << 2) | (nxdomain << 1) | edns]  # _key, inline: once per block
        return b"".join((data[:2], heads[(data[2] & 0x01) | (data[3] & 0x10)], data[12:qend], records))


def _key(qtype: int, nxdomain: bool, edns: bool) -> int:
    return (qtype << 2) | (nxdomain << 1) | edns


def encode_name(name: str) -> bytes:
    """A name in uncompressed wire form (for the synthetic SOA's fixed names)."""
    out = bytearray()
    for label in name.rstrip(".").split("."):
        raw = label.encode("ascii")
        out.append(len(raw))
        out += raw
    return bytes(out) + b"\x00"


QTYPE_CNAME = 5
_RR_FIXED = struct.Struct("!HHIH")  # type, class, ttl, rdlength after an owner name
_MAX_POINTERS = 32


class RawReply:
    """An upstream reply walked by hand (`read_reply`): where its answer and authority records are, and what the
    server needs from them, so the reply is relayed as bytes without a dnslib parse and pack."""

    __slots__ = ("ancount", "body", "cache_ttl", "cnames", "nscount", "rcode", "tc", "ttls")

    def __init__(self, rcode: int, tc: bool, ancount: int, nscount: int, body: bytes,
                 ttls: tuple[tuple[int, int], ...], cnames: tuple[str, ...], cache_ttl: int) -> None:
        self.rcode = rcode
        self.tc = tc
        self.ancount = ancount
        self.nscount = nscount
        self.body = body  # the answer and authority records as sent (names compressed against the same layout)
        self.ttls = ttls  # (offset of a TTL inside body, its value) per record
        self.cnames = cnames  # the targets of the answer's CNAME records
        self.cache_ttl = cache_ttl  # the cache's rule (cache.answer_ttl), read from the bytes


def _skip_name(data: bytes, pos: int) -> int:
    """The offset after the (possibly compressed) name at pos; -1 when it runs off the packet."""
    size = len(data)
    while pos < size:
        length = data[pos]
        if length == 0:
            return pos + 1
        if length & 0xC0 == 0xC0:
            return pos + 2 if pos + 2 <= size else -1
        if length & 0xC0:
            return -1
        pos += 1 + length
    return -1


def read_name(data: bytes, pos: int) -> str | None:
    """The name at pos, following compression pointers (bounded), as dotted text; None when malformed."""
    size = len(data)
    labels = []
    hops = 0
    total = 0
    while pos < size:
        length = data[pos]
        if length == 0:
            return ".".join(labels)
        if length & 0xC0 == 0xC0:
            if pos + 2 > size or hops >= _MAX_POINTERS:
                return None
            hops += 1
            pos = ((length & 0x3F) << 8) | data[pos + 1]
            continue
        if length & 0xC0 or pos + 1 + length > size:
            return None
        total += length + 1
        if total > MAX_NAME_WIRE:
            return None
        labels.append(data[pos + 1:pos + 1 + length].decode("latin-1"))
        pos += 1 + length
    return None


def read_reply(data: bytes, qlen: int, max_ttl: int, negative_cap: int) -> RawReply | None:
    """Walk every record of a reply whose 12-byte header is followed by a question of qlen bytes (checked by the
    caller); None when any record runs off the packet (the caller treats it as junk, as a failed parse)."""
    size = len(data)
    if size < 12 + qlen:
        return None
    flags, _qd, an, ns, ar = _HEADER.unpack_from(data, 2)
    rcode = flags & 0x0F
    start = pos = 12 + qlen
    body_end = pos
    ttls = []
    cnames = []
    answer_ttl: int | None = None
    soa_ttl: int | None = None
    records = an + ns
    for i in range(records + ar):
        pos = _skip_name(data, pos)
        if pos < 0 or pos + 10 > size:
            return None
        rtype, _rclass, ttl, rdlength = _RR_FIXED.unpack_from(data, pos)
        rdata = pos + 10
        end = rdata + rdlength
        if end > size:
            return None
        if i < records:
            ttls.append((pos + 4 - start, ttl))
            if i < an:
                answer_ttl = ttl if answer_ttl is None else min(answer_ttl, ttl)
                if rtype == QTYPE_CNAME:
                    target = read_name(data, rdata)
                    if target is None:
                        return None
                    cnames.append(target)
            elif rtype == QTYPE_SOA and soa_ttl is None and rdlength >= 22:
                minimum = struct.unpack_from("!I", data, end - 4)[0]
                soa_ttl = min(negative_cap, ttl, minimum)
            body_end = end
        pos = end
    if answer_ttl is not None:
        cache_ttl = min(max_ttl, answer_ttl)
    elif rcode in (0, 3) and soa_ttl is not None:
        cache_ttl = soa_ttl
    else:
        cache_ttl = 0
    return RawReply(rcode, bool(flags & 0x0200), an, ns, data[start:body_end], tuple(ttls), tuple(cnames), cache_ttl)
