"""The compact on-disk category index: millions of domains in 7 bytes each, opened with mmap in milliseconds.

Each listed name is reduced to its 64-bit XXH3 fingerprint, stored in three parallel arrays:

* ``directory`` — 65,537 × uint32: where each value of the first 16 fingerprint bits starts (bucket bounds);
* ``keys``      — n × uint32, sorted within each bucket: the next 32 fingerprint bits;
* ``checks``    — n × uint16: the last 16 bits, an independent check;
* ``cats``      — n × uint8: the category id.

A lookup hashes the name and each of its parents (``a.b.example.com`` → ``b.example.com`` → ``example.com``),
binary-searches its bucket for the 32-bit key and answers only when the 16-bit check matches too, so an
innocent name is blocked only if all 64 bits agree with a listed name (figures in docs/dns-lists.md).

Format 4 takes XXH3-64 (the `xxhash` package; its output is frozen by the xxHash 0.8 specification) where format 3
took keyed BLAKE2b: the fingerprint only has to spread names evenly, and XXH3 does that in 60 ns where BLAKE2b took
450 ns, for every suffix of every never-seen query name. Nobody gains by a crafted clash: it can only make the
crafter's own name look listed (docs/dns-lists.md, "Collisions").

File layout (little-endian, every array 8-byte aligned)::

    0   magic  b"SPROUTIX"
    8   struct <HHIIQ: format version, flags, entry count, metadata length, total file size
    32  metadata: UTF-8 JSON {"categories": [...], "built": ..., "hash": ...}
    ..  directory, keys, checks, cats (each padded to 8 bytes)
    -16 BLAKE2b-128 of every byte before it
"""

from __future__ import annotations

import bisect
import hashlib
import json
import mmap
import os
import re
import struct
import sys
import time
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import xxhash

from agent.fileio import atomic_writer

MAGIC = b"SPROUTIX"
FORMAT_VERSION = 4
_HEADER = struct.Struct("<HHIIQ")
_HEADER_END = len(MAGIC) + _HEADER.size  # 32
_DIR_BITS = 16
_DIR_ENTRIES = (1 << _DIR_BITS) + 1
# The fingerprint of a name's ASCII bytes: 16-bit bucket | 32-bit key | 16-bit check, high bits first. Looked up
# through the module at each call's start, so a test can put a clashing stand-in in its place.
fingerprint: Callable[[bytes], int] = xxhash.xxh3_64_intdigest
_MAX_CATEGORIES = 256
_CATEGORY_NAME = re.compile(r"^[a-z][a-z0-9-]{0,39}$")

# One DNS label: letters, digits, hyphen (not at either end) and underscore (real lists carry _dmarc-style
# names); a name is two or more labels, 253 characters at most, and its last label is not all digits.
_LABEL = r"(?!-)[a-z0-9_-]{1,63}(?<!-)"
_DOMAIN = re.compile(rf"^(?=.{{1,253}}$){_LABEL}(?:\.{_LABEL})+$")
_ALL_DIGITS = re.compile(r"^[0-9]+$")

ProgressFn = Callable[[int, int], None]


class IndexFileError(ValueError):
    """The index file cannot be used; the message names the file and what is wrong with it."""


class DomainError(ValueError):
    """A text that is not a usable domain name; the message says why."""


def normalize_domain(text: str) -> str:
    """The canonical form of a listed name: lower case, no trailing dot, IDNA (punycode) for Unicode.

    Raises DomainError with a reason for anything that is not a host name of two or more labels
    (IP addresses, single labels such as ``localhost`` or ``com``, wildcards, URLs, junk)."""
    name = text.strip().lower()
    if name.endswith("."):
        name = name[:-1]
    if _DOMAIN.match(name) is not None and not name[name.rfind(".") + 1:].isdigit():
        return name  # the common case, checked first because importers call this millions of times
    if not name:
        raise DomainError("empty name")
    if not name.isascii():
        name = _to_idna(name)
        if _DOMAIN.match(name) is not None and not name[name.rfind(".") + 1:].isdigit():
            return name
    if _DOMAIN.match(name) is None:
        raise DomainError(_why_bad(name))
    raise DomainError(f"{_short(name)} is an IP address, not a domain name")


