"""Readers for the block-list formats parents and distributors actually have, each yielding normalised domains.

Formats (`FORMATS`):

* ``hosts``    — ``0.0.0.0 a.com b.com  # comment``; local names (localhost, broadcasthost...) are skipped.
* ``domains``  — one name a line, ``#`` comments.
* ``adblock``  — ``||domain^`` network rules; cosmetic (``##``), exception (``@@``), path and option rules are
  skipped and counted, ``!`` lines and ``[Adblock Plus 2.0]`` headers are comments.
* ``wildcard`` — ``*.domain`` or ``domain`` a line (the index always matches subdomains, so both mean the same).
* ``ut1``      — the Université Toulouse 1 layout: ``<root>/<category>/domains``, one name a line. Folders map
  to Sprout's categories (``drogue`` → drugs, ``vpn`` → bypass ... see UT1_TO_SPROUT); others keep their name
  with ``_`` turned into ``-``. PATH may also be one category folder, named by ``--category``.

A bad line never stops an import: it is counted and the first few are kept as ``file:line: reason``.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from agent.dns.index import DomainError, normalize_domain

FORMATS = ("hosts", "domains", "adblock", "wildcard", "ut1")
MAX_EXAMPLES = 5
_PROGRESS_EVERY = 1 << 20  # bytes between progress calls
_CATEGORY = re.compile(r"^[a-z][a-z0-9-]{0,39}$")
# Names every hosts file maps to itself; they are not blocks.
_LOCAL_HOSTS = frozenset({
    "localhost", "localhost.localdomain", "local", "broadcasthost", "ip6-localhost", "ip6-loopback",
    "ip6-localnet", "ip6-mcastprefix", "ip6-allnodes", "ip6-allrouters", "ip6-allhosts", "0.0.0.0",
})
_ADBLOCK_RULE = re.compile(r"^\|\|([^/^$|*]+)\^?(?:\$(.*))?$")
# Options that still mean "block the whole name" for a DNS filter (AdGuard Home reads them the same way).
_ADBLOCK_WHOLE_NAME_OPTIONS = frozenset({"", "important", "all", "document", "doc", "popup"})

ProgressFn = Callable[[int, int], None]
# Lower-case multi-label names whose last label starts with a letter need no further normalising.
_QUICK_NAME = re.compile(r"^(?=.{1,253}$)(?:(?!-)[a-z0-9_-]{1,63}(?<!-)\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$")


class ListImportError(ValueError):
    """The list cannot be imported at all (missing file, unknown format, empty UT1 folder)."""


@dataclass
class ImportReport:
    """What one import read: accepted names, skipped lines (not errors), bad lines with the first few shown."""

    path: Path
    fmt: str
    categories: dict[str, int] = field(default_factory=dict)  # category -> names accepted from this import
    lines: int = 0
    accepted: int = 0
    skipped: int = 0  # comments, blank lines, rules that are not whole-domain blocks, local host names,
    #   bare IP addresses
    bad: int = 0
    bad_examples: list[str] = field(default_factory=list)
    new_names: int = 0  # filled in by the list store: names it did not hold before
    total_names: int = 0  # filled in by the list store: names in the category after the import

    def add_bad(self, where: str, reason: str) -> None:
        self.bad += 1
        if len(self.bad_examples) < MAX_EXAMPLES:
            self.bad_examples.append(f"{where}: {reason}")

    def summary_lines(self) -> list[str]:
        lines = [f"{self.path} ({self.fmt}): {self.accepted} names accepted, {self.skipped} lines skipped, "
                 f"{self.bad} bad / {self.accepted} tên miền nhận, {self.skipped} dòng bỏ qua, {self.bad} dòng lỗi"]
        lines.extend(f"  {example}" for example in self.bad_examples)
        if self.bad > len(self.bad_examples):
            lines.append(f"  ... and {self.bad - len(self.bad_examples)} more bad lines / "
                         f"và {self.bad - len(self.bad_examples)} dòng lỗi khác")
        return lines


def read_list(path: Path, fmt: str, category: str | None, report: ImportReport,
              progress: ProgressFn | None = None) -> Iterator[tuple[str, str]]:
    """Yield (domain, category) from a list file (or a UT1 root folder), updating `report` as it goes.

    `category` is required except for ut1, where None means every category folder under the root.
    `progress(done_bytes, total_bytes)` is called about every MiB and once at the end."""
    path = Path(path)
    if fmt not in FORMATS:
        raise ListImportError(f"--format {fmt!r}: use one of {', '.join(FORMATS)}")
    if category is not None and not _CATEGORY.match(category):
        raise ListImportError(f"--category {category!r}: use lower-case letters, digits and '-' "
                           "(at most 40, starting with a letter), e.g. adult")
    if fmt == "ut1":
        yield from _read_ut1(path, category, report, progress)
        return
    if category is None:
        raise ListImportError(f"--category: needed for the {fmt} format (only ut1 takes categories from folders)")
    if path.is_dir():
        raise ListImportError(f"{path}: is a folder; only the ut1 format reads folders")
    if not path.is_file():
        raise ListImportError(f"{path}: no such file")
    parse = _PARSERS[fmt]
    total = path.stat().st_size
    for name in _read_lines(path, parse, report, progress, 0, total):
        report.categories[category] = report.categories.get(category, 0) + 1
        yield name, category


def _read_ut1(root: Path, category: str | None, report: ImportReport,
              progress: ProgressFn | None) -> Iterator[tuple[str, str]]:
    if not root.is_dir():
        raise ListImportError(f"{root}: not a folder (the ut1 format reads <root>/<category>/domains)")
    if (root / "domains").is_file():
        # PATH is one category folder, e.g. blacklists/drogue: --category names its Sprout category
        folders = [(category or ut1_category(root.name), root / "domains")]
    else:
        folders = sorted((ut1_category(d.name), d / "domains") for d in root.iterdir()
                         if d.is_dir() and (d / "domains").is_file())
        if category is not None:
            folders = [(name, file) for name, file in folders if name == category]
    if not folders:
        wanted = f" for category {category!r}" if category else ""
        raise ListImportError(f"{root}: no <category>/domains files found{wanted}")
    for name, file in folders:
        if not _CATEGORY.match(name):
            raise ListImportError(f"{file.parent}: folder name {name!r} cannot be a category name "
                                  "(lower-case letters, digits and '-'); import it alone with --category")
    total = sum(file.stat().st_size for _name, file in folders)
    done = 0
    for name, file in folders:
        for domain in _read_lines(file, _parse_domain_line, report, progress, done, total):
            report.categories[name] = report.categories.get(name, 0) + 1
            yield domain, name
        done += file.stat().st_size


# UT1 folder -> the shipped Sprout category it feeds (docs/categories.md); other folders keep their own name
# with '_' turned into '-'.
UT1_TO_SPROUT = {
    "drogue": "drugs", "suicide": "self-harm", "social_networks": "social", "chat": "chat-strangers",
    "vpn": "bypass", "strong_redirector": "bypass", "redirector": "bypass", "doh": "bypass",
    "phishing": "malware", "audio-video": "video",
}


def ut1_category(folder: str) -> str:
    """The Sprout category for a UT1 folder name."""
    name = folder.lower()
    return UT1_TO_SPROUT.get(name, name.replace("_", "-"))


# A line parser returns the names on a line (possibly none) or raises DomainError/ValueError with a reason;
# returning None means "skipped, not an error" (comment, rule that is not a whole-domain block).
LineParser = Callable[[str], "list[str] | None"]


def _read_lines(path: Path, parse: LineParser, report: ImportReport, progress: ProgressFn | None,
                offset: int, total: int) -> Iterator[str]:
    done = 0
    next_report = _PROGRESS_EVERY
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            done += len(raw)
            report.lines += 1
            if progress is not None and done >= next_report:
                progress(offset + done, total)
                next_report = done + _PROGRESS_EVERY
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                report.add_bad(f"{path}:{number}", "not UTF-8 text")
                continue
            if number == 1 and line.startswith("\ufeff"):
                line = line[1:]
            try:
                names = parse(line)
            except ValueError as exc:
                report.add_bad(f"{path}:{number}", str(exc))
                continue
            if names is None:
                report.skipped += 1
                continue
            for name in names:
                report.accepted += 1
                yield name
    if progress is not None:
        progress(offset + done, total)


def _parse_domain_line(line: str) -> list[str] | None:
    text = line.strip()
    if "#" in text:
        text = text.split("#", 1)[0].strip()
    if not text:
        return None
    if _QUICK_NAME.match(text):  # already a plain lower-case name: most lines of big lists
        return [text]
    if len(text.split()) > 1:
        raise DomainError(f"{_short(text)}: expected one name a line")
    if _is_ip(text):
        return None  # UT1 and others list bare addresses; a DNS filter cannot block those, so not an error
    return [normalize_domain(text)]


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _parse_wildcard_line(line: str) -> list[str] | None:
    text = line.split("#", 1)[0].strip()
    if not text:
        return None
    if text.startswith("*."):
        text = text[2:]
    elif text.startswith("."):  # dnsmasq/squid style ".example.com" means the same
        text = text[1:]
    return _parse_domain_line(text)


def _parse_hosts_line(line: str) -> list[str] | None:
    text = line.split("#", 1)[0].strip()
    if not text:
        return None
    fields = text.split()
    try:
        ipaddress.ip_address(fields[0].split("%", 1)[0])
    except ValueError:
        raise DomainError(f"{_short(fields[0])} is not an IP address (hosts lines start with one)") from None
    if len(fields) == 1:
        raise DomainError("an address with no host name after it")
    names = []
    for field_text in fields[1:]:
        lowered = field_text.lower().rstrip(".")
        if lowered in _LOCAL_HOSTS:
            continue
        names.append(normalize_domain(lowered))
    return names or None


def _parse_adblock_line(line: str) -> list[str] | None:
    text = line.strip()
    if not text or text.startswith("!") or (text.startswith("[") and text.endswith("]")):
        return None
    if not text.startswith("||"):
        return None  # cosmetic (##, #@#), exception (@@), regex and plain URL-part rules: not a DNS block
    found = _ADBLOCK_RULE.match(text)
    if found is None:
        return None  # ||host/path^ and wildcard rules block less than a whole name
    options = found.group(2)
    if options is not None and any(o.strip().lower() not in _ADBLOCK_WHOLE_NAME_OPTIONS
                                   for o in options.split(",")):
        return None  # $third-party, $script, $domain=...: narrower than a whole name
    return [normalize_domain(found.group(1))]


def _short(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "...")


_PARSERS: dict[str, LineParser] = {
    "hosts": _parse_hosts_line,
    "domains": _parse_domain_line,
    "adblock": _parse_adblock_line,
    "wildcard": _parse_wildcard_line,
}


def size_of(path: Path) -> int:
    """Bytes an import will read (a UT1 root counts all its domains files), for deciding on a progress bar."""
    path = Path(path)
    if path.is_file():
        return path.stat().st_size
    total = 0
    if path.is_dir():
        for folder, _dirs, files in os.walk(path):
            if "domains" in files:
                total += os.path.getsize(os.path.join(folder, "domains"))
    return total
