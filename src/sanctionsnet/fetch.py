"""Getting a publication's files: from the official URL, or from a local mirror folder.

Air-gapped installations copy the official files into a folder and run
``sanctionsnet update --mirror DIR``; the same file names are looked up there
(also in a sub-folder named after the source id), case-insensitively.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import httpx

from sanctionsnet.errors import FetchError
from sanctionsnet.sources.base import Source

USER_AGENT = "sanctionsnet/0.1 (+https://github.com/sanctionsnet/sanctionsnet)"


def find_in_mirror(source: Source, mirror: Path) -> list[Path]:
    """The official files of `source` present in `mirror` (or `mirror/<source id>`)."""
    if not mirror.is_dir():
        raise FetchError(f"mirror folder not found: {mirror}")
    wanted = {name.lower(): name for name in source.official_files}
    found: dict[str, Path] = {}
    for folder in (mirror / source.id, mirror):
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            key = path.name.lower()
            if path.is_file() and key in wanted and key not in found:
                found[key] = path
        if found:
            break
    if not found:
        names = ", ".join(source.official_files)
        raise FetchError(f"{source.id}: none of {names} found in mirror {mirror}")
    chosen = source.select_official([p.name for p in found.values()])
    chosen_keys = {c.lower() for c in chosen}
    return [p for k, p in found.items() if k in chosen_keys]


def download(source: Source, target: Path | None = None, timeout: float = 120.0) -> list[Path]:
    """Download the official files of `source` into `target` (a new temp folder by default)."""
    if not source.official_files:
        raise FetchError(f"{source.id} has no official download URL; import its files instead")
    folder = target or Path(tempfile.mkdtemp(prefix=f"sanctionsnet-{source.id}-"))
    paths: list[Path] = []
    headers = {"User-Agent": USER_AGENT}
    with httpx.Client(follow_redirects=True, timeout=timeout, headers=headers) as client:
        for name in source.select_official(list(source.official_files)):
            url = source.official_files[name]
            dest = folder / name
            try:
                with client.stream("GET", url) as response:
                    response.raise_for_status()
                    with dest.open("wb") as fh:
                        for chunk in response.iter_bytes():
                            fh.write(chunk)
            except httpx.HTTPError as exc:
                raise FetchError(
                    f"{source.id}: could not download {name} from {url}: {exc}. "
                    "Without internet access, use --mirror DIR with the official files."
                ) from exc
            paths.append(dest)
    return paths
