"""How this OS lays out and identifies programs, for recognising games by what they are (agent/catalog/content.py).

Windows: every program is a PE file with version resources worth reading, and a program is trusted by where it is
installed (Program Files, Windows), since folder ownership says little there. POSIX: programs are mostly ELF, and a
program is trusted when no one but root could have written it (the catalog walks owners and modes).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

TRUSTED_ROOTS_WINDOWS = ("/program files/", "/program files (x86)/", "/windows/")


@dataclass(frozen=True)
class ProgramConventions:
    pe_programs: bool  # every program is a PE file: look up its version resources, whatever its name
    trusted_roots: tuple[str, ...] | None  # normalised path prefixes that are trusted; None: trust by ownership


WINDOWS = ProgramConventions(pe_programs=True, trusted_roots=TRUSTED_ROOTS_WINDOWS)
POSIX = ProgramConventions(pe_programs=False, trusted_roots=None)


def program_conventions(platform: str | None = None) -> ProgramConventions:
    return WINDOWS if (platform or sys.platform) == "win32" else POSIX
