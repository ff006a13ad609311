"""The real OFAC SDN list (sdn.csv of 2024-05-03) as a network: its "Linked To" graph
checked against an independent reading of the raw file, and a DPRK network walked end to
end, every link with the list's own words as evidence."""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from pathlib import Path

import pytest

from sanctionsnet.ingest import import_files
from sanctionsnet.network.graph import Graph
from sanctionsnet.network.list_edges import list_network
from sanctionsnet.store import Store

SDN = "ofac_sdn/2024-05-03_sdn-only_jackdwyer/sdn.csv"
FTB = "15603"  # FOREIGN TRADE BANK OF THE DEMOCRATIC PEOPLE'S REPUBLIC OF KOREA
MINGZHENG = "22583"  # MINGZHENG INTERNATIONAL TRADING LIMITED
SUN_WEI = "22623"  # SUN, Wei
KIM_KYONG_NAM = "18554"  # KIM, Kyong Nam, FTB representative in Russia


def _key(name: str) -> str:
    return re.sub(r"[\W_]+", " ", name.casefold()).strip()


def raw_rows(shared_data: Path) -> dict[str, list[str]]:
    """ent_num -> the row of sdn.csv: ent_num, name, type, program, title, ..., remarks."""
    with (shared_data / "lists" / SDN).open(encoding="latin-1", newline="") as fh:
        return {row[0]: row for row in csv.reader(fh) if len(row) >= 12}


def raw_linked_to(rows: dict[str, list[str]]) -> set[tuple[str, str]]:
    """(ent_num, linked ent_num) from the remarks, by the list's own conventions: a name
    designates the entry with that primary name or a.k.a.; a name several entries share
    designates the one with a program in common, then the nearest entry number."""
    by_name: dict[str, set[str]] = defaultdict(set)
    for ent, row in rows.items():
        by_name[_key(row[1])].add(ent)
        for alias in re.findall(r"a\.k\.a\. '([^']+)'", row[11]):
            by_name[_key(alias)].add(ent)
    programs = {ent: set(row[3].split("] [")) for ent, row in rows.items()}
    edges = set()
    for ent, row in rows.items():
        for name in re.findall(r"Linked To: ([^;]+?)(?:;|\.?\s*$)", row[11].strip()):
            options = sorted(by_name.get(_key(name.strip().rstrip(".")), set()) - {ent})
            if not options:
                continue
            best = min(
                options,
                key=lambda o: (-len(programs[o] & programs[ent]), abs(int(o) - int(ent))),
            )
            edges.add((ent, best))
    return edges


def components(edges: set[tuple[str, str]]) -> list[int]:
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for a, b in edges:
        parent[find(a)] = find(b)
    sizes: dict[str, int] = defaultdict(int)
    for x in list(parent):
        sizes[find(x)] += 1
    return sorted(sizes.values(), reverse=True)


@pytest.fixture(scope="module")
def sdn(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Graph, dict]:
    store = Store(tmp_path_factory.mktemp("sdn") / "home")
    import_files(store, "ofac_sdn", [shared_data / "lists" / SDN])
    nodes, edges, versions = list_network(store)
    return Graph(nodes, edges, versions), raw_rows(shared_data)


def ent(entity_id: str) -> str:
    return entity_id.rsplit("-", 1)[-1]


def test_linked_to_edges_equal_the_raw_file(sdn: tuple[Graph, dict]) -> None:
    graph, rows = sdn
    ours = {
        (ent(e.source), ent(e.target))
        for e in graph.edges
        if e.relation == "linked" and e.role == "Linked To"
    }
    expected = raw_linked_to(rows)
    assert len(expected) == 6367
    assert ours == expected
    # every such edge quotes the segment of the entry's remarks that states it
    for edge in graph.edges:
        if edge.role == "Linked To":
            ev = edge.evidence[0]
            assert ev.kind == "list" and ev.ref == ent(edge.source) and ev.text
            assert ev.text in rows[ev.ref][11], (ev.ref, ev.text)