def _to_idna(name: str) -> str:
    try:
        import idna  # IDNA 2008 + UTS #46 mapping, as browsers do; installed with requests

        return idna.encode(name, uts46=True).decode("ascii")
    except ImportError:  # pragma: no cover - idna ships with requests, a dependency
        try:
            return name.encode("idna").decode("ascii")
        except UnicodeError as exc:
            raise DomainError(f"{_short(name)} is not a valid international name ({exc})") from None
    except (UnicodeError, ValueError) as exc:
        raise DomainError(f"{_short(name)} is not a valid international name ({exc})") from None


def _why_bad(name: str) -> str:
    shown = _short(name)
    if len(name) > 253:
        return f"{shown} is longer than 253 characters"
    if "*" in name:
        return f"{shown} holds a wildcard in the middle (only a leading '*.' is allowed in wildcard lists)"
    if "/" in name or ":" in name:
        return f"{shown} looks like a URL or address, not a domain name"
    if "." not in name:
        return (f"{shown} has a single label (a top-level domain or local host name; listing it would "
                "block every name under it)")
    labels = name.split(".")
    if any(not label for label in labels):
        return f"{shown} has an empty label (two dots in a row or a leading dot)"
    if any(len(label) > 63 for label in labels):
        return f"{shown} has a label longer than 63 characters"
    if any(label.startswith("-") or label.endswith("-") for label in labels):
        return f"{shown} has a label that starts or ends with '-'"
    return f"{shown} holds characters not allowed in a domain name"


def _short(name: str) -> str:
    return repr(name if len(name) <= 60 else name[:57] + "...")


@dataclass(frozen=True)
class IndexStats:
    path: Path
    entries: int  # distinct names stored
    input_names: int  # (name, category) pairs read, duplicates included
    duplicates: int  # the same name given again (same or another category; the first category wins)
    fingerprint_collisions: int  # distinct names sharing bucket + 32-bit key, told apart by the 32-bit check
    categories: tuple[str, ...]
    size_bytes: int
    seconds: float


def build_index(entries: Iterable[tuple[str, str]], out: Path,
                progress: ProgressFn | None = None) -> IndexStats:
    """Write the index of (domain, category) pairs to `out` atomically (temp file, fsync, rename).

    Domains are normalised (DomainError names the bad one). When a name comes with several categories, the
    category seen first for it wins, so callers put their most important lists first. `progress(done, 0)` is
    called every 100,000 names while hashing."""
    started = time.perf_counter()
    out = Path(out)
    categories: dict[str, int] = {}
    combined: list[int] = []
    append = combined.append
    hash64 = fingerprint
    match = _DOMAIN.match
    read = 0
    for domain, category in entries:
        cat_id = categories.get(category)
        if cat_id is None:
            if not isinstance(category, str) or not _CATEGORY_NAME.match(category):
                raise DomainError(f"category {category!r}: use lower-case letters, digits and '-' (max 40)")
            if len(categories) >= _MAX_CATEGORIES:
                raise DomainError(f"category {category!r}: an index holds at most {_MAX_CATEGORIES} categories")
            cat_id = categories[category] = len(categories)
        name = domain if match(domain) and not domain[domain.rfind(".") + 1:].isdigit() \
            else normalize_domain(domain)
        bits = hash64(name.encode("ascii"))
        # bucket+key (48 bits) | category | check packed in one int so that one C-level sort orders it all
        append(((bits >> 16) << 24) | (cat_id << 16) | (bits & 0xFFFF))
        read += 1
        if progress is not None and read % 100_000 == 0:
            progress(read, 0)
    combined.sort()

    keys = array("I")
    checks = array("H")
    cats = array("B")
    counts = array("I", bytes(4 * _DIR_ENTRIES))
    collisions = 0
    duplicates = 0
    previous = -1
    first_check = -1
    group_checks: set[int] | None = None  # only built for the rare groups of names sharing 48 bits
    for value in combined:
        fp48 = value >> 24
        check = value & 0xFFFF
        if fp48 == previous:
            if group_checks is None:
                group_checks = {first_check}
            if check in group_checks:
                duplicates += 1  # same 64 bits: the same name again; the lower category id (seen first) wins
                continue
            collisions += 1
            group_checks.add(check)
        else:
            previous = fp48
            first_check = check
            group_checks = None
        keys.append(fp48 & 0xFFFFFFFF)
        checks.append(check)
        cats.append((value >> 16) & 0xFF)
        counts[(fp48 >> 32) + 1] += 1
    del combined
    directory = counts  # prefix sums turn per-bucket counts into bucket starts
    for b in range(1, _DIR_ENTRIES):
        directory[b] += directory[b - 1]

    names = sorted(categories, key=categories.__getitem__)
    size = _write(out, names, [directory, keys, checks, cats], len(keys))
    return IndexStats(path=out, entries=len(keys), input_names=read, duplicates=duplicates,
                      fingerprint_collisions=collisions, categories=tuple(names), size_bytes=size,
                      seconds=time.perf_counter() - started)


