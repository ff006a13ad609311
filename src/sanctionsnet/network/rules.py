"""The two ownership rule sets, as data: OFAC's 50 % rule and the EU's ownership and control.

OFAC (FAQs 398-402, the 2014 revised guidance): an entity owned 50 % or more, directly or
indirectly, in the aggregate, by one or more blocked persons is blocked. "Indirectly"
means through entities that are themselves blocked, and an entity blocked this way
counts with its whole stake (FAQ 401). Control alone does not block (FAQ 398); it is
reported as a reason for caution.

EU (Council Best Practices for the effective implementation of restrictive measures,
"owned or controlled"; Commission FAQs on the asset freeze): an entity is owned by a
listed person when the person holds more than 50 % of its proprietary rights or a
majority interest, and is presumed controlled when the listed person controls it by
other means. Stakes of several listed persons are added up, as OFAC does, and an
entity owned or controlled this way passes the status on to what it owns or controls.
A `control` relation therefore blocks. A `director` relation is only a control
indicator in the guidance (the power to appoint or remove a majority of the board,
or to exercise dominant influence, is what counts), so under the EU rule set it makes
an entity *possibly* blocked, to be assessed, never blocked outright.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: Tolerance for sums of percentages (33.3 + 16.7 must reach 50).
EPSILON = 1e-9


@dataclass(frozen=True)
class RuleSet:
    """How stakes and control relations confer blocked status."""

    name: str
    title: str
    threshold: float
    inclusive: bool  # True: threshold reached at exactly 50 %, False: more than 50 %
    blocking_relations: frozenset[str]  # relations that block whatever the stake
    possible_relations: frozenset[str]  # relations that make an entity possibly blocked
    notes: str

    def meets(self, total: float) -> bool:
        if self.inclusive:
            return total >= self.threshold - EPSILON
        return total > self.threshold + EPSILON

    def describe_threshold(self) -> str:
        return f"{'≥' if self.inclusive else '>'} {self.threshold:g} %"

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "threshold": self.threshold,
            "inclusive": self.inclusive,
            "blocking_relations": sorted(self.blocking_relations),
            "possible_relations": sorted(self.possible_relations),
            "notes": self.notes,
        }


OFAC = RuleSet(
    name="ofac",
    title="OFAC 50 Percent Rule",
    threshold=50.0,
    inclusive=True,
    blocking_relations=frozenset(),
    possible_relations=frozenset(),
    notes=(
        "Owned 50 % or more, directly or indirectly, in the aggregate, by blocked persons "
        "(FAQs 398-402). Entities blocked by aggregation count their whole stake. Control "
        "and directorships do not block (FAQ 398) and are reported as reasons for caution."
    ),
)

EU = RuleSet(
    name="eu",
    title="EU ownership and control",
    threshold=50.0,
    inclusive=False,
    blocking_relations=frozenset({"control"}),
    possible_relations=frozenset({"director"}),
    notes=(
        "Owned more than 50 % (in the aggregate, directly or through owned or controlled "
        "entities) or controlled by listed persons (EU Best Practices). A 'control' relation "
        "blocks; a directorship is a control indicator to assess and makes an entity "
        "possibly blocked only."
    ),
)

RULES: dict[str, RuleSet] = {OFAC.name: OFAC, EU.name: EU}


def get_rule(name: str) -> RuleSet:
    try:
        return RULES[name.lower()]
    except KeyError:
        from sanctionsnet.errors import SanctionsNetError

        raise SanctionsNetError(f"unknown rule set {name!r} (known: {', '.join(RULES)})") from None
