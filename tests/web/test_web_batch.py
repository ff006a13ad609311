"""Batch jobs from the browser: upload, progress, results with decisions, suppression, changes."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_support import build_app, person, text_of, token, write_ftm

from sanctionsnet.api import Engine
from sanctionsnet.ingest import import_files
from sanctionsnet.store import Store
from sanctionsnet.web.decisions import (
    CONFIRMED,
    OPEN,
    REOPENED,
    SUPPRESSED,
    DecisionError,
    alert_status,
    new_decision,
)

BOOK = (
    "id,full_name,type,dob,notes\n"
    "C1,Zebediah Fictional Webtest,Person,1970,first customer\n"
    "C2,Quillon Fictional Shipping Co,Company,,\n"
    "C3,Nobody Atall Matching,Person,,\n"
    "C4,Marisol Fictional Addedperson,Person,,\n"
)


def fictional(version: int) -> list[dict[str, object]]:
    """Three versions of a fictional list: v2 adds Marisol, v3 changes Zebediah."""
    zeb = person("fict-web-zeb", "Zebediah Fictional Webtest", birthDate=["1970-05-06"])
    ship = {
        "id": "fict-web-ship",
        "schema": "Company",
        "properties": {"name": ["Quillon Fictional Shipping Company"], "notes": ["FICTIONAL"]},
    }
    entities = [zeb, ship]
    if version >= 2:
        entities.append(person("fict-web-mari", "Marisol Fictional Addedperson"))
    if version >= 3:
        zeb["properties"]["alias"] = ["Zeb Fictional Webtest"]  # type: ignore[index]
    return entities


def publish(home: Path, tmp: Path, version: int) -> None:
    path = write_ftm(tmp / f"fict-v{version}.ftm.json", fictional(version))
    import_files(Store(home), "ftm", [path], dataset="fict_web",
                 published=date(2025, version, 1))  # fmt: skip


def upload(client: TestClient, book: str = BOOK, name: str = "book.csv", **fields: str) -> str:
    data = {"csrf_token": token(client), "algorithm": "default", "limit": "3", "by": "Ann"}
    response = client.post("/ui/batch", data={**data, **fields},
                           files={"file": (name, book, "text/csv")}, follow_redirects=False)  # fmt: skip
    assert response.status_code == 303, text_of(response.text)
    client.app.state.web.jobs.wait()  # type: ignore[attr-defined]
    return str(response.headers["location"])


def results(client: TestClient, job: str) -> list[dict[str, str]]:
    response = client.get(job + "/results.csv")
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    return list(csv.DictReader(io.StringIO(response.text)))


def mark(client: TestClient, job: str, entity: str, verdict: str, reason: str = "checked") -> None:
    page = client.get(job + "?show=all").text
    row = next(r["row"] for r in _rows(page) if r["entity"] == entity)
    response = client.post(
        job + "/decisions",
        data={"csrf_token": token(client, job), "row": row, "verdict": verdict,
              "reviewer": "Ann Analyst", "reason": reason},
        follow_redirects=False,
    )  # fmt: skip
    assert response.status_code == 303, text_of(response.text)


def _rows(page: str) -> list[dict[str, str]]:
    """(row, entity) of every alert form on a job page."""
    out = []
    for chunk in page.split('class="alert alert-')[1:]:
        entity = chunk.split('href="/ui/entity/')[1].split('"')[0]
        row = chunk.split('name="row" value="')[1].split('"')[0]
        out.append({"row": row, "entity": entity})
    return out


@pytest.fixture
def fict_home(web_home: Path, tmp_path: Path) -> Path:
    publish(web_home, tmp_path, 1)
    return web_home


def test_upload_screen_download(fict_home: Path) -> None:
    with TestClient(build_app(fict_home)) as client:
        job = upload(client)
        page = client.get(job)
        text = text_of(page.text)
        assert "done" in text and "4 rows screened" in text
        assert "Download results (CSV)" in text
        rows = results(client, job)
        by_id = {r["id"]: r for r in rows}
        assert by_id["C1"]["match_id"] == "fict-web-zeb"
        assert by_id["C2"]["match_id"] == "fict-web-ship"
        assert "C3" not in by_id
        assert {r["alert_status"] for r in rows} == {"open"}
        # The book's own columns come back unchanged, next to the match.
        assert by_id["C1"]["notes"] == "first customer" and by_id["C1"]["dob"] == "1970"
        status = client.get(job + "/status").json()
        assert status["state"] == "done" and status["done"] == 4 and status["percent"] == 100.0
        listing = text_of(client.get("/ui/batch").text)
        assert "book.csv" in listing and "Ann" in listing


def test_false_positive_suppressed_until_the_entry_changes(fict_home: Path, tmp_path: Path) -> None:
    engine = Engine(Store(fict_home), reload_interval=0)
    with TestClient(build_app(fict_home, engine=engine)) as client:
        first = upload(client)
        mark(client, first, "fict-web-ship", "false_positive", "a different company")
        mark(client, first, "fict-web-zeb", "true_positive", "same person, same birth year")
        rows = {r["match_id"]: r for r in results(client, first)}
        assert rows["fict-web-ship"]["alert_status"] == SUPPRESSED
        assert rows["fict-web-ship"]["decided_by"] == "Ann Analyst"
        assert rows["fict-web-ship"]["decision_reason"] == "a different company"
        assert rows["fict-web-zeb"]["alert_status"] == CONFIRMED
        # The default view lists only what needs attention.
        alerts = client.get(first).text
        assert "fict-web-zeb" in alerts and 'href="/ui/entity/fict-web-ship"' not in alerts
        assert 'href="/ui/entity/fict-web-ship"' in client.get(first + "?show=suppressed").text

        # A new publication that leaves both entries unchanged: still suppressed on a rerun.
        publish(fict_home, tmp_path, 2)
        assert engine.refresh()
        rerun = client.post(first + "/rerun", data={"csrf_token": token(client, first)},
                            follow_redirects=False).headers["location"]  # fmt: skip
        client.app.state.web.jobs.wait()  # type: ignore[attr-defined]
        rows = {r["match_id"]: r for r in results(client, rerun)}
        assert rows["fict-web-ship"]["match_version"] != rows["fict-web-ship"]["decided_at"]
        assert rows["fict-web-ship"]["alert_status"] == SUPPRESSED
        assert rows["fict-web-mari"]["alert_status"] == OPEN  # added in v2: a new alert
        page = client.get(rerun)
        assert f"rerun of {first.rsplit('/', 1)[1]}" in text_of(page.text)

        # A publication that changes the entry: the decision no longer holds.
        mark(client, rerun, "fict-web-zeb", "false_positive", "wrong birth date")
        publish(fict_home, tmp_path, 3)
        assert engine.refresh()
        third = client.post(rerun + "/rerun", data={"csrf_token": token(client, rerun)},
                            follow_redirects=False).headers["location"]  # fmt: skip
        client.app.state.web.jobs.wait()  # type: ignore[attr-defined]
        rows = {r["match_id"]: r for r in results(client, third)}
        assert rows["fict-web-zeb"]["alert_status"] == REOPENED
        assert rows["fict-web-ship"]["alert_status"] == SUPPRESSED
        # The audit trail of every decision, newest first, and the log itself.
        trail = text_of(client.get("/ui/batch/decisions").text)
        assert trail.index("wrong birth date") < trail.index("a different company")
        assert trail.count("(superseded)") == 1  # Zebediah: true positive, later false
        log = client.get("/ui/batch/decisions.jsonl")
        assert log.status_code == 200 and log.text.count("\n") == 3
    # Decisions are kept append-only, one line each, with who, why and what was seen.
    lines = (fict_home / "web" / "decisions.jsonl").read_text().splitlines()
    assert len(lines) == 3
    assert '"reviewer":"Ann Analyst"' in lines[0] and '"version":"' in lines[0]


def test_changes_page_lists_updates_and_affected_rows(fict_home: Path, tmp_path: Path) -> None:
    engine = Engine(Store(fict_home), reload_interval=0)
    with TestClient(build_app(fict_home, engine=engine)) as client:
        job = upload(client)  # screened against v1
        publish(fict_home, tmp_path, 2)
        publish(fict_home, tmp_path, 3)
        assert engine.refresh()
        versions = Store(fict_home).versions("fict_web")
        v2, v3 = versions[1].id, versions[2].id
        index = text_of(client.get("/ui/changes").text)
        assert v2 in index and v3 in index and "fict_web" in index
        page = client.get(f"/ui/changes/fict_web/{v2}")
        text = text_of(page.text)
        assert "1 added, 0 removed, 0 changed" in text
        assert "Marisol Fictional Addedperson" in text
        # The job's book, screened against v1, has a row matching the entry v2 added.
        assert job.rsplit("/", 1)[1] in text
        assert "1 match with entries it added or changed" in text
        page = client.get(f"/ui/changes/fict_web/{v3}")
        text = text_of(page.text)
        assert "0 added, 0 removed, 1 changed" in text and "alias" in text
        assert "1 alert on entries this update removed or changed" in text
        # Counts now appear on the index, and the entity's history records the change.
        index = text_of(client.get("/ui/changes").text)
        assert f"{v2} 3 1 0 0" in index and f"{v3} 3 0 0 1" in index
        history = text_of(client.get("/ui/entity/fict-web-zeb").text)
        assert "First seen in the publication of 2025-01-01" in history
        assert "Changed in the publication of 2025-03-01" in history
        assert "Zeb Fictional Webtest" in history


@pytest.mark.parametrize(
    ("name", "book", "fields", "message"),
    [
        ("book.xlsx", "x", {}, "is not a CSV, JSON lines or Parquet file"),
        ("book.csv", "", {}, "is empty"),
        ("book.csv", "id,notes\n1,x\n", {}, "no column gives a name"),
        ("book.csv", BOOK, {"threshold": "1.5"}, "threshold: between 0 and 1"),
        ("book.csv", BOOK, {"limit": "0"}, "matches per row: between 1"),
        ("book.csv", BOOK, {"algorithm": "magic"}, "algorithm"),
        ("book.csv", BOOK, {"maps": "Nope=name"}, "not in the input"),
        ("book.csv", BOOK, {"maps": "full_name=notaproperty"}, "not a followthemoney property"),
    ],
)
def test_bad_uploads_are_refused_with_the_reason(
    client: TestClient, name: str, book: str, fields: dict[str, str], message: str
) -> None:
    data = {"csrf_token": token(client), "algorithm": "default", **fields}
    response = client.post("/ui/batch", data=data, files={"file": (name, book, "text/csv")})
    assert response.status_code == 422
    assert message in text_of(response.text)
    assert "/tmp" not in response.text  # the server's paths are not shown
    assert not client.app.state.web.jobs.list()  # type: ignore[attr-defined]


def test_bad_rows_are_counted_and_listed(fict_home: Path) -> None:
    book = 'name,dob\nZebediah Fictional Webtest,1970\nBad Date Person,31/31/31\n"unterminated\n'
    with TestClient(build_app(fict_home)) as client:
        job = upload(client, book)
        text = text_of(client.get(job).text)
        assert "could not be" in text
        errors = client.get(job + "/errors.csv")
        assert errors.status_code == 200 and "line,error" in errors.text
        assert "3," in errors.text  # the line of the bad date


def test_decisions_need_who_and_why(fict_home: Path) -> None:
    with TestClient(build_app(fict_home)) as client:
        job = upload(client)
        row = _rows(client.get(job).text)[0]["row"]
        for data, message in (
            ({"verdict": "false_positive", "reviewer": "", "reason": "x"}, "reviewer: required"),
            ({"verdict": "false_positive", "reviewer": "A", "reason": " "}, "reason: required"),
            ({"verdict": "maybe", "reviewer": "A", "reason": "x"}, "verdict"),
        ):
            response = client.post(job + "/decisions",
                                   data={"csrf_token": token(client, job), "row": row, **data})  # fmt: skip
            assert response.status_code == 422 and message in text_of(response.text)
        response = client.post(job + "/decisions", data={"csrf_token": token(client, job),
                               "row": "999", "verdict": "true_positive", "reviewer": "A",
                               "reason": "x"})  # fmt: skip
        assert response.status_code == 404
        assert not (fict_home / "web" / "decisions.jsonl").exists()


def test_alert_status_rule() -> None:
    d = new_decision(party="p", entity="e", verdict="false_positive", reviewer="A", reason="r",
                     version="v1", entry="f1")  # fmt: skip
    assert alert_status(None, "v1", "f1") == OPEN
    assert alert_status(d, "v1", None) == SUPPRESSED  # same list version
    assert alert_status(d, "v2", "f1") == SUPPRESSED  # later version, entry unchanged
    assert alert_status(d, "v2", "f2") == REOPENED  # the entry changed
    assert alert_status(d, "v2", None) == REOPENED  # unknown: ask again
    t = new_decision(party="p", entity="e", verdict="true_positive", reviewer="A", reason="r")
    assert alert_status(t, "v9", "f9") == CONFIRMED
    with pytest.raises(DecisionError, match="reviewer"):
        new_decision(party="p", entity="e", verdict="true_positive", reviewer="\x00", reason="r")
