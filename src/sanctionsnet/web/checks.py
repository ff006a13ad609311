"""Transaction checks run from the browser, kept so that a report has a URL to share.

Each check is a folder `<home>/web/checks/<id>/` with the uploaded file, `check.json`
(who, when, which file) and `report.json`, the JSON report of `sanctionsnet check`
(the same checker, rules and party screening). A file with bad rows is refused whole,
each problem named by line and column, and nothing is kept.
"""

from __future__ import annotations

import re
import secrets
import shutil
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import orjson

from sanctionsnet.regime.checker import Checker
from sanctionsnet.regime.service import build_report
from sanctionsnet.regime.transactions import TransactionReader
from sanctionsnet.web.jobs import save_upload, upload_name

SUFFIXES = (".csv", ".tsv", ".txt", ".jsonl", ".ndjson", ".json")
_ID = re.compile(r"^[0-9]{8}-[0-9]{6}-[0-9a-f]{6}$")


@dataclass
class CheckRun:
    id: str
    dir: Path
    filename: str
    created: str
    by: str
    key: str | None

    @property
    def report(self) -> dict[str, Any]:
        data: dict[str, Any] = orjson.loads((self.dir / "report.json").read_bytes())
        return data


class CheckStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def run(
        self,
        upload: IO[bytes],
        filename: str,
        checker: Checker,
        *,
        by: str = "",
        key: str | None = None,
        max_bytes: int | None = None,
    ) -> CheckRun:
        """Check the uploaded transactions; TransactionError/JobError if the file is bad."""
        filename, suffix = upload_name(
            filename, SUFFIXES, "a file of transactions", "CSV or JSON lines"
        )
        self.root.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC)
        run_id = f"{stamp:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"
        folder = self.root / run_id
        folder.mkdir()
        try:
            path = folder / ("transactions" + suffix)
            save_upload(upload, path, filename, max_bytes)
            reader = TransactionReader(path, checker.regime.columns)
            try:
                report = build_report(checker, checker.check_all(reader), include_clear=True)
                reader.raise_for_issues()
            except Exception as exc:
                _rename_paths(exc, str(path), filename)
                raise
            meta = {
                "id": run_id,
                "filename": filename,
                "created": stamp.isoformat(timespec="seconds").replace("+00:00", "Z"),
                "by": by,
                "key": key,
            }
            (folder / "report.json").write_bytes(orjson.dumps(report))
            (folder / "check.json").write_bytes(orjson.dumps(meta))
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        return CheckRun(run_id, folder, filename, str(meta["created"]), by, key)

    def get(self, run_id: str) -> CheckRun | None:
        if not _ID.match(run_id):
            return None
        folder = self.root / run_id
        try:
            meta = orjson.loads((folder / "check.json").read_bytes())
        except (FileNotFoundError, orjson.JSONDecodeError):
            return None
        return CheckRun(
            run_id, folder, meta["filename"], meta["created"], meta.get("by", ""), meta.get("key")
        )

    def list(self, limit: int = 50) -> list[CheckRun]:
        try:
            names = sorted((p.name for p in self.root.iterdir() if _ID.match(p.name)), reverse=True)
        except FileNotFoundError:
            return []
        runs = (self.get(n) for n in names[:limit])
        return [r for r in runs if r is not None]


def _rename_paths(exc: BaseException, path: str, filename: str) -> None:
    """Name the user's file, not the server's copy of it, in an error message."""
    if hasattr(exc, "source") and getattr(exc, "source", None) == path:
        exc.source = filename
    if exc.args and isinstance(exc.args[0], str):
        exc.args = (exc.args[0].replace(path, filename), *exc.args[1:])


def findings_by_measure(report: dict[str, Any]) -> list[tuple[str, dict[str, float]]]:
    """Shipment findings counted per measure and outcome, most frequent first (for the plot)."""
    counts: dict[str, Counter[str]] = {}
    titles: dict[str, str] = {}
    for result in report.get("results", ()):
        if result.get("type") != "shipment":
            continue
        for finding in result.get("findings", ()):
            measure = finding.get("measure", "?")
            titles[measure] = f"{measure} ({finding.get('citation', {}).get('text', '')})"
            counts.setdefault(measure, Counter())[finding.get("outcome", "?")] += 1
    ordered = sorted(counts, key=lambda m: (-sum(counts[m].values()), m))
    return [(titles[m], dict(counts[m])) for m in ordered]