def _layout(meta_len: int, count: int) -> tuple[list[int], int]:
    """Offsets of directory, keys, checks, cats and the trailer for a file with this metadata and count."""
    offsets = []
    at = _align(_HEADER_END + meta_len)
    for item_size, items in ((4, _DIR_ENTRIES), (4, count), (2, count), (1, count)):
        offsets.append(at)
        at = _align(at + item_size * items)
    offsets.append(at)
    return offsets, at + 16


def _write(out: Path, categories: list[str], arrays: list[array], count: int) -> int:
    if sys.byteorder != "little":  # pragma: no cover - every supported PC is little-endian
        for arr in arrays:
            arr.byteswap()
    meta = json.dumps({"categories": categories, "built": int(time.time()),
                       "hash": "xxh3-64 (16-bit bucket, 32-bit key, 16-bit check)"},
                      separators=(",", ":")).encode()
    offsets, total = _layout(len(meta), count)

    with atomic_writer(out, 0o600) as fh:
        hasher = hashlib.blake2b(digest_size=16)
        written = 0

        def put(data: bytes | memoryview) -> None:
            nonlocal written
            hasher.update(data)
            fh.write(data)
            written += len(data)

        put(MAGIC + _HEADER.pack(FORMAT_VERSION, 0, count, len(meta), total))
        put(meta)
        for offset, arr in zip(offsets[:-1], arrays, strict=True):
            put(b"\0" * (offset - written))
            put(memoryview(arr).cast("B"))
        put(b"\0" * (offsets[-1] - written))
        fh.write(hasher.digest())
    return total


def _align(offset: int) -> int:
    return (offset + 7) & ~7


