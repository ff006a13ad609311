"""The store: immutable versions, atomic current switch, dedup, shrink guard, diffs."""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest

from sanctionsnet.errors import StoreError
from sanctionsnet.sources import Publication
from sanctionsnet.sources.base import Emitter, InputFile, ParseInfo, Source
from sanctionsnet.store import Store, diff_versions


class PipeSource(Source):
    """A toy source for store tests: one line per entry, 'ref|name|birthDate|program'."""

    id = "pipe"
    title = "Pipe-separated test list (fictional)"
    authority = "Test Authority"

    def parse(self, files: Sequence[InputFile], emit: Emitter) -> ParseInfo:
        published = None
        for file in files:
            for line in file.path.read_text().splitlines():
                if line.startswith("#date "):
                    published = date.fromisoformat(line[6:])
                    continue
                ref, name, dob, program = line.split("|")
                person = emit.make("Person", ref)
                person.add("name", name)
                person.add("birthDate", dob or None)
                emit.emit(person, ref, file)
                emit.sanction(person, ref, file, authority=self.authority, program=[program])
        return ParseInfo(format="pipe", published=published)


def publication(path: Path, lines: list[str], day: str | None = "2026-01-01") -> Publication:
    text = (f"#date {day}\n" if day else "") + "\n".join(lines) + "\n"
    path.write_text(text)
    source = PipeSource()
    emit = Emitter("pipe")
    files = [InputFile.from_path(path)]
    info = source.parse(files, emit)
    return Publication("pipe", source, info, files, list(emit.entities.values()), emit.warnings)


ENTRIES = [f"P{i}|FICTIONAL PERSON {i}|1970-01-{i + 1:02d}|TEST" for i in range(10)]


def test_import_creates_version_and_current(tmp_path: Path) -> None:
    store = Store(tmp_path / "home")
    result = store.import_publication(publication(tmp_path / "a.txt", ENTRIES))
    assert result.created and result.current
    current = store.current("pipe")
    assert current is not None and current.id == result.version.id
    assert current.entries == 10
    assert current.stats["by_schema"] == {"Person": 10, "Sanction": 10}
    assert current.stats["with_birth_date"] == 10
    rows = list(store.entities(current))
    assert {r.ref for r in rows} == {f"P{i}" for i in range(10)}
    assert all(r.checksum == result.version.files[0]["sha256"] for r in rows)


def test_same_bytes_make_no_new_version(tmp_path: Path) -> None:
    store = Store(tmp_path / "home")
    first = store.import_publication(publication(tmp_path / "a.txt", ENTRIES))
    # Same content under another file name is the same publication.
    again = store.import_publication(publication(tmp_path / "b.txt", ENTRIES))
    assert not again.created
    assert again.version.id == first.version.id
    assert len(store.versions("pipe")) == 1


def test_older_publication_is_kept_as_history(tmp_path: Path) -> None:
    store = Store(tmp_path / "home")
    new = store.import_publication(publication(tmp_path / "n.txt", ENTRIES, "2026-02-01"))
    old = store.import_publication(publication(tmp_path / "o.txt", ENTRIES[:3], "2025-01-01"))
    assert old.created and not old.current
    assert store.current("pipe").id == new.version.id  # type: ignore[union-attr]
    assert [v.published for v in store.versions("pipe")] == [date(2025, 1, 1), date(2026, 2, 1)]


def test_implausible_shrink_is_refused_and_store_kept(tmp_path: Path) -> None:
    store = Store(tmp_path / "home")
    first = store.import_publication(publication(tmp_path / "a.txt", ENTRIES, "2026-01-01"))
    catalog_before = store.catalog_path.read_bytes()
    shrunk = publication(tmp_path / "b.txt", ENTRIES[:7], "2026-01-02")  # 30 % fewer
    with pytest.raises(StoreError, match="30% fewer"):
        store.import_publication(shrunk)
    assert store.catalog_path.read_bytes() == catalog_before
    assert store.current("pipe").id == first.version.id  # type: ignore[union-attr]
    # No snapshot folder is left behind for the refused version.
    assert len(list((tmp_path / "home" / "datasets" / "pipe").iterdir())) == 1
    allowed = store.import_publication(shrunk, allow_shrink=True)
    assert allowed.current and allowed.version.entries == 7


def test_small_shrink_is_accepted(tmp_path: Path) -> None:
    store = Store(tmp_path / "home")
    store.import_publication(publication(tmp_path / "a.txt", ENTRIES, "2026-01-01"))
    result = store.import_publication(publication(tmp_path / "b.txt", ENTRIES[:8], "2026-01-02"))
    assert result.current  # 20 % fewer is the limit, not beyond it


def test_diff_reports_added_removed_changed(tmp_path: Path) -> None:
    store = Store(tmp_path / "home")
    v1 = store.import_publication(publication(tmp_path / "a.txt", ENTRIES, "2026-01-01")).version
    lines = ENTRIES[1:] + ["P99|FICTIONAL NEWCOMER|1980-05-05|TEST"]
    lines[0] = "P1|FICTIONAL PERSON 1|1971-01-02|OTHER"  # changed birth date and program
    v2 = store.import_publication(publication(tmp_path / "b.txt", lines, "2026-01-02")).version
    result = diff_versions(store.entities(v1), store.entities(v2))
    assert [s.ref for s in result.added] == ["P99"]
    assert [s.ref for s in result.removed] == ["P0"]
    assert [c.new.ref for c in result.changed] == ["P1"]
    changes = {c.name: (c.old, c.new) for c in result.changed[0].changes}
    assert changes["birthDate"] == (["1970-01-02"], ["1971-01-02"])
    assert changes["sanction:program"] == (["TEST"], ["OTHER"])
    assert result.unchanged == 8


def test_concurrent_imports_do_not_corrupt(tmp_path: Path) -> None:
    store = Store(tmp_path / "home")
    pubs = [
        publication(
            tmp_path / f"{i}.txt", ENTRIES + [f"X{i}|FICTIONAL X|1990|T"], f"2026-01-{i + 1:02d}"
        )
        for i in range(6)
    ]
    errors: list[Exception] = []

    def run(p: Publication) -> None:
        try:
            Store(tmp_path / "home").import_publication(p)
        except Exception as exc:  # pragma: no cover - surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(p,)) for p in pubs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    versions = store.versions("pipe")
    assert len(versions) == 6
    assert store.current("pipe").published == date(2026, 1, 6)  # type: ignore[union-attr]
    json.loads(store.catalog_path.read_text())  # still valid JSON
    for v in versions:
        assert len(list(store.entities(v))) == 22


def test_version_lookup_by_date_and_prefix(tmp_path: Path) -> None:
    store = Store(tmp_path / "home")
    v = store.import_publication(publication(tmp_path / "a.txt", ENTRIES, "2026-03-04")).version
    assert store.version("pipe", "2026-03-04").id == v.id
    assert store.version("pipe", v.id[:12]).id == v.id
    with pytest.raises(StoreError, match="no version"):
        store.version("pipe", "1999-01-01")
