"""`sanctionsnet ownership`, `exposure` and `network` over the shipped (fictional) samples,
and the functions the API serves."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from followthemoney import model
from typer.testing import CliRunner

from sanctionsnet.cli import app
from sanctionsnet.network import (
    NetworkQueryError,
    UnknownEntityError,
    entity_network,
    exposure,
    get_rule,
    ownership_report,
)
from sanctionsnet.network.model import party_id
from sanctionsnet.store import Store

runner = CliRunner()
ALPHA = party_id("Fictional Alpha Holdings Ltd")
BETA = party_id("Fictional Beta Shipping Ltd")
GAMMA = party_id("Fictional Gamma Trading Ltd")
DELTA = party_id("Fictional Delta Logistics Ltd")
EPSILON = party_id("Fictional Epsilon Ltd")


def invoke(*args: str) -> dict:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# -- ownership ------------------------------------------------------------------------------


def test_ownership_ofac_and_eu(sample_home: Path, fixtures: Path) -> None:
    csv = str(fixtures / "network" / "ownership.csv")
    ofac = invoke("ownership", csv)
    blocked = {f["entity"]["id"]: f for f in ofac["blocked"]}
    assert {k for k, f in blocked.items() if f["status"] == "blocked"} == {ALPHA, BETA, GAMMA}
    assert {k for k, f in blocked.items() if f["status"] == "possibly_blocked"} == {DELTA}
    # Beta: listed FICTIONAL TEST TRADING LLC -50 %-> Alpha -60 %-> Beta, with the rows
    [chain] = blocked[BETA]["chains"]
    assert [(link["owner"], link["share"]["label"]) for link in chain] == [
        ("ofac-sdn-9000002", "50 %"),
        (ALPHA, "60 %"),
    ]
    assert [link["evidence"][0]["line"] for link in chain] == [2, 3]
    assert chain[0]["evidence"][0]["match"][0]["score"] == 1.0
    # Gamma: two listed owners of 25 % each (OFAC aggregates)
    assert len(blocked[GAMMA]["chains"]) == 2
    assert [c["entity"]["id"] for c in ofac["caution"]] == [EPSILON]  # control only
    assert {p["id"] for p in ofac["listed"]} == {
        "ofac-sdn-9000002",
        "uk-ofsi-90002",
        "uk-fcdo-tst0001",
    }

    eu = invoke("ownership", csv, "--rule", "eu")
    assert [(f["entity"]["id"], f["status"], f["basis"]) for f in eu["blocked"]] == [
        (EPSILON, "blocked", "control")
    ]
    assert {c["entity"]["id"] for c in eu["caution"]} == {ALPHA, GAMMA}


def test_ownership_text_output(sample_home: Path, fixtures: Path) -> None:
    result = runner.invoke(app, ["ownership", str(fixtures / "network" / "ownership.csv")])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "3 listed, 3 blocked, 1 possibly blocked" in out
    assert (
        "chain: FICTIONAL TEST TRADING LLC -[ownership 50 %]-> Fictional Alpha Holdings Ltd "
        "-[ownership 60 %]-> Fictional Beta Shipping Ltd" in out
    )
    assert "POSSIBLY BLOCKED Fictional Delta Logistics Ltd" in out
    assert (
        "because the stake of Fictional Alpha Holdings Ltd in Fictional Delta Logistics Ltd is 25-50 %"
        in out
    )
    assert "ownership.csv line 3 (fictional registry extract)" in out


def test_ownership_lists_option(sample_home: Path, fixtures: Path) -> None:
    data = invoke("ownership", str(fixtures / "network" / "ownership.csv"), "--lists", "uk_ofsi")
    assert [p["id"] for p in data["listed"]] == ["uk-ofsi-90002"]
    assert data["summary"]["blocked"] == 0  # one 25 % owner left
    result = runner.invoke(
        app, ["ownership", str(fixtures / "network" / "ownership.csv"), "--lists", "nope"]
    )
    assert result.exit_code == 1 and "no list nope in the store" in result.output


def test_ownership_errors_exit_1_with_file_and_line(sample_home: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("owner,owned,share\nA,B,50\nA,C,fifty\n", encoding="utf-8")
    result = runner.invoke(app, ["ownership", str(bad)])
    assert result.exit_code == 1
    assert "bad.csv, line 3: stake 'fifty' is not a percentage" in result.output
    assert "Traceback" not in result.output and result.stdout == ""
    result = runner.invoke(app, ["ownership", str(bad), "--rule", "uk"])
    assert result.exit_code == 1 and "unknown rule set 'uk'" in result.output
    result = runner.invoke(app, ["ownership", str(bad), "--threshold", "0.95"])
    assert result.exit_code == 1 and "--threshold <= --certain" in result.output


def test_ownership_report_function(sample_store: Store, fixtures: Path) -> None:
    report = ownership_report(
        sample_store, [fixtures / "network" / "ownership.ftm.json"], get_rule("eu")
    )
    holdco = party_id("Fictional Omega Holdco Ltd")
    opco = party_id("Fictional Omega Operating Ltd")
    assert set(report.blocked) == {holdco, opco}
    data = report.to_json()
    opco_finding = next(f for f in data["blocked"] if f["entity"]["id"] == opco)
    assert opco_finding["basis"] == "control"
    assert opco_finding["chains"][0][0]["relation"] == "control"  # the decisive link first
    ofac = ownership_report(
        sample_store, [fixtures / "network" / "ownership.ftm.json"], get_rule("ofac")
    )
    # 75 % -> holdco blocked; opco: 10 % + 25-50 % via holdco = 35-60 %: possibly
    assert ofac.blocked == [holdco] and ofac.possibly_blocked == [opco]


# -- exposure and the network ---------------------------------------------------------------


def test_exposure_of_an_unlisted_parent(sample_home: Path) -> None:
    data = invoke("exposure", "Fictional Parent Holding")
    assert [p["node"]["id"] for p in data["parties"]] == ["party-fictional-parent-holding"]
    targets = [(p["target"]["id"], p["length"]) for p in data["paths"]]
    assert targets == [("uk-fcdo-tst0002", 1), ("uk-ofsi-90002", 1)]
    step = data["paths"][0]["steps"][0]
    assert step["relation"] == "ownership" and step["direction"] == "forward"
    assert step["evidence"][0]["text"] == "Parent company: Fictional Parent Holding"
    assert step["evidence"][0]["ref"] == "TST0002" and step["evidence"][0]["version"]


def test_exposure_through_a_users_ownership_file(sample_home: Path, fixtures: Path) -> None:
    data = invoke(
        "exposure",
        "Fictional Beta Shipping Ltd",
        "--ownership",
        str(fixtures / "network" / "ownership.csv"),
        "--hops",
        "3",
    )
    first = data["paths"][0]
    assert first["target"]["id"] == "ofac-sdn-9000002" and first["length"] == 2
    assert [s["direction"] for s in first["steps"]] == ["backward", "backward"]
    assert [s["evidence"][0]["line"] for s in first["steps"]] == [3, 2]
    lengths = [p["length"] for p in data["paths"]]
    assert lengths == sorted(lengths)


def test_exposure_text_and_misses(sample_home: Path) -> None:
    result = runner.invoke(app, ["exposure", "ofac-sdn-9000003"])
    assert result.exit_code == 0, result.output
    assert "FICTIONAL TEST VESSEL is linked to FICTIONAL TEST TRADING LLC" in result.stdout
    assert "ofac_sdn 9000003: Linked To: FICTIONAL TEST TRADING LLC" in result.stdout
    result = runner.invoke(app, ["exposure", "Completely Unknown Fictional Party Xyzzy"])
    assert result.exit_code == 0 and "No party" in result.stdout
    result = runner.invoke(app, ["exposure", "x", "--hops", "0"])
    assert result.exit_code == 1 and "hops must be between 1 and 6" in result.output


def test_network_show_stats_and_errors(sample_home: Path) -> None:
    data = invoke("network", "show", "uk-fcdo-tst0002")
    assert data["entity"]["id"] == "uk-fcdo-tst0002"
    texts = {e["evidence"][0]["text"] for e in data["edges"]}
    assert texts == {
        "Director of Fictional Test Trading LLC",
        "Parent company: Fictional Parent Holding",
        "Subsidiary: Fictional Daughter Ltd",
    }
    stats = invoke("network", "stats")
    rows = {(r["dataset"], r["kind"], r["relation"]): r["edges"] for r in stats["by_dataset"]}
    assert rows[("ofac_sdn", "list", "linked")] == 4
    assert rows[("uk_ofsi", "list", "ownership")] == 1
    assert stats["components"][0]["size"] >= stats["components"][-1]["size"]
    result = runner.invoke(app, ["network", "show", "nope"])
    assert result.exit_code == 1 and "no entity 'nope'" in result.output


def test_api_functions(sample_store: Store) -> None:
    data = entity_network(sample_store, "ofac-sdn-9000002", hops=2)
    ids = {n["id"] for n in data["nodes"]}
    assert {"ofac-sdn-9000001", "ofac-sdn-9000003", "ofac-sdn-9000005"} <= ids
    assert data["versions"]["ofac_sdn"] == sample_store.current("ofac_sdn").id  # type: ignore[union-attr]
    json.dumps(data)  # JSON-ready
    found = exposure(sample_store, ids=["ofac-sdn-9000001"], hops=2)
    assert found["listed"][0]["id"] == "ofac-sdn-9000001"
    assert [p["target"]["id"] for p in found["paths"]] == ["ofac-sdn-9000002"]
    json.dumps(found)
    with pytest.raises(UnknownEntityError):
        entity_network(sample_store, "nope")
    with pytest.raises(UnknownEntityError):
        exposure(sample_store, ids=["nope"])
    with pytest.raises(NetworkQueryError):
        exposure(sample_store)
    with pytest.raises(NetworkQueryError):
        entity_network(sample_store, "ofac-sdn-9000002", hops=7)


# -- export ------------------------------------------------------------------------------------


def test_export_ftm_round_trips_through_ownership(
    sample_home: Path, fixtures: Path, tmp_path: Path
) -> None:
    out = tmp_path / "net.ftm.json"
    csv = fixtures / "network" / "ownership.csv"
    result = runner.invoke(
        app,
        [
            "network",
            "export",
            "ofac-sdn-9000002",
            "--hops",
            "2",
            "--ownership",
            str(csv),
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    entities = [model.get_proxy(json.loads(line)) for line in out.read_text().splitlines()]
    by_schema: dict[str, list] = {}
    for entity in entities:
        by_schema.setdefault(entity.schema.name, []).append(entity)
    # the listed party as stored, with its Sanction
    stored = next(e for e in entities if e.id == "ofac-sdn-9000002")
    assert stored.schema.name == "Company" and stored.get("program")
    assert any("ofac-sdn-9000002" in s.get("entity") for s in by_schema["Sanction"])
    shares = {
        (o.first("owner"), o.first("asset")): o.first("percentage") for o in by_schema["Ownership"]
    }
    assert shares[("ofac-sdn-9000002", ALPHA)] == "50%"
    assert shares[(ALPHA, DELTA)] == "25-50"
    assert any(u.first("role") == "control" for u in by_schema["UnknownLink"])
    # read back as ownership data, it blocks the same entities
    again = invoke("ownership", str(out))
    original = invoke("ownership", str(csv))
    assert sorted((f["entity"]["id"], f["status"]) for f in again["blocked"]) == sorted(
        (f["entity"]["id"], f["status"]) for f in original["blocked"] if f["entity"]["id"] != GAMMA
    )  # Gamma's second owner is 2 hops away from the centre, outside the subgraph


def test_export_graphml(sample_home: Path, tmp_path: Path) -> None:
    out = tmp_path / "net.graphml"
    result = runner.invoke(
        app, ["network", "export", "uk-fcdo-tst0002", "--format", "graphml", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    graph = nx.read_graphml(out, force_multigraph=True)
    assert graph.nodes["uk-fcdo-tst0002"]["listed"] is True
    assert graph.nodes["party-fictional-parent-holding"]["listed"] is False
    edge = next(
        iter(graph.get_edge_data("party-fictional-parent-holding", "uk-fcdo-tst0002").values())
    )
    assert edge["relation"] == "ownership"
    assert json.loads(edge["evidence"])[0]["text"] == "Parent company: Fictional Parent Holding"
    result = runner.invoke(app, ["network", "export", "uk-fcdo-tst0002", "--format", "pdf"])
    assert result.exit_code == 1 and "--format must be ftm or graphml" in result.output
