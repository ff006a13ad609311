"""Records and matches as yente-shaped JSON (plain dicts, serialised once with orjson)."""

from __future__ import annotations

from typing import Any

from sanctionsnet.api.engine import Snapshot
from sanctionsnet.index.records import Record
from sanctionsnet.screen import Match
from sanctionsnet.screen.screener import Algorithm

#: What each feature of the default algorithm means, and its largest contribution.
FEATURE_DOCS: dict[str, dict[str, tuple[str, float]]] = {
    "default": {
        "name": (
            "Best alignment of the query's names with the listed names, across scripts "
            "and transliterations (weighted Dice over name parts); the base of the score.",
            1.0,
        ),
        "identifier_match": (
            "An identifier of the same kind and value is listed (strong kinds such as IMO, "
            "passport, BIC, LEI, crypto address, INN/OGRN are decisive).",
            0.1,
        ),
        "identifier_conflict": (
            "The listed party has an identifier of the same kind with a different value.",
            -0.25,
        ),
        "identifier_decisive": (
            "A strong identifier matched: the score is lifted to at least 0.97.",
            1.0,
        ),
        "birth_date": (
            "Birth dates agree at the precision both give (day, month or year), or differ.",
            0.06,
        ),
        "country": ("A country (nationality, jurisdiction, flag...) in common, or none.", 0.02),
    },
    "ofac": {
        "name": (
            "OFAC Sanctions List Search name score: Jaro-Winkler over the whole name and per "
            "name part, with the first-letter rule.",
            1.0,
        ),
    },
}
DOCS_URL = "/algorithms"


def feature_docs(algorithm: Algorithm) -> dict[str, dict[str, Any]]:
    docs = FEATURE_DOCS.get(algorithm.name, {})
    return {
        name: {"description": text, "coefficient": coefficient, "url": f"{DOCS_URL}#{name}"}
        for name, (text, coefficient) in docs.items()
    }


def algorithm_json(algorithm: Algorithm) -> dict[str, Any]:
    return {
        "name": algorithm.name,
        "description": algorithm.description,
        "features": feature_docs(algorithm),
        "version": algorithm.version,
        "default_threshold": algorithm.default_threshold,
    }


def record_json(record: Record, snapshot: Snapshot) -> dict[str, Any]:
    """A listed party as yente's EntityResponse (its own properties, nothing nested)."""
    return {
        "id": record.id,
        "caption": record.caption,
        "schema": record.schema,
        "properties": record.properties,
        "datasets": [record.dataset],
        "referents": [],
        "target": True,
        "first_seen": None,
        "last_seen": snapshot.published(record.dataset),
        "last_change": None,
        "source": record.source,
        "ref": record.ref,
        "version": record.version,
    }


def match_json(match: Match, threshold: float, snapshot: Snapshot) -> dict[str, Any]:
    """A match as yente's ScoredEntityResponse, with sanctionsnet's explanations."""
    features: dict[str, float] = {}
    for f in match.features:
        features[f.name] = round(features.get(f.name, 0.0) + f.contribution, 4)
    out = record_json(match.record, snapshot)
    out["score"] = match.score
    out["features"] = features
    out["match"] = match.score >= threshold
    out["explanations"] = [f.to_json() for f in match.features]
    out["matched_name"] = match.matched_name
    out["programs"] = list(match.record.programs)
    return out
