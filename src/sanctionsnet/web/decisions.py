"""Analysts' decisions on alerts, kept append-only, and when a decision silences an alert.

An alert is a *pair*: a screened party (a row of a customer book) and a listed entry.
An analyst marks it a true or a false positive, saying who and why. Decisions are
appended, one JSON line each, to `<home>/web/decisions.jsonl`: nothing is ever rewritten,
so the file is the audit trail, and the latest decision on a pair is the one in force.

A pair marked false is not alerted again while the entry is the one the analyst saw: the
same list version, or a later version in which that entry is unchanged (its content
fingerprint is the same). When the list changes the entry, the alert comes back,
"reopened", so the analyst looks again at what changed.

The screened party is identified by what is screened (its names, schema, birth dates,
countries and identifiers, normalised), not by its row number or other columns, so
the same customer in next month's book is the same party.
"""

from __future__ import annotations

import hashlib
import os
import threading
import unicodedata
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from sanctionsnet.index.records import Record
from sanctionsnet.screen import Query

DECISIONS_FILE = "decisions.jsonl"
VERDICTS = {"false_positive": "false positive", "true_positive": "true positive"}
MAX_REVIEWER = 200
MAX_REASON = 4000

#: What an alert is, given the decisions on its pair.
OPEN = "open"  # nobody decided
CONFIRMED = "confirmed"  # marked a true positive: stays an alert
SUPPRESSED = "suppressed"  # marked false, same entry: not alerted
REOPENED = "reopened"  # marked false on an entry that has changed since: alerted again


class DecisionError(ValueError):
    """A decision that cannot be recorded (the message names the field)."""


@dataclass(frozen=True)
class Decision:
    party: str  # party_key() of the screened party
    entity: str  # listed entity id
    verdict: str  # a key of VERDICTS
    reviewer: str
    reason: str
    ts: str
    dataset: str | None = None
    version: str | None = None  # list version the alert was raised on
    entry: str | None = None  # fingerprint of the entry as the analyst saw it
    key: str | None = None  # short id of the API key of the session
    job: str | None = None
    line: int | None = None
    score: float | None = None
    party_name: str = ""
    caption: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Decision:
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**known)

    @property
    def label(self) -> str:
        return VERDICTS.get(self.verdict, self.verdict)


def _clean(text: str, limit: int, field: str) -> str:
    cleaned = "".join(
        ch if ch in "\n\t" or unicodedata.category(ch)[0] != "C" else " " for ch in text
    ).strip()
    if not cleaned:
        raise DecisionError(f"{field}: required")
    if len(cleaned) > limit:
        raise DecisionError(f"{field}: at most {limit} characters")
    return cleaned


def new_decision(
    *,
    party: str,
    entity: str,
    verdict: str,
    reviewer: str,
    reason: str,
    **context: Any,
) -> Decision:
    """A validated decision stamped with the time; raises DecisionError naming the field."""
    if verdict not in VERDICTS:
        raise DecisionError(f"verdict: one of {', '.join(VERDICTS)}")
    if not party or not entity:
        raise DecisionError("alert: unknown screened party or listed entry")
    return Decision(
        party=party,
        entity=entity,
        verdict=verdict,
        reviewer=_clean(reviewer, MAX_REVIEWER, "reviewer"),
        reason=_clean(reason, MAX_REASON, "reason"),
        ts=datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        **context,
    )


class DecisionLog:
    """The append-only decision file, read back with a cache keyed by its size."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._cache: tuple[int, list[Decision]] | None = None

    def append(self, decision: Decision) -> None:
        """Append one line with a single write on an O_APPEND descriptor (safe across workers)."""
        line = orjson.dumps(decision.to_json()) + b"\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            written = os.write(fd, line)
            while written < len(line):
                written += os.write(fd, line[written:])
            os.fsync(fd)
        finally:
            os.close(fd)

    def all(self) -> list[Decision]:
        """Every decision, oldest first (a torn last line from a crash is skipped)."""
        try:
            size = self.path.stat().st_size
        except FileNotFoundError:
            return []
        with self._lock:
            if self._cache is not None and self._cache[0] == size:
                return self._cache[1]
            out: list[Decision] = []
            with self.path.open("rb") as fh:
                data = fh.read(size)
            for raw in data.splitlines():
                try:
                    out.append(Decision.from_json(orjson.loads(raw)))
                except (orjson.JSONDecodeError, TypeError):
                    continue
            self._cache = (size, out)
            return out

    def latest(self) -> dict[tuple[str, str], Decision]:
        """The decision in force for each (party, entity) pair."""
        return {(d.party, d.entity): d for d in self.all()}

    def history(self, party: str, entity: str) -> list[Decision]:
        return [d for d in self.all() if d.party == party and d.entity == entity]


def alert_status(decision: Decision | None, version: str | None, entry: str | None) -> str:
    """OPEN, CONFIRMED, SUPPRESSED or REOPENED for an alert on an entry at `version`.

    `entry` is the fingerprint of the entry as it is in `version` (None when unknown:
    then only the same version silences the alert).
    """
    if decision is None:
        return OPEN
    if decision.verdict == "true_positive":
        return CONFIRMED
    if version is not None and decision.version == version:
        return SUPPRESSED
    if entry is not None and decision.entry == entry:
        return SUPPRESSED
    return REOPENED


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def party_key(query: Query) -> str:
    """A stable id of what was screened: normalised names, schema, dates, countries, ids."""
    data = [
        query.schema,
        sorted({_norm(n) for n in query.names}),
        sorted(query.birth_dates),
        sorted(query.countries),
        sorted(f"{i.kind}:{i.value}" for i in query.identifiers),
    ]
    return "p-" + hashlib.sha256(orjson.dumps(data)).hexdigest()[:20]


def entry_fingerprint(record: Record) -> str:
    """The content of a listed entry as screening sees it (not its version id)."""
    data = [
        record.id,
        record.schema,
        record.caption,
        sorted((n.text, n.origin) for n in record.names),
        sorted(record.birth_dates),
        sorted(record.countries),
        sorted(f"{i.kind}:{i.value}:{i.country or ''}" for i in record.identifiers),
        sorted(record.programs),
        sorted((k, sorted(v)) for k, v in record.properties.items()),
    ]
    return hashlib.sha256(orjson.dumps(data)).hexdigest()[:20]
