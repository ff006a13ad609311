"""Relations read from the lists' own words (the texts are modelled on the lists' phrasing;
names are fictional)."""

from __future__ import annotations

from sanctionsnet.network.text_relations import (
    MentionIndex,
    labelled_relations,
    mention_relations,
    reading_after,
    reading_before,
    reading_in_clause,
    un_citations,
)


def test_labelled_fields() -> None:
    [owner] = labelled_relations("Vessel Owner: Fictional Shipping S.A.")
    assert (owner.name, owner.reading.relation, owner.reading.incoming) == (
        "Fictional Shipping S.A",
        "ownership",
        True,
    )
    [parent] = labelled_relations("Parent company: Fictional Holding (FH) (a subsidiary of MODX)")
    assert parent.name == "Fictional Holding (FH)" and parent.reading.incoming
    subs = labelled_relations("Subsidiaries: Alpha Fictional Co. Beta Fictional Group; Gamma Ltd.")
    assert [s.name for s in subs] == ["Alpha Fictional Co", "Beta Fictional Group", "Gamma Ltd"]
    assert all(s.reading.relation == "ownership" and not s.reading.incoming for s in subs)
    [op] = labelled_relations("Current owner/operator: Fictional Ocean Co")
    assert op.reading.relation == "operator"
    [director] = labelled_relations("Director/Management name is General Fictional Person")
    assert director.reading.relation == "director" and director.name == "General Fictional Person"
    assert labelled_relations("Length of ship: 250") == []
    assert labelled_relations("Current owners: Unknown") == []


def test_relation_words_before_and_after_a_name() -> None:
    assert reading_before("Director of ").relation == "director"  # type: ignore[union-attr]
    assert reading_before("Chairman and General Manager of the ").relation == "director"  # type: ignore[union-attr]
    owned = reading_before("an entity owned or controlled by ")
    assert owned is not None and owned.relation == "control" and owned.incoming
    assert reading_before("Owner, ").relation == "ownership"  # type: ignore[union-attr]
    assert reading_before("Brother of ").relation == "family"  # type: ignore[union-attr]
    assert reading_before("Minister of Trade; travelled to ") is None
    after = reading_after(" deputy chief representative in Libya")
    assert after is not None and after.relation == "representative"
    assert reading_after(" official").relation == "employee"  # type: ignore[union-attr]
    assert reading_after(" and others") is None


def test_mentions_need_a_relation_word() -> None:
    index = MentionIndex()
    index.add("FICTIONAL OCEAN TRADING BANK", "bank")
    index.add("GREAT FICTIONAL LAKES COMPANY", "lakes")
    index.add("FICTIONAL AIR CARGO", "air")
    index.add("BANK", "generic")  # too generic to be looked for
    found = mention_relations(
        "Owner, Great Fictional Lakes Company and Fictional Air Cargo; "
        "Fictional Ocean Trading Bank representative; visited the bank",
        index,
        own_ids=["me"],
    )
    assert [(m.entity_id, m.reading.relation) for m in found] == [
        ("lakes", "ownership"),
        ("air", "ownership"),  # "Owner, A and B": B inherits
        ("bank", "representative"),
    ]
    assert found[2].text == "Fictional Ocean Trading Bank representative"
    # a bare mention makes no link, nor does a mention of the entry itself
    assert mention_relations("Sanctioned with Fictional Air Cargo in 2020", index, []) == []
    assert mention_relations("Director of Fictional Air Cargo", index, ["air"]) == []


def test_un_citations_and_their_clause() -> None:
    text = (
        "Associated with Fictional Front (QDe.901), Fictional Group (QDe.902). "
        "Brother of Fictional Person (QDi.903). The leader is Fictional Emir (QDi.904)"
    )
    got = [
        (ref, r.relation if r else None, r.incoming if r else None)
        for ref, r, _ in un_citations(text)
    ]
    assert got == [
        ("QDe.901", "associate", False),
        ("QDe.902", "associate", False),
        ("QDi.903", "family", False),
        ("QDi.904", "director", True),
    ]
    reading = reading_in_clause("Longtime member of the ADF ")
    assert reading is not None and reading.relation == "member"


def test_labelled_segment_of_remarks() -> None:
    [item] = labelled_relations(
        "DOB 01 Jan 1960; Owned or controlled by: Fictional Holding Co; nationality Iran."
    )
    assert item.name == "Fictional Holding Co"
    assert (item.reading.relation, item.reading.incoming) == ("control", True)
    assert item.text == "Owned or controlled by: Fictional Holding Co"
    assert reading_before("Owned or controlled by: ").relation == "control"  # type: ignore[union-attr]
