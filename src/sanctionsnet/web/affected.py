"""Which previously screened rows a list update affects.

For an update of a list (from one version to the next) and each finished batch job that
was screened against an earlier version of that list:

- rows whose alerts name an entry the update **removed** or **changed** (read from the
  job's stored results: the alert may now be void, or read differently);
- rows that **match an entry the update added or changed** as it is now: the job's book
  is screened again, with the job's own algorithm and threshold, against a small index
  of just those entries, so no candidate cut-off applies (as `sanctionsnet screen
  --changes-since` does).

Results are kept in the job's folder, one file per update, since neither the job nor
the versions ever change.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import orjson

from sanctionsnet.batch.columns import parse_map_options, resolve_mapping
from sanctionsnet.batch.readers import open_input
from sanctionsnet.errors import SanctionsNetError
from sanctionsnet.index import ScreeningIndex
from sanctionsnet.index.records import records_from_entities
from sanctionsnet.screen import Screener
from sanctionsnet.store import Store
from sanctionsnet.web.decisions import party_key
from sanctionsnet.web.history import Update
from sanctionsnet.web.jobs import DONE, Job
from sanctionsnet.web.results import read_results

#: At most this many rows are listed per job and kind (the counts are complete).
MAX_LISTED = 200


@dataclass
class ChangedIndex:
    """The entries an update added or changed, as they are in its new version."""

    screener: Screener
    kinds: dict[str, str]  # entity id -> added | changed


def changed_index(store: Store, update: Update, diff: dict[str, Any]) -> ChangedIndex:
    kinds = {s["id"]: "added" for s in diff.get("added", ())}
    kinds.update({c["id"]: "changed" for c in diff.get("changed", ())})
    records = [
        r
        for r in records_from_entities(
            store.entities(update.new), update.dataset, update.new.source, update.new.id
        )
        if r.id in kinds
    ]
    return ChangedIndex(Screener(ScreeningIndex(records)), kinds)


def screened_before(job: Job, update: Update, order: dict[str, int]) -> bool:
    """The job is done and was screened against a version of the list older than the update's."""
    if job.state != DONE:
        return False
    used = job.versions.get(update.dataset)
    return used is not None and used in order and order[used] < order[update.new.id]


def job_impact(
    job: Job, update: Update, diff: dict[str, Any], index: ChangedIndex
) -> dict[str, Any]:
    """The rows of `job` that `update` affects (see the module docstring)."""
    cached = job.dir / "affected" / f"{update.dataset}__{update.name}.json"
    with contextlib.suppress(FileNotFoundError, orjson.JSONDecodeError):
        data: dict[str, Any] = orjson.loads(cached.read_bytes())
        return data
    gone = {s["id"]: "removed" for s in diff.get("removed", ())}
    gone.update({c["id"]: "changed" for c in diff.get("changed", ())})
    earlier: list[dict[str, Any]] = []
    for alert in read_results(job, {}, None).alerts:
        if alert.dataset == update.dataset and alert.entity in gone:
            earlier.append(
                {
                    "party": alert.party_name,
                    "entity": alert.entity,
                    "caption": alert.caption,
                    "change": gone[alert.entity],
                    "score": alert.score,
                }
            )
    now = _rescreen(job, index)
    data = {
        "job": job.id,
        "filename": job.filename,
        "version": job.versions.get(update.dataset),
        "earlier_count": len(earlier),
        "earlier": earlier[:MAX_LISTED],
        "now_count": len(now),
        "now": now[:MAX_LISTED],
    }
    with contextlib.suppress(OSError):
        cached.parent.mkdir(exist_ok=True)
        tmp = cached.with_name(f".{cached.name}.{secrets.token_hex(4)}")
        tmp.write_bytes(orjson.dumps(data))
        os.replace(tmp, cached)
    return data


def _rescreen(job: Job, index: ChangedIndex) -> list[dict[str, Any]]:
    size = len(index.screener.index.records)
    if not size:
        return []
    try:
        source = open_input(job.input_path)
        mapping = resolve_mapping(
            source.columns, parse_map_options(job.options.maps), job.options.schema
        )
    except SanctionsNetError:
        return []
    found: list[dict[str, Any]] = []
    seen: dict[str, list[Any]] = {}
    for row in source.rows():
        if row.values is None:
            continue
        try:
            query = mapping.query(row.values)
        except SanctionsNetError:
            continue
        key = party_key(query)
        if key not in seen:
            seen[key] = index.screener.match(
                query,
                threshold=job.options.threshold,
                limit=size,
                algorithm=job.options.algorithm,
                candidates=size,
            )
        for match in seen[key][: job.options.limit]:
            found.append(
                {
                    "line": row.line,
                    "party": query.names[0],
                    "entity": match.record.id,
                    "caption": match.record.caption,
                    "change": index.kinds.get(match.record.id, "changed"),
                    "score": match.score,
                }
            )
    return found


def decisions_touched(decisions: Iterable[Any], diff: dict[str, Any]) -> list[dict[str, Any]]:
    """False-positive decisions on entries this update changed or removed (they alert again)."""
    touched = {c["id"]: "changed" for c in diff.get("changed", ())}
    touched.update({s["id"]: "removed" for s in diff.get("removed", ())})
    out = []
    for d in decisions:
        if d.verdict == "false_positive" and d.entity in touched:
            out.append({"decision": d, "change": touched[d.entity]})
    return out
