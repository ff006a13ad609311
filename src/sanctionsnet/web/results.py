"""A finished job's alerts, each with the decision in force on its pair, and the download.

`matches.csv` (written by the batch engine) has the book's own columns, then one row
per match (`match_rank` 1 starts a new input row). Each row is an alert: a screened
party and a listed entry. The party is identified by what was screened (see
`decisions.party_key`), recomputed from the row with the job's column mapping.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson

from sanctionsnet.batch.columns import parse_map_options, resolve_mapping
from sanctionsnet.batch.layout import MATCH_COLUMNS
from sanctionsnet.batch.readers import open_input
from sanctionsnet.errors import SanctionsNetError
from sanctionsnet.index import ScreeningIndex
from sanctionsnet.web.decisions import (
    CONFIRMED,
    OPEN,
    REOPENED,
    SUPPRESSED,
    Decision,
    alert_status,
    entry_fingerprint,
    party_key,
)
from sanctionsnet.web.jobs import Job

MATCH_NAMES = tuple(name for name, _ in MATCH_COLUMNS)
STATUSES = (OPEN, REOPENED, CONFIRMED, SUPPRESSED)
STATUS_LABELS = {
    OPEN: "open",
    REOPENED: "reopened (entry changed)",
    CONFIRMED: "true positive",
    SUPPRESSED: "false positive (suppressed)",
}
#: Score bands of the "alerts by score band" plot: (label, low, high), high exclusive.
BANDS = (
    ("below 0.70", 0.0, 0.70),
    ("0.70–0.80", 0.70, 0.80),
    ("0.80–0.90", 0.80, 0.90),
    ("0.90–0.99", 0.90, 1.0),
    ("1.00", 1.0, 1.01),
)
DECISION_COLUMNS = ("alert_status", "decision", "decided_by", "decided_at", "decision_reason")


@dataclass
class Alert:
    row: int  # data row of matches.csv, from 0: how a form names the alert
    group: int  # the input row it belongs to, from 1
    rank: int
    values: list[str]
    entity: str
    caption: str
    schema: str
    dataset: str
    source: str
    ref: str
    version: str
    score: float
    matched_name: str
    programs: str
    features: list[dict[str, Any]]
    party: str
    party_name: str
    status: str = OPEN
    decision: Decision | None = None
    entry: str | None = None  # fingerprint of the entry at `version`, where known

    @property
    def alerted(self) -> bool:
        return self.status != SUPPRESSED


@dataclass
class JobResults:
    columns: list[str]
    alerts: list[Alert]
    counts: Counter[str] = field(default_factory=Counter)
    _rows: dict[int, Alert] = field(default_factory=dict, repr=False)

    def by_band(self) -> list[tuple[str, dict[str, int]]]:
        """Alerts per score band, split by status (for the stacked bar plot)."""
        out: list[tuple[str, dict[str, int]]] = []
        for label, low, high in BANDS:
            counts = Counter(a.status for a in self.alerts if low <= a.score < high)
            if counts or low >= 0.7:
                out.append((label, {s: counts.get(s, 0) for s in STATUSES}))
        return out

    def alert(self, row: int) -> Alert | None:
        """The alert on data row `row` of matches.csv."""
        if len(self._rows) != len(self.alerts):
            self._rows = {a.row: a for a in self.alerts}
        return self._rows.get(row)


class Fingerprints:
    """Entry fingerprints from the current index, computed once per entity."""

    def __init__(self, index: ScreeningIndex | None) -> None:
        self.index = index
        self._cache: dict[str, tuple[str, str] | None] = {}

    def at(self, entity: str, version: str) -> str | None:
        """The fingerprint of `entity` as it is in `version`, if that is the current version."""
        if entity not in self._cache:
            found = None
            if self.index is not None:
                number = self.index.by_id.get(entity)
                if number is not None:
                    record = self.index.records[number]
                    found = (record.version, entry_fingerprint(record))
            self._cache[entity] = found
        hit = self._cache[entity]
        return hit[1] if hit is not None and hit[0] == version else None


def read_results(
    job: Job,
    decisions: dict[tuple[str, str], Decision],
    index: ScreeningIndex | None,
) -> JobResults:
    """Every alert of a finished job with its status under the decisions in force."""
    path = job.output_path
    try:
        source = open_input(job.input_path)
        mapping = resolve_mapping(
            source.columns, parse_map_options(job.options.maps), job.options.schema
        )
    except SanctionsNetError:
        mapping = None
    prints = Fingerprints(index)
    alerts: list[Alert] = []
    columns: list[str] = []
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, [])
        width = len(header) - len(MATCH_NAMES)
        columns = header[:width]
        position = {name: width + i for i, name in enumerate(MATCH_NAMES)}
        group = 0
        party, party_name = "", ""
        for number, cells in enumerate(reader):
            if len(cells) != len(header):
                continue
            rank = int(cells[position["match_rank"]] or 0)
            values = cells[:width]
            if rank <= 1 or group == 0:
                group += 1
                party, party_name = _party(mapping, values)

            def get(name: str, cells: list[str] = cells) -> str:
                return cells[position[name]]

            try:
                features = orjson.loads(get("match_features") or "[]")
            except orjson.JSONDecodeError:
                features = []
            alert = Alert(
                row=number,
                group=group,
                rank=rank,
                values=values,
                entity=get("match_id"),
                caption=get("match_caption"),
                schema=get("match_schema"),
                dataset=get("match_dataset"),
                source=get("match_source"),
                ref=get("match_ref"),
                version=get("match_version"),
                score=float(get("match_score") or 0.0),
                matched_name=get("matched_name"),
                programs=get("match_programs"),
                features=features if isinstance(features, list) else [],
                party=party,
                party_name=party_name,
            )
            alert.entry = prints.at(alert.entity, alert.version)
            alert.decision = decisions.get((alert.party, alert.entity))
            alert.status = alert_status(alert.decision, alert.version, alert.entry)
            alerts.append(alert)
    results = JobResults(columns, alerts)
    results.counts = Counter(a.status for a in alerts)
    return results


def _party(mapping: Any, values: list[str]) -> tuple[str, str]:
    if mapping is not None:
        try:
            query = mapping.query(values)
            return party_key(query), query.names[0]
        except SanctionsNetError:
            pass
    # Not a screenable row (it was screened, so this is only a safety net): its values.
    digest = hashlib.sha256(orjson.dumps(values)).hexdigest()[:20]
    return "p-raw-" + digest, " ".join(v for v in values if v)


def results_csv(job: Job, results: JobResults) -> Iterator[str]:
    """The download: matches.csv as the engine wrote it, with the decision in force on each
    alert appended (its status, verdict, who, when and why)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    with job.output_path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, [])
        writer.writerow([*header, *DECISION_COLUMNS])
        for number, cells in enumerate(reader):
            alert = results.alert(number)
            d = alert.decision if alert is not None else None
            status = alert.status if alert is not None else ""
            writer.writerow(
                [*cells, status]
                + ([d.verdict, d.reviewer, d.ts, d.reason] if d else ["", "", "", ""])
            )
            if buffer.tell() > 1 << 16:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
    yield buffer.getvalue()