class CategoryIndex:
    """A read-only, memory-mapped index. Thread-safe for lookups; close() or use as a context manager."""

    def __init__(self, path: Path, mapped: mmap.mmap, categories: tuple[str, ...], count: int,
                 offsets: list[int], built: int) -> None:
        self.path = path
        self._map = mapped
        self._categories = categories
        self._count = count
        self.built = built
        self._view = memoryview(mapped)
        dir_off, keys_off, checks_off, cats_off, _trailer = offsets
        self._dir = self._view[dir_off:dir_off + 4 * _DIR_ENTRIES].cast("I")
        self._keys = self._view[keys_off:keys_off + 4 * count].cast("I")
        self._checks = self._view[checks_off:checks_off + 2 * count].cast("H")
        self._cats = self._view[cats_off:cats_off + count]

    @classmethod
    def open(cls, path: Path, *, verify: bool = True) -> CategoryIndex:
        """Map the file; with verify (the default) its checksum is checked (about 30 ms for 2 M names).

        Raises IndexFileError (a ValueError) naming the file for a truncated, corrupt or foreign file, and
        OSError when it cannot be read."""
        path = Path(path)
        if sys.byteorder != "little":  # pragma: no cover
            raise IndexFileError(f"{path}: this index format needs a little-endian machine")
        with path.open("rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size < _HEADER_END + 16:
                raise IndexFileError(f"{path}: not a Sprout category index (only {size} bytes)")
            mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        try:
            return cls._parse(path, mapped, size, verify)
        except BaseException:
            mapped.close()
            raise

    @classmethod
    def _parse(cls, path: Path, mapped: mmap.mmap, size: int, verify: bool) -> CategoryIndex:
        if mapped[:len(MAGIC)] != MAGIC:
            raise IndexFileError(f"{path}: not a Sprout category index (wrong magic bytes)")
        version, _flags, count, meta_len, total = _HEADER.unpack_from(mapped, len(MAGIC))
        if version != FORMAT_VERSION:
            raise IndexFileError(f"{path}: index format version {version}, this agent reads {FORMAT_VERSION}; "
                                 "rebuild it with `sprout-agent lists import`")
        if total != size:
            state = "truncated" if size < total else "has trailing bytes"
            raise IndexFileError(f"{path}: file {state} (header says {total} bytes, found {size})")
        offsets, expected = _layout(meta_len, count)
        if expected != total:
            raise IndexFileError(f"{path}: corrupt header (counts do not add up to the file size)")
        trailer = offsets[-1]
        if verify:
            with memoryview(mapped) as view, view[:trailer] as body:
                digest = hashlib.blake2b(body, digest_size=16).digest()
            if digest != mapped[trailer:trailer + 16]:
                raise IndexFileError(f"{path}: checksum mismatch (the file is corrupt; rebuild it)")
        try:
            meta = json.loads(bytes(mapped[_HEADER_END:_HEADER_END + meta_len]).decode("utf-8"))
            categories = tuple(str(c) for c in meta["categories"])
            built = int(meta.get("built", 0))
        except (ValueError, KeyError, TypeError) as exc:
            raise IndexFileError(f"{path}: corrupt metadata ({exc})") from None
        index = cls(path, mapped, categories, count, offsets, built)
        # A file with a valid checksum can still be hand-made: an id past the table would crash lookups later.
        unknown_ids = bytes(index._cats).translate(None, bytes(range(min(len(categories), 256))))
        if index._dir[_DIR_ENTRIES - 1] != count or unknown_ids:
            index.close()
            raise IndexFileError(f"{path}: corrupt directory or category ids")
        return index

    def __len__(self) -> int:
        return self._count

    def categories(self) -> tuple[str, ...]:
        return self._categories

    def lookup(self, name: str) -> str | None:
        """Category of the most specific listed suffix of `name` (itself first, then each parent), or None.

        Lenient on purpose: the DNS server calls this for every query, so a name that cannot be listed
        (junk, single label) is simply not found instead of raising."""
        found = self._find(name)
        return self._categories[found[1]] if found else None

    def lookup_wire(self, name: str) -> str | None:
        """`lookup` for a name the DNS fast path parsed off the wire: already lower-case ASCII letters, digits,
        '-', '_' and dots, no trailing dot, so it skips `_find`'s normalising and the pair it builds."""
        found = self._walk(name.encode("ascii"))
        return self._categories[self._cats[found & 0xFFFFFFFF]] if found >= 0 else None

    def match(self, name: str) -> tuple[str, str] | None:
        """(listed suffix, category) for `name`, or None: tells which listed entry a block came from."""
        found = self._find(name)
        return (found[0], self._categories[found[1]]) if found else None

    def _find(self, name: str) -> tuple[str, int] | None:
        """(the listed suffix of `name`, its category id), or None."""
        text = name.lower().rstrip(".")
        if not text.isascii():
            try:
                text = normalize_domain(text)
            except DomainError:
                return None
        found = self._walk(text.encode("ascii"))
        if found < 0:
            return None
        return text[found >> 32:], self._cats[found & 0xFFFFFFFF]

    def _walk(self, raw: bytes) -> int:
        """Where the most specific listed suffix of the name `raw` starts and which entry holds it, as
        (start << 32) | entry, or -1. One int rather than a pair: every never-seen query name comes here."""
        find = raw.find
        hash64 = fingerprint
        keys = self._keys
        directory = self._dir
        start = 0
        while True:
            dot = find(b".", start)
            if dot < 0:
                return -1  # single labels are never listed
            bits = hash64(raw[start:] if start else raw)
            bucket = bits >> 48
            lo = directory[bucket]
            hi = directory[bucket + 1]
            if lo < hi:
                key = (bits >> 16) & 0xFFFFFFFF
                i = bisect.bisect_left(keys, key, lo, hi)
                if i < hi and keys[i] == key:
                    check = bits & 0xFFFF
                    checks = self._checks
                    while i < hi and keys[i] == key:
                        if checks[i] == check:
                            return (start << 32) | i
                        i += 1
            start = dot + 1

    def touch(self) -> None:
        """Read every page once (the benchmark's worst case for resident memory)."""
        view = self._view
        sum(view[i] for i in range(0, len(view), mmap.PAGESIZE))

    def close(self) -> None:
        for v in (self._dir, self._keys, self._checks, self._cats, self._view):
            v.release()
        self._map.close()

    def __enter__(self) -> CategoryIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
