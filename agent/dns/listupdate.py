"""Signed category-list updates from a configured source (an https URL or a local folder), with rollback.

A source holds:
    manifest.json       {"format": 1, "version": N, "files": {"<category>": {"sha256": hex, "size": n}}}
    manifest.json.sig   the Ed25519 signature of manifest.json's exact bytes (raw 64 bytes, or base64 text)
    <category>.txt      one domain a line ('#' comments allowed)

An update is used only if the manifest's signature verifies with the configured public key, its version is
higher than the installed one (an old, validly signed set cannot be replayed), and every file matches its
size and hash and holds only valid domain names. It is unpacked into a fresh folder and switched in by
renaming one symlink, so the DNS filter sees the old set or the new one, never half of each. The set before
stays as `previous`: a set found damaged on disk later is rolled back to it (check_and_repair).

Layout under STATE/list-updates/:  sets/v<N>/<category>/domains (the layout ListStore reads shipped lists in),
current -> sets/v<N>, previous -> sets/v<M>, and each set's manifest.json + manifest.json.sig.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import contextlib
import hashlib
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from agent.errors import CliError

UPDATES_DIR = "list-updates"
MANIFEST, SIGNATURE = "manifest.json", "manifest.json.sig"
MAX_MANIFEST_BYTES = 1_000_000
MAX_FILE_BYTES = 200_000_000
_CATEGORY = re.compile(r"^[a-z][a-z0-9-]{0,39}$")
FETCH_TIMEOUT_S = 60.0


class ListUpdateError(Exception):
    """A refused update (bad signature, older version, bad file) or an unusable source; says what and where."""


class Source(Protocol):
    def read(self, name: str, max_bytes: int) -> bytes: ...


class FolderSource:
    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def read(self, name: str, max_bytes: int) -> bytes:
        path = self.folder / name
        try:
            size = path.stat().st_size
            if size > max_bytes:
                raise ListUpdateError(f"{path}: {size} bytes is more than the {max_bytes} allowed")
            return path.read_bytes()
        except OSError as exc:
            raise ListUpdateError(f"{path}: cannot read: {exc.strerror}") from None


class HttpsSource:
    def __init__(self, url: str) -> None:
        if not url.startswith("https://"):
            raise ListUpdateError(f"source: {url}: only https:// URLs are accepted")
        self.url = url if url.endswith("/") else url + "/"

    def read(self, name: str, max_bytes: int) -> bytes:
        import requests

        url = self.url + name
        try:
            with requests.get(url, timeout=FETCH_TIMEOUT_S, stream=True) as resp:
                resp.raise_for_status()
                data = bytearray()
                for chunk in resp.iter_content(65536):
                    data += chunk
                    if len(data) > max_bytes:
                        raise ListUpdateError(f"{url}: more than the {max_bytes} bytes allowed")
                return bytes(data)
        except requests.RequestException as exc:
            raise ListUpdateError(f"{url}: {exc}") from None


def open_source(spec: str) -> Source:
    return HttpsSource(spec) if spec.startswith(("https://", "http://")) else FolderSource(Path(spec))


@dataclass(frozen=True)
class UpdateResult:
    version: int
    previous: int | None
    categories: dict[str, int]  # category -> names


def _set_version(link: Path) -> int | None:
    if not link.is_symlink():
        return None
    match = re.fullmatch(r"v(\d+)", Path(os.readlink(link)).name)
    return int(match.group(1)) if match else None


class ListUpdater:
    def __init__(self, state_dir: Path, public_key: bytes) -> None:
        if len(public_key) != 32:
            raise ListUpdateError("public key: must be a 32-byte Ed25519 key")
        self.root = Path(state_dir) / UPDATES_DIR
        self.key = Ed25519PublicKey.from_public_bytes(public_key)

    @property
    def current(self) -> Path:
        return self.root / "current"

    @property
    def previous(self) -> Path:
        return self.root / "previous"

    def current_version(self) -> int | None:
        return _set_version(self.current)

    def active_root(self) -> Path | None:
        """The folder ListStore should read as its shipped lists, or None when no update was installed."""
        return self.current.resolve() if self.current.is_symlink() else None

    # -- checking -------------------------------------------------------------------------------------------

    def _verified_manifest(self, data: bytes, sig: bytes, where: str) -> dict[str, Any]:
        signature = sig
        if len(sig) != 64:
            try:
                signature = base64.b64decode(sig.strip(), validate=True)
            except (binascii.Error, ValueError):
                raise ListUpdateError(f"{where}/{SIGNATURE}: neither 64 raw bytes nor base64") from None
        try:
            self.key.verify(signature, data)
        except InvalidSignature:
            raise ListUpdateError(f"{where}/{MANIFEST}: the signature does not verify with the configured key") \
                from None
        try:
            doc = json.loads(data)
        except ValueError as exc:
            raise ListUpdateError(f"{where}/{MANIFEST}: not JSON: {exc}") from None
        if not isinstance(doc, dict) or doc.get("format") != 1:
            raise ListUpdateError(f"{where}/{MANIFEST}: format: must be 1")
        version, files = doc.get("version"), doc.get("files")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise ListUpdateError(f"{where}/{MANIFEST}: version: must be a whole number ≥ 1")
        if not isinstance(files, dict) or not files:
            raise ListUpdateError(f"{where}/{MANIFEST}: files: must name at least one category")
        for category, meta in files.items():
            if not _CATEGORY.match(category):
                raise ListUpdateError(f"{where}/{MANIFEST}: files.{category}: not a category name")
            if not isinstance(meta, dict) or not isinstance(meta.get("sha256"), str) \
                    or not isinstance(meta.get("size"), int) or not 0 <= meta["size"] <= MAX_FILE_BYTES:
                raise ListUpdateError(f"{where}/{MANIFEST}: files.{category}: needs sha256 (hex) and size")
        return doc

    @staticmethod
    def _checked_names(data: bytes, meta: dict[str, Any], where: str) -> list[str]:
        from agent.dns.categories import normalize_domain

        if len(data) != meta["size"] or hashlib.sha256(data).hexdigest() != meta["sha256"].lower():
            raise ListUpdateError(f"{where}: size or SHA-256 differs from the signed manifest")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ListUpdateError(f"{where}: not UTF-8 text: {exc}") from None
        names = set()
        for number, line in enumerate(text.splitlines(), start=1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            name = normalize_domain(line)
            if name is None:
                raise ListUpdateError(f"{where}: line {number}: {line[:80]!r} is not a domain name")
            names.add(name)
        return sorted(names)

    # -- updating -------------------------------------------------------------------------------------------

    def update(self, source: Source, where: str = "source") -> UpdateResult:
        """Fetch, verify and switch to the source's set; on any problem nothing installed changes."""
        data = source.read(MANIFEST, MAX_MANIFEST_BYTES)
        sig = source.read(SIGNATURE, 1024)
        manifest = self._verified_manifest(data, sig, where)
        installed = self.current_version()
        if installed is not None and manifest["version"] <= installed:
            raise ListUpdateError(f"{where}/{MANIFEST}: version {manifest['version']} is not newer than the "
                                  f"installed {installed}; keeping the installed lists")
        sets = self.root / "sets"
        sets.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".incoming-", dir=sets))
        try:
            counts = {}
            for category, meta in sorted(manifest["files"].items()):
                raw = source.read(f"{category}.txt", MAX_FILE_BYTES)
                names = self._checked_names(raw, meta, f"{where}/{category}.txt")
                folder = staging / category
                folder.mkdir()
                (folder / "domains").write_text("".join(n + "\n" for n in names), encoding="ascii")
                (staging / f"{category}.txt.sha256").write_text(meta["sha256"].lower() + "\n", encoding="ascii")
                (staging / f"{category}.txt").write_bytes(raw)
                counts[category] = len(names)
            (staging / MANIFEST).write_bytes(data)
            (staging / SIGNATURE).write_bytes(sig)
            _fsync_tree(staging)
            final = sets / f"v{manifest['version']}"
            if final.exists():
                shutil.rmtree(final)  # a set left by an update that failed before its switch
            os.rename(staging, final)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        before = self.current_version()
        self._switch(final.name)
        self._prune()
        return UpdateResult(manifest["version"], before, counts)

    def _switch(self, set_name: str) -> None:
        old = os.readlink(self.current) if self.current.is_symlink() else None
        _replace_link(self.current, f"sets/{set_name}")
        if old is not None and Path(old).name != set_name:
            _replace_link(self.previous, old)

    def _prune(self) -> None:
        keep = {Path(os.readlink(link)).name for link in (self.current, self.previous) if link.is_symlink()}
        for folder in (self.root / "sets").iterdir():
            if folder.name not in keep and not folder.name.startswith(".incoming-"):
                shutil.rmtree(folder, ignore_errors=True)

    def rollback(self) -> int:
        """Go back to the previous set (e.g. after the new one turned out bad); returns its version."""
        if not self.previous.is_symlink():
            raise ListUpdateError(f"{self.previous}: there is no previous list set to go back to")
        target = os.readlink(self.previous)
        bad = os.readlink(self.current) if self.current.is_symlink() else None
        _replace_link(self.current, target)
        self.previous.unlink()
        if bad and Path(bad).name != Path(target).name:
            shutil.rmtree(self.root / bad, ignore_errors=True)
        return int(Path(target).name[1:])

    def verify_set(self, folder: Path) -> None:
        """Re-check an installed set: signature, and every file against the signed manifest."""
        manifest = self._verified_manifest((folder / MANIFEST).read_bytes(), (folder / SIGNATURE).read_bytes(),
                                           str(folder))
        for category, meta in manifest["files"].items():
            names = self._checked_names((folder / f"{category}.txt").read_bytes(), meta, f"{folder}/{category}.txt")
            listed = (folder / category / "domains").read_text(encoding="ascii").split()
            if listed != names:
                raise ListUpdateError(f"{folder}/{category}/domains: differs from the signed list")

    def check_and_repair(self) -> str:
        """At start: keep the current set if it still verifies, else roll back to the previous (or to the
        shipped lists when there is none). Returns what happened, for the log."""
        if not self.current.is_symlink():
            return "no list update installed; using the shipped lists"
        try:
            self.verify_set(self.current.resolve())
            return f"list set v{self.current_version()} verified"
        except (ListUpdateError, OSError) as exc:
            reason = str(exc)
        if self.previous.is_symlink():
            version = self.rollback()
            return f"list set damaged ({reason}); rolled back to v{version}"
        bad = self.current.resolve()
        self.current.unlink()
        shutil.rmtree(bad, ignore_errors=True)
        return f"list set damaged ({reason}); back to the shipped lists"


