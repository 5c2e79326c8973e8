"""The agent's block lists on disk: what parents imported, per category, plus the shipped seed lists, and the
one combined category index the DNS filter maps.

Layout under the state folder::

    lists/<category>.txt.gz   imported names of one category, sorted and unique (the source of truth)
    lists.json                import history, name counts, and what the current index was built from
    index.bin                 the combined CategoryIndex (rebuildable at any time from the files above)

Every file is replaced atomically (temp file, fsync, rename): a failed or interrupted import leaves the
previous lists and index exactly as they were.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from agent.dns.importers import ImportReport, ListImportError, ProgressFn, read_list
from agent.dns.index import CategoryIndex, IndexFileError, IndexStats, build_index
from agent.fileio import atomic_writer
from agent.os.file_lock import make_file_lock
from agent.resources import resource_path

_exclusive_lock = make_file_lock()  # the OS adapter: flock on POSIX, msvcrt.locking on Windows

INDEX_FILE = "index.bin"
META_FILE = "lists.json"
LISTS_DIR = "lists"
_SUFFIX = ".txt.gz"
_HISTORY_KEPT = 50
_CATEGORY = re.compile(r"^[a-z][a-z0-9-]{0,39}$")


class ListStore:
    """Imported lists per category + the shipped lists under resources/categories/ (+ a signed update's set,
    which adds to them), and their combined index."""

    def __init__(self, state_dir: Path, shipped_root: Path | None = None,
                 extra_roots: tuple[Path, ...] = ()) -> None:
        self.state_dir = Path(state_dir)
        self.shipped_root = Path(shipped_root) if shipped_root is not None else resource_path("categories")
        self.extra_roots = tuple(Path(r) for r in extra_roots)
        self.lists_dir = self.state_dir / LISTS_DIR
        self.index_path = self.state_dir / INDEX_FILE
        self.meta_path = self.state_dir / META_FILE

    # ----- importing

    def import_file(self, path: Path, fmt: str, category: str | None,
                    progress: ProgressFn | None = None,
                    on_phase: Callable[[str], None] | None = None) -> ImportReport:
        """Read a list, merge it into its category (or, for ut1, each category folder), rebuild the index.

        Raises ListImportError for a file that cannot be read at all; bad lines are only counted."""
        path = Path(path)
        report = ImportReport(path=path, fmt=fmt)
        found: dict[str, list[str]] = {}
        for name, cat in read_list(path, fmt, category, report, progress):
            bucket = found.get(cat)
            if bucket is None:
                bucket = found[cat] = []
            bucket.append(name)
        with self._locked():  # reading took long; the merge and rebuild must not interleave with another import
            return self._merge(path, fmt, report, found, on_phase)

    def _merge(self, path: Path, fmt: str, report: ImportReport, found: dict[str, list[str]],
               on_phase: Callable[[str], None] | None) -> ImportReport:
        meta = self._load_meta()
        if found:
            if on_phase:
                on_phase("merge")
            self.lists_dir.mkdir(parents=True, exist_ok=True)
            for cat, names in found.items():
                read_from_import = len(names)
                if self._category_file(cat).exists():
                    names.extend(self._read_category(cat))
                before = len(names) - read_from_import  # the stored file holds each name once
                names.sort()
                count = self._write_category(cat, names)
                meta["categories"][cat] = {"names": count, "updated": int(time.time())}
                report.new_names += count - before
                report.total_names += count
                del names[:]
        meta["imports"].append({
            "path": str(path.resolve()), "format": fmt, "when": int(time.time()),
            "categories": report.categories, "accepted": report.accepted, "skipped": report.skipped,
            "bad": report.bad, "new": report.new_names,
        })
        meta["imports"] = meta["imports"][-_HISTORY_KEPT:]
        self._save_meta(meta)
        if found or not self.index_path.exists():
            if on_phase:
                on_phase("index")
            self._rebuild()
        return report

    # ----- the index

    def rebuild(self, progress: ProgressFn | None = None) -> IndexStats:
        """Build index.bin from every imported and shipped list; imported categories win on overlap."""
        with self._locked():
            return self._rebuild(progress)

    def _rebuild(self, progress: ProgressFn | None = None) -> IndexStats:
        stats = build_index(self._all_entries(), self.index_path, progress=progress)
        meta = self._load_meta()
        meta["index"] = {"sources": self._sources_signature(), "entries": stats.entries,
                         "collisions": stats.fingerprint_collisions, "duplicates": stats.duplicates,
                         "built": int(time.time()), "seconds": round(stats.seconds, 3)}
        self._save_meta(meta)
        return stats

    def index(self) -> CategoryIndex:
        """The combined index, rebuilt first when it is missing, corrupt, or older than its lists."""
        meta = self._load_meta()
        fresh = meta.get("index", {}).get("sources") == self._sources_signature()
        if fresh and self.index_path.exists():
            try:
                return CategoryIndex.open(self.index_path)
            except IndexFileError:
                pass  # every name is still in the lists: rebuild below
        with self._locked():
            # another process may have rebuilt it while this one waited for the lock
            if self._load_meta().get("index", {}).get("sources") != self._sources_signature():
                self._rebuild()
            try:
                return CategoryIndex.open(self.index_path)
            except (IndexFileError, FileNotFoundError):
                self._rebuild()
                return CategoryIndex.open(self.index_path)

    def stats(self) -> dict[str, Any]:
        meta = self._load_meta()
        shipped: dict[str, int] = {}
        for name, file in self._shipped_files():
            shipped[name] = shipped.get(name, 0) + sum(1 for _ in self._read_shipped(file))
        imported = {name: info.get("names", 0) for name, info in meta["categories"].items()
                    if self._category_file(name).exists()}
        categories = {name: {"imported": imported.get(name, 0), "shipped": shipped.get(name, 0)}
                      for name in sorted(set(shipped) | set(imported))}
        index_meta = meta.get("index", {})
        exists = self.index_path.exists()
        return {
            "state_dir": str(self.state_dir),
            "categories": categories,
            "imported_names": sum(imported.values()),
            "shipped_names": sum(shipped.values()),
            "index": {
                "path": str(self.index_path), "exists": exists,
                "bytes": self.index_path.stat().st_size if exists else 0,
                "entries": index_meta.get("entries", 0) if exists else 0,
                "fingerprint_collisions": index_meta.get("collisions", 0) if exists else 0,
                "up_to_date": exists and index_meta.get("sources") == self._sources_signature(),
                "built": index_meta.get("built"),
            },
            "imports": meta["imports"][-10:],
        }

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """One writer at a time across processes (an OS file lock, released even if the process dies)."""
        self.state_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.state_dir / ".lock", os.O_CREAT | os.O_RDWR, 0o600)
        try:
            _exclusive_lock(fd)
            yield
        finally:
            os.close(fd)  # closing the descriptor releases the lock

    # ----- files

    def entries(self) -> Iterator[tuple[str, str]]:
        """Every (name, category): imported lists first, then the shipped ones (and a signed update's)."""
        return self._all_entries()

    def _all_entries(self) -> Iterator[tuple[str, str]]:
        if self.lists_dir.is_dir():
            for file in sorted(self.lists_dir.glob("*" + _SUFFIX)):
                cat = file.name[:-len(_SUFFIX)]
                for name in self._read_category(cat):
                    yield name, cat
        for cat, file in self._shipped_files():
            for name in self._read_shipped(file):
                yield name, cat

    def _shipped_files(self) -> list[tuple[str, Path]]:
        """Category folders shipped so far; the folder may still be filling up, so take whatever is there."""
        found = []
        for root in (self.shipped_root, *self.extra_roots):
            if not root.is_dir():
                continue
            for folder in sorted(root.iterdir()):
                file = folder / "domains"
                if folder.is_dir() and file.is_file() and _CATEGORY.match(folder.name):
                    found.append((folder.name, file))
        return found

    @staticmethod
    def _read_shipped(file: Path) -> Iterator[str]:
        report = ImportReport(path=file, fmt="domains")
        try:
            for name, _cat in read_list(file, "domains", "shipped", report):
                yield name
        except ListImportError:
            return  # a folder that is being written right now; its names come with the next rebuild

    def _category_file(self, category: str) -> Path:
        return self.lists_dir / f"{category}{_SUFFIX}"

    def _read_category(self, category: str) -> Iterator[str]:
        with gzip.open(self._category_file(category), "rt", encoding="ascii") as fh:
            for line in fh:
                yield line.rstrip("\n")

    def _write_category(self, category: str, sorted_names: list[str]) -> int:
        """Write sorted names once each; returns how many."""
        count = 0
        with _atomic(self._category_file(category)) as raw, \
                gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=3, mtime=0) as fh:
            previous = None
            chunk: list[str] = []
            for name in sorted_names:
                if name != previous:
                    chunk.append(name)
                    previous = name
                    count += 1
                    if len(chunk) >= 65536:
                        fh.write(("\n".join(chunk) + "\n").encode("ascii"))
                        chunk.clear()
            if chunk:
                fh.write(("\n".join(chunk) + "\n").encode("ascii"))
        return count

    def _sources_signature(self) -> list[list[Any]]:
        files = []
        if self.lists_dir.is_dir():
            files.extend(sorted(self.lists_dir.glob("*" + _SUFFIX)))
        files.extend(file for _cat, file in self._shipped_files())
        signature = []
        for file in files:
            st = file.stat()
            signature.append([str(file), st.st_size, st.st_mtime_ns])
        return signature

    def _load_meta(self) -> dict[str, Any]:
        try:
            meta = json.loads(self.meta_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            meta = {}
        except (OSError, ValueError):
            # A damaged lists.json loses only history and counts; the lists themselves are the category files.
            meta = {}
        if not isinstance(meta, dict):
            meta = {}
        meta.setdefault("categories", {})
        meta.setdefault("imports", [])
        if not isinstance(meta["categories"], dict) or not isinstance(meta["imports"], list):
            meta["categories"], meta["imports"] = {}, []
        return meta

    def _save_meta(self, meta: dict[str, Any]) -> None:
        self.state_dir.mkdir(parents=True, exist_ok=True)
        with _atomic(self.meta_path) as fh:
            fh.write(json.dumps(meta, indent=1, sort_keys=True).encode("utf-8"))


def _atomic(target: Path) -> Any:
    """A binary file that replaces `target` only if the block finishes (agent.fileio.atomic_writer)."""
    return atomic_writer(target, 0o600)