def test_largest_components_equal_the_raw_file(sdn: tuple[Graph, dict]) -> None:
    graph, rows = sdn
    linked = [e for e in graph.edges if e.role == "Linked To"]
    ours = [len(c) for c in graph.components(linked)]
    expected = components(raw_linked_to(rows))
    assert ours[:10] == expected[:10]
    assert len(ours) == len(expected)
    assert ours[0] > 1000  # one large web (Iran, Hizballah, IRGC...) dominates


def test_dprk_bank_network_walked_end_to_end(sdn: tuple[Graph, dict]) -> None:
    graph, rows = sdn
    # What the raw list says (read here, independently of the parser):
    ftb_name = rows[FTB][1]
    assert ftb_name == "FOREIGN TRADE BANK OF THE DEMOCRATIC PEOPLE'S REPUBLIC OF KOREA"
    assert f"Linked To: {ftb_name}" in rows[MINGZHENG][11]  # front company -> bank
    assert "Linked To: SUN, Wei" in rows[MINGZHENG][11]  # front company -> its agent
    assert f"Linked To: {ftb_name}" in rows[SUN_WEI][11]
    assert rows[KIM_KYONG_NAM][4].startswith("Foreign Trade Bank of the Democratic")  # title

    # From the front company to the bank's representative in Russia: two links via the bank.
    paths = graph.shortest_paths(
        [f"ofac-sdn-{MINGZHENG}"], lambda n: n == f"ofac-sdn-{KIM_KYONG_NAM}", hops=3
    )
    assert paths, "no path from MINGZHENG to KIM Kyong Nam"
    path = paths[0]
    assert [ent(b) for _, _, b in path] == [FTB, KIM_KYONG_NAM]
    first, second = path[0][0], path[1][0]
    assert first.relation == "linked" and first.evidence[0].text == f"Linked To: {ftb_name}"
    assert second.target == f"ofac-sdn-{FTB}"
    assert second.relation in ("linked", "representative")
    # and the bank's own neighbourhood holds its front companies, agent and representatives
    around = {ent(other): edge for edge, other in graph.neighbours(f"ofac-sdn-{FTB}")}
    assert {MINGZHENG, SUN_WEI, KIM_KYONG_NAM, "24518"} <= set(around)
    rep = next(
        e
        for e, other in graph.neighbours(f"ofac-sdn-{FTB}")
        if ent(other) == KIM_KYONG_NAM and e.relation == "representative"
    )
    assert rep.evidence[0].kind == "list-text"
    assert rep.evidence[0].text == rows[KIM_KYONG_NAM][4]
    assert rep.source == f"ofac-sdn-{KIM_KYONG_NAM}"


def test_vessel_owners_from_the_vessel_owner_column(sdn: tuple[Graph, dict]) -> None:
    graph, rows = sdn
    raw = {(ent_num, row[10].strip()) for ent_num, row in rows.items() if row[10].strip() != "-0-"}
    ours = {
        (ent(e.target), e.evidence[0].text.split(": ", 1)[1])
        for e in graph.edges
        if e.role == "Vessel owner"
    }
    assert {(v, owner.rstrip(".")) for v, owner in raw} == {(v, o.rstrip(".")) for v, o in ours}
    # an owner written as a listed name is that entry; others are kept as unlisted parties
    owners = {
        graph.node(e.source).caption: graph.node(e.source)
        for e in graph.edges
        if e.role == "Vessel owner"
    }
    assert owners["BERATEX GROUP LIMITED"].listed
    assert owners["BERATEX GROUP LIMITED"].id == "ofac-sdn-" + next(
        k for k, row in rows.items() if row[1] == "BERATEX GROUP LIMITED"
    )
    assert not owners["Samir de Navegacion S.A"].listed
    assert not owners["NITC"].listed  # an acronym this file alone does not resolve
