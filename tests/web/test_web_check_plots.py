"""The Check page (transactions against the UN DPRK measures), the plots, and the shipped assets."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_support import text_of, token

from sanctionsnet.web import pages
from sanctionsnet.web.plots import bar_chart, line_chart, nice_ticks

STATIC = Path(pages.__file__).parent / "static"


def check(client: TestClient, path: Path) -> object:
    return client.post(
        "/ui/check",
        data={"csrf_token": token(client, "/ui/check"), "by": "Bo"},
        files={"file": (path.name, path.read_bytes(), "text/csv")},
        follow_redirects=False,
    )


def test_check_shows_findings_with_citations(client: TestClient, fixtures: Path) -> None:
    response = check(client, fixtures / "regime" / "dprk_cases.csv")
    assert response.status_code == 303, text_of(response.text)
    page = client.get(response.headers["location"])
    text = text_of(page.text)
    assert "GARMENT-2018" in text and "breach" in text
    assert "S/RES/2375 (2017), para. 16" in text  # the textiles ban, cited
    assert "Textiles from the DPRK" in text and "origin KP is" in text
    # Clear transactions are hidden unless asked for.
    everything = text_of(client.get(response.headers["location"] + "?show=all").text)
    assert len(everything) > len(text)
    report = client.get(response.headers["location"] + "/report.json").json()
    assert report["summary"]["transactions"] == 15 and report["summary"]["breach"] >= 1
    # The shipment findings by measure, drawn and tabulated.
    assert 'aria-labelledby="chart' in page.text and "Shipment findings by measure" in page.text
    assert "UN-TEXTILES" in text
    assert "dprk_cases.csv" in text_of(client.get("/ui/check").text)


def test_bad_transactions_name_line_and_column(client: TestClient, fixtures: Path) -> None:
    response = check(client, fixtures / "regime" / "bad_transactions.csv")
    assert response.status_code == 422
    text = text_of(response.text)
    assert "bad_transactions.csv" in text and "nothing was checked" in text
    assert re.search(r"\b2 B1 date\b", text)  # line 2, row B1, column date
    assert "/tmp" not in response.text  # the server's copy of the file is not named
    assert client.app.state.web.checks.list() == []  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [("t.xlsx", b"x", "is not CSV or JSON lines"), ("t.csv", b"", "is empty"),
     ("t.csv", b"id,type\n1,shipment\n", "no 'date' column")],
)  # fmt: skip
def test_bad_check_files(client: TestClient, name: str, content: bytes, message: str) -> None:
    response = client.post(
        "/ui/check",
        data={"csrf_token": token(client, "/ui/check")},
        files={"file": (name, content, "text/csv")},
    )
    assert response.status_code == 422
    assert message in text_of(response.text)


def test_plots_page_draws_the_three_plots(client: TestClient, fixtures: Path) -> None:
    check(client, fixtures / "regime" / "dprk_cases.csv")
    page = client.get("/ui/plots")
    assert page.status_code == 200
    for title in (
        "List sizes over versions",
        "Alerts by score band",
        "Shipment findings by measure",
    ):
        assert f">{title}</title>" in page.text
    assert page.text.count('<svg class="chart"') == 3
    assert "un_sc" in text_of(page.text)


def test_charts_escape_their_labels_and_scale() -> None:
    svg = str(bar_chart([("<b>x</b>", {"a": 3})], title="t <i>", x_label="n"))
    assert "<b>" not in svg and "&lt;b&gt;x&lt;/b&gt;" in svg and "&lt;i&gt;" in svg
    assert 'role="img"' in svg
    from datetime import date

    svg = str(line_chart({"l<1>": [(date(2020, 1, 1), 5.0), (date(2021, 1, 1), 7.0)]},
                         title="sizes", y_label="entries"))  # fmt: skip
    assert "l&lt;1&gt;" in svg and svg.count("<circle") == 2
    assert nice_ticks(7, integer=True) == [0.0, 2.0, 4.0, 6.0, 8.0]
    assert nice_ticks(0.9)[-1] >= 0.9
    assert "No data" in str(bar_chart([], title="t", x_label="x"))


def test_vendored_cytoscape_matches_its_manifest() -> None:
    manifest = json.loads((STATIC / "vendor.json").read_text())
    entry = manifest["cytoscape"]
    data = (STATIC / entry["file"]).read_bytes()
    assert hashlib.sha256(data).hexdigest() == entry["sha256"]
    assert f'version="{entry["version"]}"'.replace('"', "") or True
    assert f'cf.version="{entry["version"]}"'.encode() in data
    licence = (STATIC / entry["license_file"]).read_text()
    assert "Permission is hereby granted" in licence and entry["license"] == "MIT"
