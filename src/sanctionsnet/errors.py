"""Errors that users see: each names the file and, where known, the line or record."""

from __future__ import annotations


class SanctionsNetError(Exception):
    """Base class for errors reported to users with a clear message and a non-zero exit."""


class SourceError(SanctionsNetError):
    """A publication could not be read: wrong format, truncated, malformed or incoherent.

    `file` is the file name, `line` a 1-based line number and `record` an entry
    reference (such as an OFAC ent_num or a UN reference number) where known.
    """

    def __init__(
        self,
        message: str,
        file: str | None = None,
        line: int | None = None,
        record: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.record = record
        super().__init__(str(self))

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.record:
            where.append(f"record {self.record}")
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message


class StoreError(SanctionsNetError):
    """The store refused an operation (for example an implausible shrink) or is unusable."""


class FetchError(SanctionsNetError):
    """A publication could not be downloaded or found in the mirror."""
