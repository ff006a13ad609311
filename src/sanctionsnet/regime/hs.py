"""The Harmonized System nomenclature, read at run time from the user's copy.

The HS tables (HS2017 and HS2022: chapters, headings and subheadings with their
descriptions) are not shipped with sanctionsnet. They are found, in order, in the
directory given explicitly (CLI `--hs-dir`), in `$SANCTIONSNET_HS_DIR`, in
`$SANCTIONSNET_SHARED_DATA/hs`, and in `../shared/data/hs` beside the repository.
Without them the checker still matches declared codes to measures by prefix; it only
cannot show what a code means or tell a mistyped code from a real one.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sanctionsnet.errors import SanctionsNetError

HS_DIR_ENV = "SANCTIONSNET_HS_DIR"
#: Newest first: a code is described from the newest edition that has it.
EDITIONS = ("HS2022", "HS2017")


class HSError(SanctionsNetError):
    """The nomenclature directory was named but cannot be read."""


@dataclass(frozen=True)
class HSEntry:
    code: str
    description: str
    level: int
    edition: str


@dataclass(frozen=True)
class HSInfo:
    """What a declared code means: its chapter, heading and subheading where known."""

    code: str
    chapter: HSEntry | None
    heading: HSEntry | None
    subheading: HSEntry | None

    @property
    def known(self) -> bool:
        return self.subheading is not None

    @property
    def edition(self) -> str | None:
        best = self.subheading or self.heading or self.chapter
        return best.edition if best else None

    def describe(self) -> str:
        parts = [e.description for e in (self.heading, self.subheading) if e is not None]
        return " / ".join(parts) if parts else (self.chapter.description if self.chapter else "")

    def to_json(self) -> dict[str, Any]:
        def entry(e: HSEntry | None) -> dict[str, str] | None:
            return (
                {"code": e.code, "description": e.description, "edition": e.edition} if e else None
            )

        return {
            "code": self.code,
            "known": self.known,
            "chapter": entry(self.chapter),
            "heading": entry(self.heading),
            "subheading": entry(self.subheading),
        }


class HSNomenclature:
    """Codes of one or more HS editions, looked up by prefix."""

    def __init__(
        self, entries: dict[str, dict[str, HSEntry]], directory: Path | None = None
    ) -> None:
        self.editions = entries
        self.directory = directory
        self._cache: dict[str, HSInfo] = {}

    @classmethod
    def load(cls, directory: Path) -> HSNomenclature:
        """Read every `HS<year>_*.csv` table of the directory (columns hscode, description, level)."""
        entries: dict[str, dict[str, HSEntry]] = {}
        for edition in EDITIONS:
            files = sorted(directory.glob(f"{edition}_*.csv"))
            if not files:
                continue
            table: dict[str, HSEntry] = {}
            for path in files:
                _read_table(path, edition, table)
            entries[edition] = table
        if not entries:
            raise HSError(
                f"{directory}: no HS table found (expected {', '.join(e + '_*.csv' for e in EDITIONS)})"
            )
        return cls(entries, directory)

    def entry(self, code: str) -> HSEntry | None:
        for edition in EDITIONS:
            table = self.editions.get(edition)
            if table is not None and code in table:
                return table[code]
        return None

    def exists(self, code: str) -> bool:
        """A chapter, heading or subheading of some loaded edition."""
        return self.entry(code) is not None

    def lookup(self, code: str) -> HSInfo:
        """The chapter, heading and subheading of a 6-10 digit code (national digits ignored)."""
        info = self._cache.get(code)
        if info is None:
            info = HSInfo(code, self.entry(code[:2]), self.entry(code[:4]), self.entry(code[:6]))
            if len(self._cache) < 200_000:
                self._cache[code] = info
        return info

    def describe(self, prefix: str) -> str | None:
        found = self.entry(prefix)
        return found.description if found else None

    def to_json(self) -> dict[str, Any]:
        return {
            "available": True,
            "directory": str(self.directory) if self.directory else None,
            "editions": sorted(self.editions),
        }


def _read_table(path: Path, edition: str, table: dict[str, HSEntry]) -> None:
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = {"hscode", "description"} - set(reader.fieldnames or ())
            if missing:
                raise HSError(f"{path}: not an HS table (no column {', '.join(sorted(missing))})")
            for row in reader:
                code = (row.get("hscode") or "").strip()
                if not code.isdigit() or len(code) not in (2, 4, 6):
                    continue  # TOTAL and other aggregates
                level = int(row.get("level") or len(code))
                table[code] = HSEntry(code, (row.get("description") or "").strip(), level, edition)
    except OSError as exc:
        raise HSError(f"{path}: cannot read: {exc.strerror or exc}") from None


def default_hs_dir() -> Path | None:
    """Where the nomenclature is expected when nobody says: env vars, then beside the repo."""
    env = os.environ.get(HS_DIR_ENV)
    if env:
        return Path(env).expanduser()
    shared = os.environ.get("SANCTIONSNET_SHARED_DATA")
    if shared:
        return Path(shared).expanduser() / "hs"
    repo = Path(__file__).resolve().parents[3]
    candidate = repo.parent / "shared" / "data" / "hs"
    return candidate if candidate.is_dir() else None


def load_hs(directory: Path | None = None) -> HSNomenclature | None:
    """The nomenclature from `directory` (an error if it is unreadable), else the default, else None.

    An explicitly named directory, or one named in $SANCTIONSNET_HS_DIR, must exist; the
    fallback beside the repository is optional.
    """
    explicit = directory is not None or bool(os.environ.get(HS_DIR_ENV))
    path = directory if directory is not None else default_hs_dir()
    if path is None:
        return None
    if not path.is_dir():
        if explicit:
            raise HSError(f"{path}: HS nomenclature directory not found")
        return None
    return _load_cached(path.resolve())


_LOADED: dict[Path, HSNomenclature] = {}


def _load_cached(path: Path) -> HSNomenclature:
    found = _LOADED.get(path)
    if found is None:
        found = HSNomenclature.load(path)
        _LOADED[path] = found
    return found


UNAVAILABLE_NOTE = (
    "HS nomenclature not found (use --hs-dir or $SANCTIONSNET_HS_DIR): declared codes are "
    "matched to measures by prefix; descriptions are omitted and unknown codes are not detected."
)
