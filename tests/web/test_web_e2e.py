"""The analyst's journey in a real browser: Debian's Chromium driven by Playwright, against a
real uvicorn server over a store of the real UN Security Council list.

One server and one browser for the module. The steps build on each other, as an analyst's
day does: search a listed company and open it, read its network, screen a book, download
the results, mark alerts, then a list update arrives and the Changes page says which rows
it affects. Screenshots of every step go to tests/web/artifacts/ (override with
$SANCTIONSNET_TEST_ARTIFACTS).
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from web_support import build_app

from sanctionsnet.api import Engine
from sanctionsnet.ingest import import_files
from sanctionsnet.store import Store

playwright_api = pytest.importorskip("playwright.sync_api")

HERE = Path(__file__).parent
ARTIFACTS = Path(os.environ.get("SANCTIONSNET_TEST_ARTIFACTS", HERE / "artifacts"))
A11Y = (HERE / "a11y.js").read_text()
OLD_UN = "un/2025-11-20_UN_consolidated.xml"
NEW_UN = "un/2026-02-27_UN_consolidated.xml"
KOMID = "un-sc-kpe.001"  # KOREA MINING DEVELOPMENT TRADING CORPORATION
BOOK = (
    "id,name,schema\n"
    "E1,Korea Mining Development Trading Corporation,Company\n"
    "E2,Tangun Trading Corporation,\n"  # KOREAN TANGUN TRADING CORPORATION, 0.97
    "E3,Victor Prophane,Person\n"  # changed by the 2026-02-27 update
    "E4,Munir al Qubaysi,Person\n"  # removed by it
    "E5,Abdul Rahim Hamdan Dagalo,Person\n"  # added by it
    "E6,Fictional Webtest Bakery Ltd,Company\n"  # fictional: matches nothing
)


@dataclass
class Server:
    base: str
    home: Path
    engine: Engine
    lists: Path
    journey: dict[str, Any] = field(default_factory=dict)


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        message = "Debian's chromium is not installed (apt-get install chromium)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    home = tmp_path_factory.mktemp("web-e2e") / "home"
    lists = shared_data / "lists"
    import_files(Store(home), "un_sc", [lists / OLD_UN])
    engine = Engine(Store(home), reload_interval=0.5)
    app = build_app(home, engine=engine, refresh=False)
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, name="e2e-uvicorn", daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        assert time.monotonic() < deadline, "the server did not come up"
        try:
            if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    yield Server(base, home, engine, lists)
    uv.should_exit = True
    thread.join(15)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = _chromium()
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, server: Server, request: pytest.FixtureRequest) -> Iterator[Any]:
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    errors: list[str] = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: errors.append(str(e)))
    yield tab
    context.close()
    # No script error and no Content-Security-Policy violation on any page.
    assert errors == [], f"{request.node.name}: browser console errors: {errors}"


def shot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")
    return path


def audit(page: Any) -> None:
    problems = page.evaluate(A11Y)
    assert problems == [], f"accessibility problems on {page.url}: {problems}"


def wait_done(page: Any) -> None:
    """Follow a job's page until its run ends (the page polls and reloads itself)."""
    state = page.locator("#job-state")
    playwright_api.expect(state).to_have_text(re.compile(r"^(done|failed)$"), timeout=60_000)
    assert page.locator("#job-state").inner_text().strip() == "done", page.content()[:3000]


def test_search_a_real_name_and_open_it_with_the_keyboard(page: Any, server: Server) -> None:
    page.goto(server.base + "/")
    audit(page)
    # The empty form has the name field focused; "/" jumps back to it from anywhere.
    assert page.evaluate("document.activeElement.id") == "name"
    page.locator("h1").click()
    assert page.evaluate("document.activeElement.id") != "name"
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "name"
    page.keyboard.type("Korea Mining Development Trading Corporation")
    page.keyboard.press("Enter")
    page.wait_for_selector(".result-link")
    first = page.locator(".result-link").first
    assert first.inner_text() == "KOREA MINING DEVELOPMENT TRADING CORPORATION"
    assert first.get_attribute("href") == f"/ui/entity/{KOMID}"
    assert "name=Korea+Mining+Development+Trading+Corporation" in page.url
    assert "name" in page.locator(".features").first.inner_text()
    audit(page)
    shot(page, "01-screening")
    server.journey["search_url"] = page.url
    # j focuses the first result, Enter opens it.
    page.locator("h1").click()
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.getAttribute('href')") == f"/ui/entity/{KOMID}"
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/ui/entity/{KOMID}")


