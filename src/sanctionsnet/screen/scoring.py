"""The default algorithm: names carry the evidence, identifiers decide, dates and countries qualify.

A score starts from the best name comparison between the query's names and the
listed party's names, then each other feature adds or subtracts a bounded
contribution. Every contribution is reported with a sentence an analyst can
read, so a score never needs to be taken on trust.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sanctionsnet.identifiers import STRONG_KINDS, Identifier
from sanctionsnet.names.common import is_common_token
from sanctionsnet.names.tokens import AnalyzedName
from sanctionsnet.screen.names import (
    NameComparison,
    NameProfile,
    PartyProfile,
    compare_profiled,
    party_bound,
    party_profile,
    query_profile,
    score_bound,
)

ALGORITHM = "default"
VERSION = "1"

#: Evidence from a weak alias or a former name counts a little less than from a name.
ORIGIN_FACTOR = {"name": 1.0, "alias": 1.0, "previous name": 0.97, "weak alias": 0.9}

DOB_DAY_MATCH = 0.06
DOB_MONTH_MATCH = 0.04
DOB_YEAR_MATCH = 0.03
DOB_NEAR = -0.05
DOB_MISMATCH = -0.2
COUNTRY_MATCH = 0.02
COUNTRY_MISMATCH = -0.05
WEAK_ID_MATCH = 0.1
STRONG_ID_CONFLICT = -0.25
WEAK_ID_CONFLICT = -0.08
#: Ceiling for a person matched on a weak name alone (one part, or only common names)
#: when no birth date, country or identifier agrees (see `weak_name`).
WEAK_NAME_CAP = 0.6
#: A matching strong identifier lifts the score to at least this.
STRONG_ID_FLOOR = 0.97


@dataclass(frozen=True, slots=True)
class Feature:
    """One piece of evidence: what it is, how much it moved the score, and why."""

    name: str
    contribution: float
    explanation: str

    def to_json(self) -> dict[str, object]:
        return {
            "feature": self.name,
            "contribution": round(self.contribution, 4),
            "explanation": self.explanation,
        }


@dataclass(slots=True)
class Scored:
    score: float
    features: list[Feature] = field(default_factory=list)
    matched_name: str | None = None


_ROUNDING = 5e-5
_Best = tuple[float, NameComparison | None, AnalyzedName | None, str, AnalyzedName | None]
_NO_NAME: _Best = (0.0, None, None, "name", None)


#: Profiles of a listed party's names, by the identity of its names list (held in the
#: entry, so that the identity cannot be reused by another list while it is cached).
_LISTED_PROFILES: dict[int, tuple[Sequence[tuple[AnalyzedName, str]], PartyProfile]] = {}
_LISTED_PROFILES_MAX = 200_000


def forget_listed_profiles() -> None:
    """Drop the cached profiles (and with them the names lists they hold): a new index
    is in use."""
    _LISTED_PROFILES.clear()


def _listed_party(candidate_names: Sequence[tuple[AnalyzedName, str]]) -> PartyProfile:
    """The profiles of a listed party's names, worked out once per party: a screener meets
    the same parties again and again."""
    found = _LISTED_PROFILES.get(id(candidate_names))
    if found is not None and found[0] is candidate_names:
        return found[1]
    party = party_profile([c for c, _ in candidate_names])
    if len(_LISTED_PROFILES) >= _LISTED_PROFILES_MAX:
        _LISTED_PROFILES.clear()
    _LISTED_PROFILES[id(candidate_names)] = (candidate_names, party)
    return party


#: The last query's names and their profiles: a screener scores one query's names
#: against party after party (the names list is built per query and never changed).
#: One pair, replaced whole, so that threads screening at once never mix two queries.
_LAST_QUERY: list[tuple[Sequence[AnalyzedName], list[NameProfile]]] = []


def _query_profiles(query_names: Sequence[AnalyzedName]) -> list[NameProfile]:
    last = _LAST_QUERY[0] if _LAST_QUERY else None
    if last is not None and last[0] is query_names:
        return last[1]
    profiles = [query_profile(q) for q in query_names]
    _LAST_QUERY[:] = [(query_names, profiles)]
    return profiles


def best_name(
    query_names: Sequence[AnalyzedName],
    candidate_names: Sequence[tuple[AnalyzedName, str]],
    need: float = 0.0,
    kept: bool = False,
) -> _Best | None:
    """The best (score, comparison, listed name, its origin, query name) over all pairs,
    or None when no pair can reach `need` (never with the default `need` of 0).

    With a `need`, branch and bound: every pair of names first gets an upper bound from
    its pairing keys alone (`score_bound`), and the full comparisons run from the
    highest bound down, stopping once no bound left can beat the best score found (or
    reach `need`). A listed party with dozens of aliases is mostly settled by one or two
    comparisons. Ties go to the first pair in query-name, then listed-name order, as the
    plain loop used without a `need` finds them.
    """
    profiles = _query_profiles(query_names)
    if kept:
        party = _listed_party(candidate_names)
    else:
        party = party_profile([c for c, _ in candidate_names])
    listed = party.profiles
    if need <= 0.0:
        return _best_of_all(query_names, profiles, candidate_names, listed)
    # Comparisons round their scores to 4 places, which may lift one by 5e-5 above its
    # bound: a pair is worth comparing only if its bound comes within that of `need`.
    within = need - _ROUNDING
    if all(party_bound(qp, party) < within for qp in profiles):
        return None
    bounds: list[tuple[float, int, int]] = []
    for ci, cp in enumerate(listed):
        factor = ORIGIN_FACTOR.get(candidate_names[ci][1], 1.0)
        for qi, qp in enumerate(profiles):
            bound = score_bound(qp, cp, within / factor) * factor
            if bound > 0.0 and bound >= within:
                # No score exceeds 1.
                bounds.append((-min(bound + _ROUNDING, 1.0), qi, ci))
    if not bounds:
        return None
    bounds.sort()
    best = _NO_NAME
    best_at = (len(profiles), 0)
    for negative_bound, qi, ci in bounds:
        bound = -negative_bound
        if bound < best[0]:
            break
        if bound == best[0] and (qi, ci) > best_at:
            continue  # at best a tie, which the earlier pair wins
        q = query_names[qi]
        c, origin = candidate_names[ci]
        comparison = compare_profiled(q, profiles[qi], c, listed[ci], explain_zero=False)
        value = comparison.score * ORIGIN_FACTOR.get(origin, 1.0)
        if value > best[0] or (value == best[0] and value > 0.0 and (qi, ci) < best_at):
            best = (value, comparison, c, origin, q)
            best_at = (qi, ci)
    if best[0] < need:
        return None
    return best


def _best_of_all(
    query_names: Sequence[AnalyzedName],
    profiles: list[NameProfile],
    candidate_names: Sequence[tuple[AnalyzedName, str]],
    listed: Sequence[NameProfile],
) -> _Best:
    """`best_name` without a floor: every pair in order, until a perfect one."""
    best = _NO_NAME
    for q, qp in zip(query_names, profiles, strict=True):
        for (c, origin), cp in zip(candidate_names, listed, strict=True):
            comparison = compare_profiled(q, qp, c, cp, explain_zero=False)
            value = comparison.score * ORIGIN_FACTOR.get(origin, 1.0)
            if value > best[0]:
                best = (value, comparison, c, origin, q)
                if value >= 1.0:
                    return best
    return best


def weak_name(query: AnalyzedName, single_part: bool = True) -> str | None:
    """Why a person's name alone cannot single anyone out, or None when it can.

    A single name part ("Dr Amin") or a name made only of the commonest given names
    and surnames ("John Smith", "Muhammad Ahmed") is shared by many listed persons
    and many more customers; OFAC's guidance accepts that such a name with nothing
    else is not a match.
    """
    tokens = [t.text for t in query.tokens if t.weight > 0 and t.kind != "number"]
    if single_part and len(tokens) == 1:
        return f"a single name part ({tokens[0]})"
    if tokens and all(is_common_token(t) for t in tokens):
        return f"only common names ({' '.join(tokens)})"
    return None


def compare_dates(
    query: Sequence[str], listed: Sequence[str], explain: bool = True
) -> tuple[float, str] | None:
    """Contribution and explanation of birth dates, at the precision both sides give.
    Without `explain`, the explanation is left empty (a screener weighing a party it
    will most likely drop needs only the number)."""
    if not query or not listed:
        return None
    best: float | None = None
    best_short = ""
    for q in query:
        for c in listed:
            short, long_ = (q, c) if len(q) <= len(c) else (c, q)
            if long_.startswith(short):
                precision = len(short)
                if precision >= 10:
                    value = DOB_DAY_MATCH
                elif precision >= 7:
                    value = DOB_MONTH_MATCH
                else:
                    value = DOB_YEAR_MATCH
                if best is None or value > best:
                    best, best_short = value, short
    if best is not None:
        if not explain:
            return best, ""
        what = {DOB_DAY_MATCH: "date", DOB_MONTH_MATCH: "month"}.get(best, "year")
        return best, f"birth {what} {best_short} matches"
    if _within_a_year(query, listed):
        if not explain:
            return DOB_NEAR, ""
        return (
            DOB_NEAR,
            f"birth dates differ but are within a year ({', '.join(query)} vs {', '.join(listed)})",
        )
    if not explain:
        return DOB_MISMATCH, ""
    return DOB_MISMATCH, f"birth dates differ: {', '.join(query)} vs listed {', '.join(listed)}"


def _within_a_year(query: Sequence[str], listed: Sequence[str]) -> bool:
    for a in query:
        if a[:4].isdigit():
            year = int(a[:4])
            for b in listed:
                if b[:4].isdigit() and abs(year - int(b[:4])) <= 1:
                    return True
    return False


def compare_countries(
    query: Sequence[str], listed: Sequence[str], explain: bool = True
) -> tuple[float, str] | None:
    """Contribution and explanation of countries (see `compare_dates` for `explain`)."""
    if not query or not listed:
        return None
    if not explain:
        return (COUNTRY_MISMATCH if set(query).isdisjoint(listed) else COUNTRY_MATCH), ""
    common = sorted(set(query) & set(listed))
    if common:
        return COUNTRY_MATCH, f"country {', '.join(common)} matches"
    return COUNTRY_MISMATCH, f"countries differ: {', '.join(query)} vs listed {', '.join(listed)}"


def compare_identifiers(
    query: Sequence[Identifier], listed: Sequence[Identifier]
) -> tuple[list[Feature], bool]:
    """Features from identifiers, and whether a strong one matched."""
    features: list[Feature] = []
    strong_match = False
    for q in query:
        same_kind = [c for c in listed if c.kind == q.kind]
        if not same_kind:
            continue
        matches = [c for c in same_kind if c.value == q.value]
        if matches:
            hit = matches[0]
            where = f" ({hit.country})" if hit.country else ""
            if q.kind in STRONG_KINDS:
                strong_match = True
                features.append(
                    Feature(
                        "identifier_match", 0.0, f"{q.label} {q.value}{where} matches: decisive"
                    )
                )
            else:
                features.append(
                    Feature(
                        "identifier_match", WEAK_ID_MATCH, f"{q.label} {q.value}{where} matches"
                    )
                )
        else:
            listed_values = ", ".join(sorted({c.value for c in same_kind}))
            strong = q.kind in STRONG_KINDS
            features.append(
                Feature(
                    "identifier_conflict",
                    STRONG_ID_CONFLICT if strong else WEAK_ID_CONFLICT,
                    f"{q.label} {q.value} differs from the listed {listed_values}",
                )
            )
    return features, strong_match


def score_candidate(
    query_names: Sequence[AnalyzedName],
    candidate_names: Sequence[tuple[AnalyzedName, str]],
    *,
    query_dates: Sequence[str] = (),
    listed_dates: Sequence[str] = (),
    query_countries: Sequence[str] = (),
    listed_countries: Sequence[str] = (),
    query_ids: Sequence[Identifier] = (),
    listed_ids: Sequence[Identifier] = (),
    is_person: bool = False,
    name_policy: str = "none",
    floor: float = 0.0,
    kept: bool = False,
) -> Scored | None:
    """Score one listed party against a query, with the features that made the score.

    `name_policy` says whether a weak query name needs corroboration: "person" (a
    person against a person: a single name part or only common names), "common"
    (parties of unknown kind: only common names), or "none" (organisations, vessels,
    and name-against-name comparison).

    With a `floor`, a party whose score provably stays below it comes back as None
    without being scored in full (a screener drops it anyway); without one, never None.
    `kept` says that `candidate_names` is a list the index keeps, so that the profiles
    of its names can be cached by its identity.
    """
    # The other evidence first: it is cheap, and what it adds or takes away tells how
    # good a name must be for the party to reach the floor at all (a birth date that
    # differs leaves no name short of a near-perfect one worth comparing). Explanations
    # are written only for a party that is kept.
    id_features, strong = compare_identifiers(query_ids, listed_ids)
    dates = compare_dates(query_dates, listed_dates, explain=False) if is_person else None
    countries = compare_countries(query_countries, listed_countries, explain=False)
    others = sum(
        [f.contribution for f in id_features]
        + ([dates[0]] if dates is not None else [])
        + ([countries[0]] if countries is not None else [])
    )
    need = 0.0
    if floor > 0.0 and not strong:
        # The weak-name cap only lowers a score; the final score is rounded to 4 places,
        # so keep a margin that rounding cannot cross.
        need = floor - others - 2 * _ROUNDING
    found = best_name(query_names, candidate_names, need, kept)
    if found is None:
        return None
    name_score, comparison, matched, origin, query_name = found
    features: list[Feature] = []
    if comparison is not None and matched is not None:
        factor = ORIGIN_FACTOR.get(origin, 1.0)
        via = "" if origin == "name" else f" (listed {origin})"
        features.append(
            Feature(
                "name",
                name_score,
                f"name {matched.original!r}{via}: {comparison.describe()}"
                + (f"; {origin} weighs {factor:.2f}" if factor < 1 else ""),
            )
        )
    else:
        features.append(Feature("name", 0.0, "no name in common"))
    other = list(id_features)
    if dates is not None:
        other.append(Feature("birth_date", *compare_dates(query_dates, listed_dates) or dates))
    if countries is not None:
        explained = compare_countries(query_countries, listed_countries) or countries
        other.append(Feature("country", *explained))
    features.extend(other)

    score = name_score + others
    corroborated = any(f.contribution > 0 for f in other)
    if name_policy != "none" and query_name is not None and not corroborated:
        weak = weak_name(query_name, single_part=name_policy == "person")
        if weak is not None and score > WEAK_NAME_CAP:
            features.append(
                Feature(
                    "weak_name",
                    WEAK_NAME_CAP - score,
                    f"{weak} and no birth date, country or identifier that agrees: "
                    "nothing tells its bearers apart",
                )
            )
            score = WEAK_NAME_CAP
    if strong:
        lifted = max(score, STRONG_ID_FLOOR + (1 - STRONG_ID_FLOOR) * name_score)
        features.append(
            Feature("identifier_decisive", lifted - score, "a strong identifier matched")
        )
        score = lifted
    score = max(0.0, min(1.0, score))
    return Scored(round(score, 4), features, matched.original if matched else None)
