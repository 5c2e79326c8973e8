"""A device maker's logo (oem.toml `[brand] logo`): PNG or SVG, at most 1 MB, checked before the companion shows it
(a PNG's header and size; an SVG parsed without entities or external references)."""

from __future__ import annotations

import hashlib
import struct
import zlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any
from xml.parsers import expat

LOGO_TYPES = (".png", ".svg")
LOGO_MAX_BYTES = 1_000_000
LOGO_MAX_SIDE = 4096  # pixels; a bigger PNG is a photo or a mistake, and would cost the companion memory to scale
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG_NAMESPACE = "http://www.w3.org/2000/svg"


class LogoError(ValueError):
    """A logo file is not what its name says; the message is the reason, e.g. `not a PNG file: <why>`."""


@dataclass(frozen=True)
class BrandLogo:
    """A checked logo, held by the service and handed to the companion over its local channel in chunks."""

    type: str  # "png" | "svg"
    data: bytes = field(repr=False)

    @property
    def size(self) -> int:
        return len(self.data)

    @cached_property
    def sha256(self) -> str:  # cached: status() asks for it every few seconds, the bytes never change
        return hashlib.sha256(self.data).hexdigest()

    def describe(self) -> dict[str, Any]:
        """What status() says about the logo: enough for the companion to know whether its copy is current."""
        return {"type": self.type, "size": self.size, "sha256": self.sha256}


def logo_type(path: Path) -> str:
    """"png" or "svg" from the file name; anything else is refused."""
    suffix = path.suffix.lower()
    if suffix not in LOGO_TYPES:
        raise LogoError(f"must be a {' or '.join(LOGO_TYPES)} file, got {path.name}")
    return suffix[1:]


def check_logo(kind: str, data: bytes) -> None:
    """Refuse bytes that are not the kind of image the name says, before anyone tries to draw them.

    PNG: the 8-byte signature, then the IHDR chunk (length 13, correct CRC) with a width and height of 1..4096.
    SVG: well-formed XML whose root element is <svg>, with no DOCTYPE at all — a DOCTYPE is where entity tricks
    (billion laughs, external entities) live, and a logo never needs one. No image library is used: the service
    must not import Qt, and this is all the checking the companion's renderer needs in front of it.
    """
    if len(data) > LOGO_MAX_BYTES:
        raise LogoError(f"larger than {LOGO_MAX_BYTES} bytes ({len(data)} bytes)")
    if kind == "png":
        _check_png(data)
    elif kind == "svg":
        _check_svg(data)
    else:
        raise LogoError(f"unknown logo type {kind!r} (png or svg)")


def _check_png(data: bytes) -> None:
    if not data.startswith(PNG_SIGNATURE):
        raise LogoError("not a PNG file: it does not start with the PNG signature")
    head = data[8:8 + 8 + 13 + 4]
    if len(head) < 25:
        raise LogoError("not a PNG file: it ends before the IHDR header")
    length, ctype = struct.unpack(">I4s", head[:8])
    if ctype != b"IHDR" or length != 13:
        raise LogoError(f"not a PNG file: the first chunk is {ctype!r} ({length} bytes), not a 13-byte IHDR")
    (crc,) = struct.unpack(">I", head[21:25])
    if zlib.crc32(head[4:21]) != crc:
        raise LogoError("not a PNG file: the IHDR chunk is damaged (CRC mismatch)")
    width, height = struct.unpack(">II", head[8:16])
    if not (1 <= width <= LOGO_MAX_SIDE and 1 <= height <= LOGO_MAX_SIDE):
        raise LogoError(f"PNG of {width}×{height} pixels: width and height must be 1 to {LOGO_MAX_SIDE}")


def _check_svg(data: bytes) -> None:
    # expat is the parser under xml.etree; used directly so a DOCTYPE is refused the moment it starts, before any
    # entity could be declared or expanded.
    parser = expat.ParserCreate(namespace_separator=" ")
    root: list[str] = []

    def doctype(*_: Any) -> None:
        raise LogoError("SVG file with a DOCTYPE: not allowed (remove the <!DOCTYPE …> part; a logo never needs "
                        "entities)")

    def start(name: str, _attrs: Any) -> None:
        if not root:
            root.append(name)

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.StartElementHandler = start
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise LogoError(f"not an SVG file: not well-formed XML ({exc})") from None
    if not root:
        raise LogoError("not an SVG file: no XML element in it")
    namespace, _, local = root[0].rpartition(" ")
    if local != "svg" or namespace not in ("", SVG_NAMESPACE):
        raise LogoError(f"not an SVG file: the root element is <{local}>, not <svg>")


def read_logo(path: Path) -> BrandLogo:
    """Read and check a logo file once; LogoError says why it is refused (the caller names the file)."""
    kind = logo_type(path)
    try:
        size = path.stat().st_size
        if size > LOGO_MAX_BYTES:  # say so without reading a huge file into memory
            raise LogoError(f"larger than {LOGO_MAX_BYTES} bytes ({size} bytes)")
        data = path.read_bytes()
    except FileNotFoundError:
        raise LogoError("file not found") from None
    except OSError as exc:
        raise LogoError(f"cannot read it ({exc.strerror})") from None
    check_logo(kind, data)
    return BrandLogo(kind, data)