def test_the_search_url_is_shareable(page: Any, server: Server) -> None:
    assert "search_url" in server.journey, "the search step did not run"
    page.goto(server.journey["search_url"])
    assert page.locator(".result-link").first.get_attribute("href") == f"/ui/entity/{KOMID}"


def test_entity_page_draws_its_network_with_evidence(page: Any, server: Server) -> None:
    page.goto(f"{server.base}/ui/entity/{KOMID}")
    page.wait_for_selector("#graph[data-ready='true']")
    canvas = page.locator("#graph canvas").first
    box = canvas.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 300
    nodes = page.evaluate("window.sanctionsnetGraph.nodes().length")
    edges = page.evaluate("window.sanctionsnetGraph.edges().length")
    listed = page.evaluate("window.sanctionsnetGraph.nodes('[?listed]').length")
    assert nodes >= 10 and edges >= 10 and listed >= 5
    assert page.locator("table.links tbody tr").count() == edges
    # Every link has its evidence; selecting one shows it beside the graph.
    page.locator("button.show-edge").first.click()
    detail = page.locator("#graph-detail")
    assert "Evidence" in detail.inner_text()
    assert page.locator("table.links tr.selected").count() == 1
    assert "What the lists say" in page.content()
    assert "First seen" in page.locator("#history").inner_text()
    audit(page)
    shot(page, "02-entity-network")


def test_upload_a_book_follow_it_and_download_results(
    page: Any, server: Server, tmp_path: Path
) -> None:
    book = tmp_path / "e2e-book.csv"
    book.write_text(BOOK)
    page.goto(server.base + "/ui/batch")
    audit(page)
    # Tab lands on the skip link first; following it puts the focus on the content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.set_input_files("#file", str(book))
    page.fill("#b-by", "E2E Analyst")
    page.click("button:has-text('Upload and screen')")
    page.wait_for_url("**/ui/batch/2*")
    wait_done(page)
    server.journey["job"] = page.url
    with page.expect_download() as info:
        page.click("text=Download results (CSV)")
    download = info.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert download.suggested_filename == "e2e-book-results.csv"
    rows = list(csv.DictReader(saved.open(encoding="utf-8")))
    by_id: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_id.setdefault(row["id"], []).append(row)
    assert by_id["E1"][0]["match_id"] == KOMID and float(by_id["E1"][0]["match_score"]) == 1.0
    assert by_id["E2"][0]["match_id"] == "un-sc-kpe.008"
    assert "E6" not in by_id and "E5" not in by_id
    assert {r["alert_status"] for r in rows} == {"open"}
    audit(page)
    shot(page, "03-batch-results")


def test_mark_alerts_and_see_them_suppressed_on_rerun(page: Any, server: Server) -> None:
    assert "job" in server.journey, "the batch step did not run"
    page.goto(server.journey["job"])
    for entity, reason in (
        ("un-sc-kpe.008", "our customer is a bakery supplier in Busan, not the DPRK entity"),
        ("un-sc-hti.006", "different person: date of birth does not match"),
    ):
        alert = page.locator(".alert", has=page.locator(f"a[href='/ui/entity/{entity}']"))
        alert.locator("input[value='false_positive']").check()
        alert.locator("input[name='reason']").fill(reason)
        alert.locator("button:has-text('Record')").click()
        page.wait_for_selector("text=Decision recorded.")
    # Marked false: out of the alerts view, kept under "false positive (suppressed)".
    assert page.locator("a[href='/ui/entity/un-sc-kpe.008']").count() == 0
    assert page.locator(f"a[href='/ui/entity/{KOMID}']").count() == 1
    page.click("button:has-text('Rerun against the current lists')")
    page.wait_for_url("**/ui/batch/2*")
    assert page.url != server.journey["job"]
    wait_done(page)
    server.journey["rerun"] = page.url
    assert page.locator("a[href='/ui/entity/un-sc-kpe.008']").count() == 0
    page.click("nav.filters >> text=False positive (suppressed)")
    suppressed = page.locator(".alert-suppressed")
    assert suppressed.count() == 2
    assert "Marked false positive by E2E Analyst" in suppressed.first.inner_text()
    audit(page)
    shot(page, "04-suppressed-on-rerun")


