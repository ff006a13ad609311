"""The audit log: one JSON line per screening request, appended, never rewritten.

Compliance needs to show, for any past decision, what was asked, by whom, against
which list versions, with which algorithm and threshold, and what came back. Each
line is written with a single `write` on a descriptor opened with O_APPEND, so
lines from several workers never interleave or overwrite each other, and the line
is written before the response is sent: a request that could not be logged fails
(503) instead of going unrecorded. The file may be rotated by renaming it; the
next write notices and opens a new one.
"""

from __future__ import annotations

import contextlib
import os
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson


class AuditError(OSError):
    """The audit line could not be written."""


class AuditLog:
    """Appends audit records to a JSON lines file."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._fd: int | None = None
        self._inode: int | None = None
        self._lock = threading.Lock()

    def write(self, record: dict[str, Any]) -> None:
        """Append one record, stamped with the time, as one line."""
        line = orjson.dumps({"ts": _now(), **record}) + b"\n"
        with self._lock:
            try:
                fd = self._descriptor()
                written = os.write(fd, line)
                while written < len(line):  # only on a full disk or a signal; finish the line
                    written += os.write(fd, line[written:])
            except OSError as exc:
                self._close()
                raise AuditError(f"cannot write the audit log {self.path}: {exc}") from exc

    def close(self) -> None:
        with self._lock:
            self._close()

    def _descriptor(self) -> int:
        if self._fd is not None:
            try:
                if os.stat(self.path).st_ino == self._inode:
                    return self._fd
            except FileNotFoundError:
                pass
            self._close()  # rotated away: start a new file
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        self._fd, self._inode = fd, os.fstat(fd).st_ino
        return fd

    def _close(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._fd)
        self._fd = self._inode = None


class NoAudit(AuditLog):
    """Audit switched off."""

    def __init__(self) -> None:
        super().__init__(Path(os.devnull))

    def write(self, record: dict[str, Any]) -> None:
        return None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
