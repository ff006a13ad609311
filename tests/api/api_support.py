"""Helpers of the API tests (a module, not a conftest, so tests can import them)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sanctionsnet.ingest import import_files
from sanctionsnet.samples import SAMPLE_DATES, SAMPLES, sample_paths
from sanctionsnet.store import Store

#: A fictional entity for tests that add a list or a version while the service runs.
FICTIONAL_FTM = (
    '{"id": "fict-reload-0001", "schema": "Person", "properties": '
    '{"name": ["Zebulon Fictitious Reloadson"], "birthDate": ["1961-02-03"], '
    '"notes": ["FICTIONAL test entity written for sanctionsnet"], "topics": ["sanction"]}}\n'
)


def import_samples(home: Path) -> Store:
    store = Store(home)
    for source_id in SAMPLES:
        published = SAMPLE_DATES.get(source_id)
        import_files(
            store,
            source_id,
            sample_paths(source_id),
            published=date.fromisoformat(published) if published else None,
        )
    return store


def person(name: str, **props: list[str] | str) -> dict[str, object]:
    return {"schema": "Person", "properties": {"name": [name], **props}}
