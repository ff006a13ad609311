"""Networks of parties: links from the lists, users' ownership data, the 50 % rules, exposure.

Entry points for the CLI and the API:

- `entity_network(store, entity_id, hops)` -> dict (`GET /entities/{id}/network`)
- `exposure(store, query=..., ids=..., hops=...)` -> dict (`POST /exposure`)
- `ownership_report(store, paths, rule)` -> `OwnershipReport` (`.to_json()`)
- `apply_rule(nodes, edges, rule)` for data already in memory
"""

from sanctionsnet.network.exposure import (
    NetworkQueryError,
    UnknownEntityError,
    entity_network,
    exposure,
)
from sanctionsnet.network.fifty_percent import OwnershipReport, apply_rule
from sanctionsnet.network.graph import Graph
from sanctionsnet.network.load import load_network
from sanctionsnet.network.model import Edge, Evidence, Node, Share
from sanctionsnet.network.rules import EU, OFAC, RULES, RuleSet, get_rule
from sanctionsnet.network.service import ownership_report

__all__ = [
    "EU",
    "OFAC",
    "RULES",
    "Edge",
    "Evidence",
    "Graph",
    "NetworkQueryError",
    "Node",
    "OwnershipReport",
    "RuleSet",
    "Share",
    "UnknownEntityError",
    "apply_rule",
    "entity_network",
    "exposure",
    "get_rule",
    "load_network",
    "ownership_report",
]
