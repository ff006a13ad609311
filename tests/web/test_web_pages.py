"""Every page renders from the sample lists, escapes what it shows, and refuses bad input with a 4xx."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_support import FormAudit, build_app, person, text_of, write_ftm

from sanctionsnet.api import Engine
from sanctionsnet.ingest import import_files
from sanctionsnet.store import Store

PAGES = ["/", "/?name=Pak+Chol+Sample", "/ui/batch", "/ui/changes", "/ui/check", "/ui/plots",
         "/ui/entity/un-sc-kpi.901", "/ui/login", "/ui/batch/decisions"]  # fmt: skip


@pytest.mark.parametrize("path", PAGES)
def test_page_is_accessible_html_with_security_headers(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200, response.text[:2000]
    assert response.headers["content-type"].startswith("text/html")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"
    audit = FormAudit()
    audit.feed(response.text)
    assert audit.lang == "en"
    assert audit.tags.count("main") == 1 and "nav" in audit.tags and "header" in audit.tags
    assert audit.unlabelled() == [], f"form controls without a label on {path}"
    assert "<script>" not in response.text  # no inline script: the CSP would refuse it


def test_screening_ranks_explains_and_audits(client: TestClient, web_home: Path) -> None:
    response = client.get("/", params={"name": "Pak Chol Sample", "schema": "Person",
                                       "birth_date": "1966-04-12"})  # fmt: skip
    assert response.status_code == 200
    html = response.text
    first = html.index('class="result-link"')
    assert 'href="/ui/entity/un-sc-kpi.901"' in html[first - 200 : first + 200]
    text = text_of(html)
    assert "PAK CHOL SAMPLE" in text and "birth_date" in text and "Explanation" in text
    # The form keeps what was asked, so the page's URL is the screening to share.
    assert 'value="Pak Chol Sample"' in html and 'value="1966-04-12"' in html
    lines = [
        json.loads(line) for line in (web_home / "logs" / "audit.jsonl").read_text().splitlines()
    ]
    last = lines[-1]
    assert last["endpoint"] == "GET /" and last["queries"]["web"]["name"] == "Pak Chol Sample"
    assert last["results"]["web"][0]["id"] == "un-sc-kpi.901"
    assert last["versions"]["un_sc"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"name": "x", "birth_date": "yesterday"}, "Birth date"),
        ({"name": "x", "threshold": "2"}, "Threshold: between 0 and 1"),
        ({"name": "x", "threshold": "high"}, "Threshold: not a number"),
        ({"name": "x", "ids": "imo"}, "Identifiers"),
        ({"name": "x", "schema": "Spaceship"}, "Type of party"),
        ({"name": "x", "algorithm": "magic"}, "Algorithm"),
        ({"name": "x", "country": "Atlantis"}, "Country"),
        ({"name": "x", "dataset": "nope"}, "Lists"),
        ({"name": "x" * 600}, "Name: at most"),
    ],
)
def test_bad_screening_input_is_a_422_naming_the_field(
    client: TestClient, params: dict[str, str], message: str
) -> None:
    response = client.get("/", params=params)
    assert response.status_code == 422
    assert message in text_of(response.text)
    assert 'role="alert"' in response.text


def test_what_the_user_typed_is_escaped(client: TestClient) -> None:
    attack = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    response = client.get("/", params={"name": attack, "birth_date": attack})
    assert response.status_code == 422
    assert attack not in response.text
    assert (
        "&lt;script&gt;" in response.text and "&lt;img src=x onerror=alert(1)&gt;" in response.text
    )


def test_what_the_lists_say_is_escaped(web_home: Path, tmp_path: Path) -> None:
    """A list entry is data: markup in it is shown, never run."""
    evil = '<img src=x onerror="alert(1)">Zorba Fictional Markup'
    source = write_ftm(tmp_path / "evil.ftm.json", [person("fict-web-evil", evil)])
    import_files(Store(web_home), "ftm", [source], dataset="fict_evil")
    with TestClient(build_app(web_home)) as client:
        results = client.get("/", params={"name": "Zorba Fictional Markup", "threshold": "0.5"})
        entity = client.get("/ui/entity/fict-web-evil")
    for response in (results, entity):
        assert response.status_code == 200
        assert evil not in response.text
        assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;Zorba Fictional Markup" in response.text


def test_entity_page_shows_sources_history_and_network(client: TestClient) -> None:
    response = client.get("/ui/entity/un-sc-kpi.901")
    text = text_of(response.text)
    assert "UN Security Council" in text and "Passport: Document number" in text
    # Small lists are compared while the page waits; the history is a fragment of its own too.
    assert "First seen in the publication of 2026-03-02" in text
    fragment = client.get("/ui/entity/un-sc-kpi.901/history?fragment=1&dataset=un_sc")
    assert "First seen" in text_of(fragment.text) and "<main" not in fragment.text
    # The network: the link to the company the entry represents, with its evidence.
    assert "FICTIONAL OCEAN TRADING CORPORATION" in text
    assert 'data-src="/ui/entity/un-sc-kpi.901/network.json?hops=1"' in response.text
    network = client.get("/ui/entity/un-sc-kpi.901/network.json").json()
    assert {n["id"] for n in network["nodes"]} >= {"un-sc-kpi.901", "un-sc-kpe.901"}
    assert all(e["evidence"] for e in network["edges"])
    assert client.get("/ui/entity/un-sc-kpi.901/network.json?hops=9").status_code == 422
    assert client.get("/ui/entity/nobody/network.json").status_code == 404


def test_same_party_on_other_lists_side_by_side(web_home: Path, tmp_path: Path) -> None:
    """An entry another list also holds (screening score 0.9+) gets a column of its own."""
    twin = person("fict-web-twin", "PAK CHOL SAMPLE", birthDate=["1966-04-12"])
    import_files(Store(web_home), "ftm", [write_ftm(tmp_path / "t.ftm.json", [twin])],
                 dataset="fict_twin")  # fmt: skip
    with TestClient(build_app(web_home)) as client:
        html = client.get("/ui/entity/un-sc-kpi.901").text
    assert 'href="/ui/entity/fict-web-twin"' in html
    assert "screening score 1.00" in text_of(html)


@pytest.mark.parametrize(
    "path", ["/ui/entity/nobody", "/ui/batch/20250101-000000-abcdef", "/ui/batch/..%2F..%2Fetc",
             "/ui/check/nope", "/ui/changes/un_sc/nope", "/ui/changes/nolist/x", "/ui/nothing"]
)  # fmt: skip
def test_unknown_things_are_404_pages(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")


def test_pages_wait_for_the_lists_to_load(web_home: Path) -> None:
    engine = Engine(Store(web_home), reload_interval=0)  # never started: nothing loaded yet
    client = TestClient(build_app(web_home, engine=engine, refresh=False))  # no lifespan
    assert client.get("/").status_code == 200  # the form works
    response = client.get("/", params={"name": "Pak Chol Sample"})
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert '<meta http-equiv="refresh"' in response.text


def test_static_assets_are_shipped_and_cacheable(client: TestClient) -> None:
    html = client.get("/ui/entity/un-sc-kpi.901").text
    for name in ("style.css", "app.js", "graph.js", "cytoscape.min.js", "graph.css"):
        assert f"/ui/static/{name}?v=" in html
    url = html.split('src="/ui/static/cytoscape.min.js')[1].split('"')[0]
    response = client.get("/ui/static/cytoscape.min.js" + url)
    assert response.status_code == 200
    assert "immutable" in response.headers["cache-control"]
    assert client.get("/ui/static/nope.js").status_code == 404


def test_big_list_history_is_compared_in_the_background(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Over the inline budget, the page comes back at once and fetches the history after."""
    from sanctionsnet.web import routes_entity

    monkeypatch.setattr(routes_entity, "INLINE_ENTRIES", 0)
    web = client.app.state.web  # type: ignore[attr-defined]
    monkeypatch.setattr(web.diffs, "warm", lambda pending: None)  # nothing computed behind
    html = client.get("/ui/entity/un-sc-kpi.901").text
    assert "is being compared version by version" in html
    assert 'data-src="/ui/entity/un-sc-kpi.901/history?fragment=1&amp;dataset=un_sc"' in html
    fragment = client.get("/ui/entity/un-sc-kpi.901/history?fragment=1&dataset=un_sc")
    assert "First seen in the publication of 2026-03-02" in text_of(fragment.text)
    full = client.get("/ui/entity/un-sc-kpi.901/history?dataset=un_sc")
    assert "<main" in full.text and "First seen" in text_of(full.text)
    assert "First seen" in text_of(client.get("/ui/entity/un-sc-kpi.901").text)
