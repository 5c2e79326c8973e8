"""What an executable says about itself: the ELF build-id note, the PE version resource.

Both survive renaming and copying, and the build-id also survives bytes appended to the file (which change its
fingerprint). Parsed with maintained libraries (pyelftools, pefile), never by hand; any file they cannot read is
simply "no metadata". Reading is cheap (headers and one note or resource), and the caller caches per file.
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)

# PE version-info strings that name a product or its original file (they survive a renamed .exe)
PE_KEYS = ("ProductName", "FileDescription", "OriginalFilename", "InternalName", "CompanyName")
MAX_VALUE = 200


def elf_build_id(path: str) -> str | None:
    """The GNU build-id (hex) of an ELF file, or None (not ELF, no note, unreadable)."""
    try:
        with open(path, "rb") as f:
            if f.read(4) != b"\x7fELF":
                return None
            f.seek(0)
            from elftools.common.exceptions import ELFError
            from elftools.elf.elffile import ELFFile

            try:
                elf = ELFFile(f)
                for segment in elf.iter_segments():  # PT_NOTE: kept in stripped binaries, unlike section names
                    if segment["p_type"] != "PT_NOTE":
                        continue
                    for note in segment.iter_notes():
                        if note["n_type"] == "NT_GNU_BUILD_ID" and isinstance(note["n_desc"], str):
                            return note["n_desc"].lower()
            except (ELFError, ValueError, KeyError, AttributeError, TypeError, UnicodeDecodeError) as exc:
                log.debug("ELF notes of %s unreadable: %s", path, exc)
    except OSError:
        return None
    return None


def pe_version_info(path: str) -> dict[str, str] | None:
    """The version resource's strings (ProductName, OriginalFilename…) of a PE file, or None."""
    try:
        with open(path, "rb") as f:
            if f.read(2) != b"MZ":
                return None
    except OSError:
        return None
    import pefile

    pe: Any = None
    try:
        pe = pefile.PE(path, fast_load=True)
        pe.parse_data_directories(directories=[pefile.DIRECTORY_ENTRY["IMAGE_DIRECTORY_ENTRY_RESOURCE"]])
        out: dict[str, str] = {}
        for info in getattr(pe, "FileInfo", None) or []:
            for entry in info:
                if getattr(entry, "Key", b"") != b"StringFileInfo":
                    continue
                for table in entry.StringTable:
                    for key, value in table.entries.items():
                        k = key.decode("utf-8", "replace")
                        if k in PE_KEYS:
                            v = value.decode("utf-8", "replace").strip().strip("\0")[:MAX_VALUE]
                            if v:
                                out.setdefault(k, v)
        return out or None
    except (pefile.PEFormatError, OSError, ValueError, AttributeError, IndexError, KeyError, TypeError) as exc:
        log.debug("PE version info of %s unreadable: %s", path, exc)
        return None
    finally:
        if pe is not None:
            pe.close()


def identity_key(path: str) -> str | None:
    """A key naming what the file *is* beyond its bytes: 'elf:<build-id>', or 'pe:<product>|<original file>|
    <company>' from the version resource. None when the file carries neither."""
    build_id = elf_build_id(path)
    if build_id:
        return f"elf:{build_id}"
    info = pe_version_info(path)
    if info and (info.get("ProductName") or info.get("OriginalFilename")):
        parts = (info.get("ProductName", ""), info.get("OriginalFilename", ""), info.get("CompanyName", ""))
        return "pe:" + "|".join(p.lower() for p in parts)
    return None
