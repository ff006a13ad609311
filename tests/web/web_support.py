"""Helpers of the web interface tests (a module, not a conftest, so tests can import them)."""

from __future__ import annotations

import re
import time
from datetime import date
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import orjson
from fastapi import FastAPI
from fastapi.testclient import TestClient

from sanctionsnet.api import Engine, ServiceSettings, create_app
from sanctionsnet.ingest import import_files
from sanctionsnet.samples import SAMPLE_DATES, SAMPLES, sample_paths
from sanctionsnet.store import Store
from sanctionsnet.web.state import WebConfig

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def import_samples(home: Path) -> Store:
    """The fictional samples shipped with sanctionsnet, every list."""
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


def build_app(
    home: Path,
    keys: tuple[str, ...] = (),
    config: WebConfig | None = None,
    engine: Engine | None = None,
    refresh: bool = True,
) -> FastAPI:
    """The service as `sanctionsnet serve` builds it, with the web interface installed."""
    engine = engine or Engine(Store(home), reload_interval=0)
    if refresh and engine.snapshot is None and Store(home).datasets():
        assert engine.refresh()
    settings = ServiceSettings(
        home=home, api_keys=keys, audit_log=home / "logs" / "audit.jsonl", reload_interval=0
    )
    app = create_app(settings, engine, web=config)
    return app


def write_ftm(path: Path, entities: list[dict[str, object]]) -> Path:
    """A followthemoney JSON lines file of fictional entities."""
    path.write_bytes(b"".join(orjson.dumps(e) + b"\n" for e in entities))
    return path


def person(entity_id: str, name: str, **props: list[str]) -> dict[str, object]:
    return {
        "id": entity_id,
        "schema": "Person",
        "properties": {"name": [name], "notes": ["FICTIONAL test entity"], **props},
    }


def token(client: TestClient, path: str = "/ui/batch") -> str:
    """The CSRF token of a page (the client keeps the nonce cookie it came with)."""
    match = CSRF.search(client.get(path).text)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def wait_jobs(app: FastAPI, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    app.state.web.jobs.wait()
    assert time.monotonic() < deadline


def text_of(html: str) -> str:
    """The visible text of a page, whitespace collapsed, entities decoded."""
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip())


class FormAudit(HTMLParser):
    """Collects what an accessibility check needs: controls, labels, landmarks."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict[str, str]] = []
        self.label_for: set[str] = set()
        self.label_depth = 0
        self.wrapped: list[dict[str, str]] = []
        self.tags: list[str] = []
        self.lang: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        data = {k: v or "" for k, v in attrs}
        self.tags.append(tag)
        if tag == "html":
            self.lang = data.get("lang")
        if tag == "label":
            self.label_depth += 1
            if "for" in data:
                self.label_for.add(data["for"])
        if tag in ("input", "select", "textarea"):
            if data.get("type") in ("hidden", "submit", "button"):
                return
            self.controls.append(data)
            if self.label_depth:
                self.wrapped.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self.label_depth -= 1

    def unlabelled(self) -> list[dict[str, str]]:
        return [
            c
            for c in self.controls
            if c not in self.wrapped
            and c.get("id") not in self.label_for
            and not c.get("aria-label")
        ]
