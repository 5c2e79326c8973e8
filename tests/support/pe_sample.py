"""A small but well-formed Windows PE file with a version resource (VS_VERSIONINFO), for tests on a machine with no
Windows compiler: a game's .exe as its maker built it, which pefile parses like any other."""

from __future__ import annotations

import struct


def _pad4(b: bytes) -> bytes:
    return b + b"\0" * (-len(b) % 4)


def _block(key: str, value: bytes, children: bytes, *, text: bool, value_len: int | None = None) -> bytes:
    """A version-info block: wLength, wValueLength, wType, szKey, padding, Value, padding, Children."""
    head = _pad4(struct.pack("<HHH", 0, 0, 0) + (key + "\0").encode("utf-16-le"))
    body = _pad4(value) + children if value else children
    data = head + body
    vlen = value_len if value_len is not None else len(value)
    return struct.pack("<HHH", len(data), vlen, 1 if text else 0) + data[6:]


def version_info(strings: dict[str, str]) -> bytes:
    items = b""
    for k, v in strings.items():
        val = (v + "\0").encode("utf-16-le")
        items += _pad4(_block(k, val, b"", text=True, value_len=len(v) + 1))
    table = _block("040904b0", b"", items, text=True)
    sfi = _block("StringFileInfo", b"", table, text=True)
    fixed = struct.pack("<13I", 0xFEEF04BD, 0x00010000, 0x00010000, 0, 0x00010000, 0, 0, 0x3F, 0, 0x4, 0x1, 0, 0)
    return _block("VS_VERSION_INFO", fixed, sfi, text=False)


def _resource_section(blob: bytes, rva: int) -> bytes:
    """Root (type 16 = RT_VERSION) → name 1 → language 0x409 → the data entry → the blob."""
    def directory(entry_id: int, offset: int, subdir: bool) -> bytes:
        return struct.pack("<IIHHHH", 0, 0, 0, 0, 0, 1) + struct.pack("<II", entry_id,
                                                                       offset | (0x80000000 if subdir else 0))
    root = directory(16, 0x18, True)
    names = directory(1, 0x30, True)
    langs = directory(0x409, 0x48, False)
    data_entry = struct.pack("<IIII", rva + 0x58, len(blob), 0, 0)
    return root + names + langs + data_entry + blob


def build_pe(strings: dict[str, str], *, junk: bytes = b"") -> bytes:
    file_align, sect_align, rva = 0x200, 0x1000, 0x1000
    rsrc = _resource_section(version_info(strings), rva)
    raw = rsrc + b"\0" * (-len(rsrc) % file_align)
    dos = b"MZ" + b"\0" * 58 + struct.pack("<I", 0x40)
    coff = struct.pack("<HHIIIHH", 0x8664, 1, 0, 0, 0, 240, 0x0022)
    opt = struct.pack("<HBBIIIIIQIIHHHHHHIIIIHHQQQQII", 0x20B, 14, 0, 0, len(raw), 0, 0, 0, 0x140000000,
                      sect_align, file_align, 6, 0, 0, 0, 6, 0, 0,
                      rva + ((len(rsrc) + sect_align - 1) // sect_align) * sect_align, 0x200, 0, 2, 0x8160,
                      0x100000, 0x1000, 0x100000, 0x1000, 0, 16)
    dirs = [(0, 0)] * 16
    dirs[2] = (rva, len(rsrc))
    opt += b"".join(struct.pack("<II", a, b) for a, b in dirs)
    section = struct.pack("<8sIIIIIIHHI", b".rsrc", len(rsrc), rva, len(raw), 0x200, 0, 0, 0, 0, 0x40000040)
    headers = dos + b"PE\0\0" + coff + opt + section
    headers += b"\0" * (0x200 - len(headers))
    return headers + raw + junk