def _replace_link(link: Path, target: str) -> None:
    tmp = link.with_name(f".{link.name}.tmp")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    os.symlink(target, tmp)
    os.replace(tmp, link)  # rename is atomic: readers see the old target or the new one


def _fsync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


# -- `sprout-agent list-update` ------------------------------------------------------------------------------


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("list-update", help="fetch signed category lists from the configured source")
    p.add_argument("--state", type=Path, default=Path("/var/lib/sprout"))
    p.add_argument("--source", help="an https URL or a folder (default: oem.toml's [lists] source)")
    p.add_argument("--public-key", help="base64 Ed25519 key (default: oem.toml's [lists] public_key)")
    p.add_argument("--rollback", action="store_true", help="go back to the previous list set")
    p.set_defaults(func=_cmd)


def _cmd(args: argparse.Namespace) -> int:
    from agent.oem import OemError, load_oem

    source, key = args.source, None
    try:
        config = load_oem()
    except OemError as exc:
        raise CliError(f"list-update: {exc}") from None
    if args.public_key:
        try:
            key = base64.b64decode(args.public_key, validate=True)
        except (binascii.Error, ValueError):
            raise CliError("list-update: --public-key: must be base64") from None
    elif config and config.list_public_key:
        key = config.list_public_key
    source = source or (config.list_source if config else None)
    if key is None:
        raise CliError("list-update: --public-key: none given and oem.toml has no [lists] public_key")
    try:
        updater = ListUpdater(args.state, key)
        if args.rollback:
            print(f"rolled back to list set v{updater.rollback()}")
            return 0
        if not source:
            raise CliError("list-update: --source: none given and oem.toml has no [lists] source")
        result = updater.update(open_source(source), where=source)
    except ListUpdateError as exc:
        raise CliError(f"list-update: {exc}") from None
    total = sum(result.categories.values())
    print(f"list set v{result.version} installed ({len(result.categories)} categories, {total} names)")
    return 0
