"""Reading users' ownership data: CSV and followthemoney lines, names matched to the
lists by the screening engine (the match is evidence), every bad row named by file and line.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sanctionsnet.network.load import load_network
from sanctionsnet.network.model import party_id
from sanctionsnet.network.ownership_input import OwnershipInputError, read_ownership
from sanctionsnet.network.service import read_user_data
from sanctionsnet.network.shares import ShareError, parse_share
from sanctionsnet.store import Store


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("50", 50, 50),
        ("50%", 50, 50),
        (" 33,3 % ", 33.3, 33.3),
        ("25-50", 25, 50),
        ("25 % – 50 %", 25, 50),
        ("10 to 20", 10, 20),
        (">=50", 50, 100),
        ("<25", 0, 25),
        ("all", 100, 100),
    ],
)
def test_shares(text: str, low: float, high: float) -> None:
    share = parse_share(text)
    assert share is not None and (share.low, share.high) == (low, high)


def test_majority_is_more_than_half() -> None:
    share = parse_share("Majority")
    assert share is not None and 50 < share.low < 50.001 and share.high == 100
    assert share.describe() == "majority (>50 %)"
    above = parse_share(">50")
    assert above is not None and above.low == share.low


@pytest.mark.parametrize("text", ["abc", "120", "-5", "60-40", "50%%", "half"])
def test_bad_shares(text: str) -> None:
    with pytest.raises(ShareError):
        parse_share(text)


def test_empty_share_is_unknown() -> None:
    assert parse_share("") is None and parse_share("  ") is None and parse_share(None) is None


# -- CSV without a store ----------------------------------------------------------------


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_csv_semicolons_bom_quotes_and_line_numbers(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "stakes.csv",
        "\ufeffOwner;Owned;Share;Relation\n"
        '"Fictional Acme, Holdings";Fictional Beta Ltd;50 %;\n'
        "\n"
        "Fictional Gamma Person;Fictional Beta Ltd;;director\n",
    )
    data = read_ownership(path)
    assert [(e.source, e.target, e.relation) for e in data.edges] == [
        (party_id("Fictional Acme, Holdings"), party_id("Fictional Beta Ltd"), "ownership"),
        (party_id("Fictional Gamma Person"), party_id("Fictional Beta Ltd"), "director"),
    ]
    assert data.edges[0].share is not None and data.edges[0].share.low == 50
    assert [e.evidence[0].line for e in data.edges] == [2, 4]
    assert data.nodes[party_id("Fictional Acme, Holdings")].caption == "Fictional Acme, Holdings"


def test_csv_every_bad_row_is_reported_with_file_and_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "bad.csv",
        "owner,owned,share,relation,owner_schema,date\n"
        "A,B,abc,,,\n"
        "A,,50,,,\n"
        "A,B,50,partner,,\n"
        "A,B,30,control,,\n"
        "A,B,30,,Vessel,\n"
        "A,B,30,,,31/12/2020\n"
        "A,B,30,,,,extra\n"
        "A,B,30,,Person,2020-12-31\n",
    )
    with pytest.raises(OwnershipInputError) as info:
        read_ownership(path)
    problems = info.value.problems
    assert [p.split(":")[0] for p in problems] == [
        "bad.csv, line 8",  # structural problems first (too many fields)
        "bad.csv, line 2",
        "bad.csv, line 3",
        "bad.csv, line 4",
        "bad.csv, line 5",
        "bad.csv, line 6",
        "bad.csv, line 7",
    ]
    text = str(info.value)
    assert "stake 'abc' is not a percentage" in text
    assert "empty 'owned'" in text
    assert "relation 'partner' is not ownership, control or director" in text
    assert "only goes with relation ownership" in text
    assert "owner_schema 'Vessel' is not a party schema" in text
    assert "date '31/12/2020' is not a date" in text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "the file is empty"),
        ("owner,share\nA,50\n", "missing column(s) owned"),
        ("owner,owned,share\n", "no rows after the header"),
    ],
)
def test_csv_unusable_files(tmp_path: Path, content: str, message: str) -> None:
    with pytest.raises(OwnershipInputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_ownership(write(tmp_path, "f.csv", content))


def test_csv_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = write(
        tmp_path, "latin.csv", "owner,owned,share\nA,B,50\nSoci\u00e9t\u00e9,B,10\n", "latin-1"
    )
    with pytest.raises(OwnershipInputError, match=r"latin.csv, line 3: not UTF-8"):
        read_ownership(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(OwnershipInputError, match="cannot read"):
        read_ownership(tmp_path / "nope.csv")


# -- matching against the (fictional) sample lists -------------------------------------


def test_csv_parties_matched_to_listed_entities(sample_store: Store, fixtures: Path) -> None:
    data = read_user_data(sample_store, [fixtures / "network" / "ownership.csv"])
    listed = {n.id for n in data.nodes.values() if n.listed}
    assert listed == {"ofac-sdn-9000002", "uk-ofsi-90002", "uk-fcdo-tst0001"}
    first = data.edges[0]
    assert first.source == "ofac-sdn-9000002"
    assert first.target == party_id("Fictional Alpha Holdings Ltd")
    ev = first.evidence[0]
    assert (ev.file, ev.line, ev.date, ev.source) == (
        "ownership.csv",
        2,
        "2024-01-31",
        "fictional registry extract",
    )
    match = ev.match[0]
    assert match["method"] == "screening" and match["score"] == 1.0
    assert match["entity_id"] == "ofac-sdn-9000002" and match["features"]
    # the same party on other lists is recorded too
    assert {m["entity_id"] for m in ev.match[1:]} >= {"uk-fcdo-tst0002"}
    assert not data.nodes[party_id("Fictional Unrelated Person")].listed


def test_ids_and_possible_matches(sample_store: Store, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "ids.csv",
        "owner,owned,share,owner_schema\n"
        "uk-ofsi-90002,Fictional Kappa Ltd,60,\n"
        "Ivan Testovich,Fictional Kappa Ltd,10,Person\n",
    )
    data = read_user_data(sample_store, [path])
    by_id, fuzzy = data.edges
    assert by_id.source == "uk-ofsi-90002" and by_id.evidence[0].match[0]["method"] == "id"
    # 0.875 is above the 0.7 threshold but below the 0.9 certainty: a possible match only
    node = data.nodes[fuzzy.source]
    assert not node.listed and node.possible_match is not None
    assert node.possible_match["entity_id"] == "uk-fcdo-tst0001"
    assert 0.7 <= node.possible_match["score"] < 0.9
    strict = read_user_data(sample_store, [path], certain=0.8)
    assert strict.edges[1].source == "uk-fcdo-tst0001"


def test_lists_restrict_which_parties_count_as_listed(sample_store: Store, fixtures: Path) -> None:
    data = read_user_data(
        sample_store, [fixtures / "network" / "ownership.csv"], datasets=["uk_ofsi"]
    )
    assert {n.id for n in data.nodes.values() if n.listed} == {"uk-ofsi-90002"}


def test_ftm_lines(sample_store: Store, fixtures: Path) -> None:
    data = read_user_data(sample_store, [fixtures / "network" / "ownership.ftm.json"])
    edges = {(e.source, e.target, e.relation): e for e in data.edges}
    holdco = party_id("Fictional Omega Holdco Ltd")
    opco = party_id("Fictional Omega Operating Ltd")
    person = party_id("Fictional Nobody Person")
    assert set(edges) == {
        ("ofac-sdn-9000002", holdco, "ownership"),
        (holdco, opco, "ownership"),
        ("uk-ofsi-90002", opco, "ownership"),
        (person, opco, "director"),
        ("ofac-sdn-9000002", opco, "control"),
    }
    first = edges[("ofac-sdn-9000002", holdco, "ownership")]
    assert first.share is not None and first.share.low == 75
    ev = first.evidence[0]
    assert (ev.line, ev.entity_id, ev.date, ev.source) == (
        5,
        "fx-own-1",
        "2023-05-01",
        "fictional registry",
    )
    ranged = edges[(holdco, opco, "ownership")].share
    assert ranged is not None and (ranged.low, ranged.high) == (25, 50)
    assert any("fx-own-old ended on 2019-12-31" in w for w in data.warnings)
    assert any("ignored 1 UnknownLink" in w for w in data.warnings)


def test_ftm_errors_name_the_line(sample_store: Store, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "bad.ftm.json",
        '{"id": "a", "schema": "Company", "properties": {"name": ["Fictional A"]}}\n'
        "{not json\n"
        '{"id": "o1", "schema": "Ownership", "properties": {"owner": ["a"], "asset": ["nobody"]}}\n'
        '{"id": "o2", "schema": "Ownership", "properties": {"owner": ["a"], "asset": ["a"], "percentage": ["lots"]}}\n'
        '{"id": "x", "schema": "Spaceship", "properties": {}}\n',
    )
    graph = load_network(sample_store)
    with pytest.raises(OwnershipInputError) as info:
        read_user_data(sample_store, [path], graph=graph)
    problems = info.value.problems
    assert [p.split(":")[0] for p in problems] == [
        "bad.ftm.json, line 2",
        "bad.ftm.json, line 5",
        "bad.ftm.json, line 3",
        "bad.ftm.json, line 4",
    ]
    assert "'nobody' is neither an entity in this file nor a listed entity id" in problems[2]
    assert "percentage: stake 'lots'" in problems[3]
    assert "unknown schema 'Spaceship'" in problems[1]
