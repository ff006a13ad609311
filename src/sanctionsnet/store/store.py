"""The entity store: every imported publication as an immutable snapshot.

Layout under the home directory::

    catalog.json                      the single source of truth (versions, current)
    lock                              flock'ed by writers
    datasets/<name>/<version>/        entities.parquet + manifest.json, never modified

A new snapshot is written into a hidden temporary folder, fsync'ed, renamed into
place, and only then committed by atomically replacing ``catalog.json``. A
process killed at any point leaves either the old catalog (the half-written
folder is ignored and swept later) or the new one; readers never see half an
update. Writers take an exclusive lock, so two imports at once are serialised.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import signal
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import orjson

from sanctionsnet.errors import StoreError
from sanctionsnet.sources import Publication
from sanctionsnet.store.snapshot import (
    ENTITIES_FILE,
    MANIFEST_FILE,
    StoredEntity,
    fsync_dir,
    read_entities,
    write_entities,
    write_json,
)
from sanctionsnet.store.stats import compute_stats

CATALOG_FILE = "catalog.json"
CATALOG_FORMAT = 1
#: Refuse a new current version with more than this share of entries fewer than the current one.
SHRINK_LIMIT = 0.20
# Test hook: name of a point at which the import process kills itself (see tests/store).
_FAULT_ENV = "SANCTIONSNET_FAULT"


@dataclass(frozen=True)
class Version:
    """A stored snapshot, as listed in the catalog."""

    dataset: str
    id: str
    source: str
    published: date | None
    published_basis: str
    imported_at: str
    content_hash: str
    format: str
    files: list[dict[str, Any]]
    stats: dict[str, Any]
    warnings: list[str] = field(default_factory=list)

    @property
    def entries(self) -> int:
        return int(self.stats.get("entries", 0))

    def sort_key(self) -> tuple[str, str]:
        return (self.published.isoformat() if self.published else "", self.imported_at)

    def to_json(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "id": self.id,
            "source": self.source,
            "published": self.published.isoformat() if self.published else None,
            "published_basis": self.published_basis,
            "imported_at": self.imported_at,
            "content_hash": self.content_hash,
            "format": self.format,
            "files": self.files,
            "stats": self.stats,
            "warnings": self.warnings,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Version:
        published = data.get("published")
        return cls(
            dataset=data["dataset"],
            id=data["id"],
            source=data["source"],
            published=date.fromisoformat(published) if published else None,
            published_basis=data.get("published_basis", "file"),
            imported_at=data["imported_at"],
            content_hash=data["content_hash"],
            format=data.get("format", ""),
            files=list(data.get("files", [])),
            stats=dict(data.get("stats", {})),
            warnings=list(data.get("warnings", [])),
        )


@dataclass(frozen=True)
class ImportResult:
    version: Version
    created: bool  # False when the same bytes were already stored
    current: bool  # whether this version is now the current one
    previous_current: str | None


def content_hash(files: list[dict[str, Any]]) -> str:
    """Identity of a publication: the checksums of its files, independent of names and order."""
    digest = hashlib.sha256()
    for checksum in sorted(f["sha256"] for f in files):
        digest.update(checksum.encode())
    return digest.hexdigest()


class Store:
    """Immutable, versioned snapshots of every list, with an atomically switched current version."""

    def __init__(self, home: Path) -> None:
        self.home = Path(home)

    # -- reading -------------------------------------------------------------

    @property
    def catalog_path(self) -> Path:
        return self.home / CATALOG_FILE

    def _read_catalog(self) -> dict[str, Any]:
        try:
            raw = self.catalog_path.read_bytes()
        except FileNotFoundError:
            return {"format": CATALOG_FORMAT, "datasets": {}}
        try:
            data: dict[str, Any] = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise StoreError(f"{self.catalog_path}: catalog is not valid JSON ({exc})") from exc
        return data

    def datasets(self) -> list[str]:
        return sorted(self._read_catalog()["datasets"])

    def versions(self, dataset: str) -> list[Version]:
        """Versions of `dataset`, oldest publication first."""
        entry = self._read_catalog()["datasets"].get(dataset)
        if entry is None:
            return []
        versions = [Version.from_json(v) for v in entry["versions"]]
        return sorted(versions, key=Version.sort_key)

    def current(self, dataset: str) -> Version | None:
        entry = self._read_catalog()["datasets"].get(dataset)
        if entry is None or not entry.get("current"):
            return None
        for v in entry["versions"]:
            if v["id"] == entry["current"]:
                return Version.from_json(v)
        raise StoreError(f"catalog names missing current version {entry['current']} of {dataset}")

    def version(self, dataset: str, version_id: str) -> Version:
        """A version by id, by unique id prefix, or by publication date (YYYY-MM-DD)."""
        versions = self.versions(dataset)
        if not versions:
            raise StoreError(f"no versions of {dataset!r} in the store")
        exact = [v for v in versions if v.id == version_id]
        if exact:
            return exact[0]
        by_date = [v for v in versions if v.published and v.published.isoformat() == version_id]
        if len(by_date) == 1:
            return by_date[0]
        prefixed = [v for v in versions if v.id.startswith(version_id)]
        if len(prefixed) == 1:
            return prefixed[0]
        known = ", ".join(v.id for v in versions)
        if len(by_date) > 1 or len(prefixed) > 1:
            raise StoreError(
                f"version {version_id!r} of {dataset} is ambiguous (versions: {known})"
            )
        raise StoreError(f"no version {version_id!r} of {dataset} (versions: {known})")

    def snapshot_dir(self, version: Version) -> Path:
        return self.home / "datasets" / version.dataset / version.id

    def entities(self, version: Version) -> Iterator[StoredEntity]:
        return read_entities(self.snapshot_dir(version) / ENTITIES_FILE)

    # -- writing -------------------------------------------------------------

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.home.mkdir(parents=True, exist_ok=True)
        with (self.home / "lock").open("a+") as fh:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh.fileno(), fcntl.LOCK_UN)

    def import_publication(
        self,
        publication: Publication,
        *,
        allow_shrink: bool = False,
        published: date | None = None,
        published_basis: str | None = None,
    ) -> ImportResult:
        """Store `publication` as a new immutable version, switching `current` if it is newest.

        The same bytes imported again make no new version. A version that would
        become current with more than 20 % fewer entries than the current one is
        refused unless `allow_shrink`. Older publications are kept as history
        without becoming current.
        """
        files = [{"name": f.name, "sha256": f.sha256, "size": f.size} for f in publication.files]
        chash = content_hash(files)
        pub_date = publication.info.published or published
        basis = "file" if publication.info.published else (published_basis or "unknown")
        dataset = publication.dataset
        with self._locked():
            self._sweep_temporaries(dataset)
            catalog = self._read_catalog()
            entry = catalog["datasets"].setdefault(dataset, {"current": None, "versions": []})
            for existing in entry["versions"]:
                if existing["content_hash"] == chash:
                    version = Version.from_json(existing)
                    return ImportResult(
                        version, False, entry["current"] == version.id, entry["current"]
                    )

            stats = compute_stats(e.entity for e in publication.entities)
            if publication.info.records is not None:
                stats["entries"] = publication.info.records
            now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            stamp = pub_date.strftime("%Y%m%d") if pub_date else "undated"
            version = Version(
                dataset=dataset,
                id=f"{stamp}-{chash[:10]}",
                source=publication.source.id,
                published=pub_date,
                published_basis=basis,
                imported_at=now,
                content_hash=chash,
                format=publication.info.format,
                files=files,
                stats=stats,
                warnings=list(publication.warnings),
            )
            versions = [Version.from_json(v) for v in entry["versions"]]
            current = next((v for v in versions if v.id == entry["current"]), None)
            becomes_current = current is None or version.sort_key() >= current.sort_key()
            if becomes_current and current is not None and not allow_shrink:
                floor = current.entries * (1 - SHRINK_LIMIT)
                if version.entries < floor:
                    raise StoreError(
                        f"{dataset}: refusing a version with {version.entries:,} entries, "
                        f"{1 - version.entries / max(current.entries, 1):.0%} fewer than the "
                        f"current {current.id} ({current.entries:,}); an implausible shrink "
                        "usually means a truncated or partial file. Use --allow-shrink if it is real."
                    )

            self._write_snapshot(version, publication)
            _fault("before-commit")
            entry["versions"].append(version.to_json())
            previous = entry["current"]
            if becomes_current:
                entry["current"] = version.id
            catalog["format"] = CATALOG_FORMAT
            self._commit_catalog(catalog)
            _fault("after-commit")
            return ImportResult(version, True, becomes_current, previous)

    def _write_snapshot(self, version: Version, publication: Publication) -> None:
        parent = self.home / "datasets" / version.dataset
        parent.mkdir(parents=True, exist_ok=True)
        tmp = parent / f".tmp-{version.id}-{uuid.uuid4().hex[:8]}"
        tmp.mkdir()
        rows = (
            StoredEntity(entity=e.entity, ref=e.ref, file=e.file.name, checksum=e.file.sha256)
            for e in publication.entities
        )
        write_entities(tmp / ENTITIES_FILE, rows)
        _fault("mid-snapshot")
        write_json(tmp / MANIFEST_FILE, version.to_json())
        fsync_dir(tmp)
        final = self.snapshot_dir(version)
        if final.exists():
            # Left by an import killed after the rename but before the commit.
            shutil.rmtree(final)
        os.rename(tmp, final)
        fsync_dir(parent)

    def _commit_catalog(self, catalog: dict[str, Any]) -> None:
        tmp = self.home / f".{CATALOG_FILE}.{uuid.uuid4().hex[:8]}.tmp"
        write_json(tmp, catalog)
        os.replace(tmp, self.catalog_path)
        fsync_dir(self.home)

    def _sweep_temporaries(self, dataset: str) -> None:
        """Remove what killed imports left behind: temp folders and uncommitted snapshots."""
        for stale in self.home.glob(f".{CATALOG_FILE}.*.tmp"):
            stale.unlink(missing_ok=True)
        parent = self.home / "datasets" / dataset
        if not parent.is_dir():
            return
        committed = {v.id for v in self.versions(dataset)}
        for child in parent.iterdir():
            if child.name.startswith(".tmp-") or (child.is_dir() and child.name not in committed):
                shutil.rmtree(child, ignore_errors=True)


def _fault(point: str) -> None:
    """Kill this process at `point` when the test hook asks for it (simulates a crash)."""
    if os.environ.get(_FAULT_ENV) == point:
        os.kill(os.getpid(), signal.SIGKILL)


def open_store(home: Path | None = None) -> Store:
    from sanctionsnet.config import home_dir

    return Store(home or home_dir())