def test_a_list_update_shows_its_changes_and_the_rows_it_affects(page: Any, server: Server) -> None:
    assert "job" in server.journey, "the batch step did not run"
    result = import_files(Store(server.home), "un_sc", [server.lists / NEW_UN])
    new = result.version.id
    deadline = time.monotonic() + 60
    while (snapshot := server.engine.snapshot) is None or snapshot.versions["un_sc"].id != new:
        assert time.monotonic() < deadline, "the server did not pick up the new version"
        time.sleep(0.2)
    page.goto(server.base + "/ui/changes")
    audit(page)
    page.click(f"a[href='/ui/changes/un_sc/{new}']")
    page.wait_for_url(f"**/ui/changes/un_sc/{new}")
    text = page.locator("main").inner_text()
    assert "4 added, 1 removed, 2 changed" in text
    job_id = server.journey["job"].rsplit("/", 1)[1]
    impact = page.locator("article.impact", has=page.locator(f"a[href='/ui/batch/{job_id}']"))
    impact_text = impact.inner_text()
    assert "MUNIR AL QUBAYSI" in impact_text and "removed" in impact_text  # an alert now void
    assert "PROPHANE VICTOR" in impact_text and "changed" in impact_text
    assert "ABDUL RAHIM HAMDAN DAGALO" in impact_text and "added" in impact_text  # a new match
    assert "False-positive decisions this update reopens" in text
    audit(page)
    shot(page, "05-changes")
    # A delisted entry keeps its page: as the last version that held it gave it.
    page.locator("#removed-title + ul a", has_text="MUNIR AL QUBAYSI").click()
    page.wait_for_url("**/ui/entity/un-sc-iqi.074*")
    assert "No longer listed" in page.locator("main").inner_text()
    assert (
        "Removed (delisted) in the publication of 2026-02-27"
        in page.locator("#history").inner_text()
    )
    audit(page)
    # Rerun: the entry that changed alerts again; the unchanged one stays suppressed.
    page.goto(server.journey["rerun"])
    page.click("button:has-text('Rerun against the current lists')")
    page.wait_for_url("**/ui/batch/2*")
    wait_done(page)
    reopened = page.locator(".alert-reopened")
    assert reopened.count() == 1 and "PROPHANE VICTOR" in reopened.inner_text()
    assert page.locator("a[href='/ui/entity/un-sc-kpe.008']").count() == 0
    assert page.locator("a[href='/ui/entity/un-sc-sdi.008']").count() == 1  # Dagalo, added
    shot(page, "06-reopened-after-update")


def test_plots_and_check_pages(page: Any, server: Server, fixtures: Path) -> None:
    page.goto(server.base + "/ui/check")
    audit(page)
    page.set_input_files("#c-file", str(fixtures / "regime" / "dprk_cases.csv"))
    page.click("button:has-text('Check')")
    page.wait_for_url("**/ui/check/2*")
    assert "S/RES/2375 (2017), para. 16" in page.locator("main").inner_text()
    audit(page)
    shot(page, "07-check")
    page.goto(server.base + "/ui/plots")
    assert page.locator("svg.chart").count() == 3
    assert page.locator("svg.chart circle").count() >= 2  # a point per UN version
    audit(page)
    shot(page, "08-plots")
