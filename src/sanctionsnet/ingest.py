"""Import pipeline: files of a publication -> parsed entities -> a stored version."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path

from sanctionsnet.fetch import download, find_in_mirror
from sanctionsnet.sources import get_source, read_publication
from sanctionsnet.store import ImportResult, Store

_FULL_DATE_RE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_MONTH_RE = re.compile(r"(?<!\d)(\d{4})-(\d{2})(?![\d-])")


def date_from_path(path: Path) -> date | None:
    """A publication date written in a file or folder name ('2024-05-03_sdn', '2021-07_set').

    Legacy OFAC CSVs and the CSL carry no date inside; mirrors and archives usually
    name their folders by date. A month alone gives the first of that month.
    """
    for part in (path.name, path.parent.name):
        match = _FULL_DATE_RE.search(part)
        if match:
            try:
                return date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                continue
        match = _MONTH_RE.search(part)
        if match and 1 <= int(match[2]) <= 12:
            return date(int(match[1]), int(match[2]), 1)
    return None


def infer_published(
    paths: Sequence[Path], given: date | None, given_basis: str = "argument"
) -> tuple[date | None, str]:
    """Publication date for a format without one inside, and how it was found."""
    if given is not None:
        return given, given_basis
    for path in paths:
        found = date_from_path(path)
        if found:
            return found, "path"
    mtimes = [p.stat().st_mtime for p in paths if p.exists()]
    if mtimes:
        return datetime.fromtimestamp(max(mtimes), UTC).date(), "file-mtime"
    return None, "unknown"


def import_files(
    store: Store,
    source_id: str,
    paths: Sequence[Path],
    *,
    dataset: str | None = None,
    published: date | None = None,
    published_basis: str = "argument",
    allow_shrink: bool = False,
) -> ImportResult:
    """Parse and store one publication; the store is untouched if anything fails."""
    publication = read_publication(source_id, list(paths), dataset=dataset)
    if publication.info.published is None:
        pub_date, basis = infer_published(paths, published, published_basis)
    else:
        pub_date, basis = publication.info.published, "file"
    return store.import_publication(
        publication, allow_shrink=allow_shrink, published=pub_date, published_basis=basis
    )


def update_source(
    store: Store,
    source_id: str,
    *,
    mirror: Path | None = None,
    allow_shrink: bool = False,
) -> ImportResult:
    """Fetch the official files of `source_id` (or take them from `mirror`) and import them."""
    source = get_source(source_id)
    if mirror is not None:
        paths = find_in_mirror(source, mirror)
        return import_files(store, source_id, paths, allow_shrink=allow_shrink)
    paths = download(source)
    today = datetime.now(UTC).date()
    return import_files(
        store,
        source_id,
        paths,
        published=today,
        published_basis="retrieved",
        allow_shrink=allow_shrink,
    )
