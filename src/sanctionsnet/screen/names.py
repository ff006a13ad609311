"""Comparing two analysed names, token by token, across scripts.

Names are compared as bags of tokens: "KIM, Jong Un" and "Kim Jong-un" are the
same three tokens in any order. Each query token is paired with at most one
candidate token (greedy, best similarity first); the score is a weighted Dice
coefficient over the pairs, where each token's weight comes from the analyser
(a legal form or a generic word like "trading" counts little, a vessel number a
lot). Tokens the list has and the query lacks (a patronymic, a middle name) count
against the match less than query tokens the list lacks: the list usually knows
more of a name than the person typing it.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, replace
from functools import lru_cache

from sanctionsnet.names.phonetic import match_keys
from sanctionsnet.names.tokens import AnalyzedName, NameToken
from sanctionsnet.names.translit import (
    joined_similarity_bound,
    latin_variants,
    script_of,
    token_similarity,
)

#: A token pair below this similarity is not a pairing at all.
MIN_PAIR_SIMILARITY = 0.6
#: A token pair at or above this similarity is the same spelling for practical purposes.
EXACT_PAIR_SIMILARITY = 0.95
#: Share of the weight of an unmatched candidate token that counts against the match.
EXTRA_CANDIDATE_TOKEN_COST = 0.5
#: Kinds of candidate tokens that are commonly absent from a query and cost even less.
_OPTIONAL_KINDS = {"patronymic": 0.15, "particle": 0.1, "org_form": 0.1, "generic": 0.3}
#: Token pairs at or above this similarity count in full; weaker ones count less.
FULL_CREDIT_SIMILARITY = 0.8
#: Score ceiling for a Chinese or Korean name in its own script against a romanised one
#: when either has a part the other lacks: there every syllable is part of the name
#: (慧 申 is not Hui Sheng Shen), unlike a Western middle name or patronymic.
SYLLABLE_MISMATCH_CAP = 0.6
#: Score ceiling when both names carry numbers and they differ ("WAN HENG 11" vs "WAN HENG 12").
NUMBER_CONFLICT_CAP = 0.5


@dataclass(frozen=True, slots=True)
class TokenPair:
    query: str
    candidate: str
    similarity: float


@dataclass(frozen=True, slots=True)
class NameComparison:
    score: float
    pairs: tuple[TokenPair, ...]
    unmatched_query: tuple[str, ...]
    unmatched_candidate: tuple[str, ...]
    number_conflict: bool = False
    syllables_differ: bool = False

    def describe(self) -> str:
        """In words: which parts matched how well, and what was left over."""
        parts = []
        for p in self.pairs:
            if p.query == p.candidate:
                parts.append(p.query)
            else:
                parts.append(f"{p.query}~{p.candidate} ({p.similarity:.2f})")
        text = ", ".join(parts) if parts else "no parts in common"
        if self.unmatched_query:
            text += f"; not in the listed name: {' '.join(self.unmatched_query)}"
        if self.unmatched_candidate:
            text += f"; only in the listed name: {' '.join(self.unmatched_candidate)}"
        if self.number_conflict:
            text += "; numbers differ"
        if self.syllables_differ:
            text += "; a syllable more or less makes another Chinese or Korean name"
        return text


def _pairable(tokens: tuple[NameToken, ...]) -> list[NameToken]:
    return [t for t in tokens if t.weight > 0]


_SYLLABIC = frozenset({"han", "hangul"})
#: Token kinds that say little about whose name it is.
_FILLER_KINDS = frozenset({"generic", "org_form", "particle"})


@lru_cache(maxsize=1_000_000)
def _paired_sim(a: str, b: str) -> float:
    """`token_similarity` of two tokens that share a pairing key, discounted where a near
    miss says little. Only such pairs are cached: most pairs met while screening share
    no key, and would crowd the real pairs out.

    One Han character or Hangul syllable is one syllable in Latin letters ("li", "jo",
    "peng"): against thousands of listed names some syllable is always close, so
    across scripts only one of its actual readings counts in full (静 is jing or ching,
    not the jinghe its phonetic code shares); two characters count a little more.
    Within one script the similarity stands as it is.
    """
    sim = token_similarity(a, b)
    sa, sb = script_of(a), script_of(b)
    native = a if sa in _SYLLABIC else b if sb in _SYLLABIC else None
    if sa != sb and native is not None:
        other = b if native is a else a
        if len(native) == 1:
            if other not in latin_variants(native):
                sim *= 0.6
        elif len(native) == 2 and sim < 0.95:
            sim *= 0.85
    if sim >= 0.99:
        return sim
    return _graded(sim)


def _graded(sim: float) -> float:
    """Weak pairings count for less than their similarity.

    Two tokens at 0.6 are more unlike than alike (Davis / Lavista); counting them at
    face value would let any two-part name half-match any other. Below
    `FULL_CREDIT_SIMILARITY` a pair's credit falls away towards the pairing floor.
    """
    if sim >= FULL_CREDIT_SIMILARITY:
        return sim
    return sim * max(0.0, (sim - 0.4) / (FULL_CREDIT_SIMILARITY - 0.4))


@lru_cache(maxsize=200_000)
def _readings(tokens: tuple[NameToken, ...]) -> tuple[tuple[NameToken, ...], ...]:
    """The ways to read a name's tokens.

    The analyser writes a compact CJK name (김정은, 金正恩) as the whole token with weight
    0 followed by its family and given parts. A Korean or Chinese person is best compared
    part by part; a Western name written in Hangul or Han (카위트 for Kuyt) only as a whole.
    Both readings are offered and the better comparison wins.
    """
    split = _pairable(tokens)
    whole: list[NameToken] = []
    i = 0
    changed = False
    while i < len(tokens):
        token = tokens[i]
        if token.weight <= 0 and len(token.text) > 1:
            parts, joined, j = 0, "", i + 1
            while j < len(tokens) and len(joined) < len(token.text):
                joined += tokens[j].text
                parts += 1
                j += 1
            if joined == token.text and parts > 1:
                whole.append(NameToken(token.text, "word", 1.0))
                i = j
                changed = True
                continue
        if token.weight > 0:
            whole.append(token)
        i += 1
    return (tuple(split), tuple(whole)) if changed else (tuple(split),)


@dataclass(frozen=True, slots=True)
class NameProfile:
    """What is needed of a name to compare it, worked out once per distinct name.

    `keys` is the union of its tokens' pairing keys (`match_keys`); `keyed_only` says that the
    comparison of two names whose keys are disjoint is known to be zero (no
    single-token or whole-CJK reading, which are compared run together and need no
    shared key).
    """

    key: str
    readings: tuple[tuple[NameToken, ...], ...]
    keys: frozenset[str]
    keyed_only: bool
    numbers: frozenset[str]
    #: "syllabic" (all Han / Hangul), "latin", or "" (mixed or other scripts).
    script: str
    #: Per token of the first reading: (weight, cost when left unpaired, keys it pairs by:
    #: its `match_keys`, or "#" and the number). Used by `score_bound`.
    bound_tokens: tuple[tuple[float, float, frozenset[str]], ...]
    #: The union of `bound_tokens`' keys.
    bound_keys: frozenset[str]
    #: The sum of `bound_tokens`' weights.
    bound_weight: float
    #: Each reading's tokens' pairing keys, in the order of `readings`.
    reading_keys: tuple[tuple[frozenset[str], ...], ...]
    #: The first reading's tokens, space-separated (as a one-word name is compared with it).
    joined: str


#: Profiles by schema, then by the name as written (two plain lookups, no key tuple).
_PROFILES: dict[str, dict[str, NameProfile]] = {}
_PROFILES_MAX = 500_000


def name_profile(name: AnalyzedName, remember: bool = True) -> NameProfile:
    """The comparison profile of an analysed name, worked out once per distinct name.

    Query names are not remembered here (see `query_profile`).
    """
    by_name = _PROFILES.get(name.schema)
    if by_name is None:
        by_name = _PROFILES[name.schema] = {}
    found = by_name.get(name.original)
    if found is not None:
        return found
    keys: set[str] = set()
    for token in name.tokens:
        if token.kind == "number":
            keys.add("#" + token.text)
        elif token.weight > 0:
            keys.update(match_keys(token.text))
    readings = _readings(name.tokens)
    bound_tokens = tuple(
        (
            t.weight,
            t.weight * _OPTIONAL_KINDS.get(t.kind, EXTRA_CANDIDATE_TOKEN_COST),
            frozenset({"#" + t.text}) if t.kind == "number" else match_keys(t.text),
        )
        for t in readings[0]
    )
    profile = NameProfile(
        key=name.key(),
        readings=readings,
        keys=frozenset(keys),
        keyed_only=len(name.tokens) >= 2 and all(t.weight > 0 for t in name.tokens),
        numbers=frozenset(t.text for t in name.tokens if t.kind == "number"),
        script=_name_script(name.tokens),
        bound_tokens=bound_tokens,
        bound_keys=frozenset().union(*(keys for _, _, keys in bound_tokens)),
        bound_weight=sum(weight for weight, _, _ in bound_tokens),
        reading_keys=tuple(tuple(match_keys(t.text) for t in r) for r in readings),
        joined=" ".join(t.text for t in readings[0]),
    )
    if remember:
        if len(by_name) >= _PROFILES_MAX:
            by_name.clear()
        by_name[name.original] = profile
    return profile


#: The latest query names' profiles, first in first out: a service asked the same name
#: again finds it, while a book of a million distinct customers neither fills the cache of
#: listed names (half a gigabyte per batch worker) nor pushes those names out of it.
_RECENT_QUERIES: OrderedDict[tuple[str, str], NameProfile] = OrderedDict()
_RECENT_QUERIES_MAX = 20_000


def query_profile(name: AnalyzedName) -> NameProfile:
    """`name_profile` of a query name, kept among the latest queries only."""
    key = (name.schema, name.original)
    found = _RECENT_QUERIES.get(key)
    if found is None:
        found = name_profile(name, remember=False)
        if len(_RECENT_QUERIES) >= _RECENT_QUERIES_MAX:
            _RECENT_QUERIES.popitem(last=False)
        _RECENT_QUERIES[key] = found
    return found


def _name_script(tokens: tuple[NameToken, ...]) -> str:
    scripts = {script_of(t.text) for t in tokens if t.weight > 0 and t.kind != "number"}
    if scripts and scripts <= _SYLLABIC:
        return "syllabic"
    return "latin" if scripts == {"latin"} else ""


_NOTHING = NameComparison(0.0, (), (), ())


def compare_names(
    query: AnalyzedName, candidate: AnalyzedName, explain_zero: bool = True
) -> NameComparison:
    """Similarity in [0, 1] of two analysed names, with the token pairs that made it.

    With `explain_zero` false, a comparison that scores nothing comes back without
    the lists of unmatched parts: a screener that keeps only each party's best name
    never shows it, and most comparisons while screening end there.
    """
    return compare_profiled(
        query, name_profile(query), candidate, name_profile(candidate), explain_zero
    )


def compare_profiled(
    query: AnalyzedName,
    qp: NameProfile,
    candidate: AnalyzedName,
    cp: NameProfile,
    explain_zero: bool = True,
) -> NameComparison:
    """`compare_names` with the names' profiles at hand (a screener works out the query's
    once for all the names it is compared with)."""
    if qp.keyed_only and cp.keyed_only and qp.keys.isdisjoint(cp.keys):
        # No token of one can pair with any token of the other: most names met while
        # screening (the other aliases of a retrieved party) end here.
        if not explain_zero:
            return _NOTHING
        return NameComparison(
            0.0, (), tuple(t.text for t in query.tokens), tuple(t.text for t in candidate.tokens)
        )
    if qp.key == cp.key and qp.key:
        same = tuple(TokenPair(t.text, t.text, 1.0) for t in qp.readings[0])
        return NameComparison(1.0, same, (), ())
    syllable_exact = {qp.script, cp.script} == {"syllabic", "latin"}
    best: NameComparison | None = None
    for q_tokens, q_keys in zip(qp.readings, qp.reading_keys, strict=True):
        for c_tokens, c_keys in zip(cp.readings, cp.reading_keys, strict=True):
            result = _compare_tokens(
                q_tokens, c_tokens, qp.numbers, cp.numbers, q_keys, c_keys, explain_zero
            )
            if syllable_exact and (result.unmatched_query or result.unmatched_candidate):
                result = replace(
                    result, score=min(result.score, SYLLABLE_MISMATCH_CAP), syllables_differ=True
                )
            if best is None or result.score > best.score:
                best = result
    assert best is not None
    return best


def score_bound(qp: NameProfile, cp: NameProfile, need: float = 0.0) -> float:
    """An upper bound of `compare_profiled`'s score for two profiled names, without
    comparing a single pair of tokens.

    A token pair scores only if the tokens share a pairing key (numbers only if equal),
    so the best conceivable comparison pairs every token that has any partner at full
    similarity and charges the others their least possible cost. A one-word name is
    also compared with the other name run together, which needs no shared key: that
    comparison is bounded by the lengths of the spellings (`joined_similarity_bound`).
    A screener skips the names, and the listed parties, whose bound cannot reach the
    threshold: most of what the index retrieves for a customer shares one name part
    with it and nothing else. Compact Chinese or Korean names, read two ways, and two
    one-word names get the trivial bound 1. A bound below `need` may be looser than it
    could be: it only has to show that `need` is out of reach.
    """
    if qp.key == cp.key or len(qp.readings) != 1 or len(cp.readings) != 1:
        return 1.0
    q_tokens, c_tokens = qp.readings[0], cp.readings[0]
    if not q_tokens or not c_tokens:
        return 0.0
    if len(q_tokens) == 1 and len(c_tokens) == 1:
        return 1.0
    if qp.keyed_only and cp.keyed_only and qp.keys.isdisjoint(cp.keys):
        return 0.0
    bound = _paired_bound(qp, cp, need)
    for single, several in ((qp, cp), (cp, qp)):
        word = single.readings[0]
        if len(word) == 1 and len(several.readings[0]) <= 4 and word[0].text.isalpha():
            bound = max(bound, joined_similarity_bound(word[0].text, several.joined))
    return bound


@dataclass(frozen=True, slots=True)
class PartyProfile:
    """A listed party's names profiled, with what bounds them all at once."""

    profiles: tuple[NameProfile, ...]
    #: The union of the names' `bound_keys`.
    keys: frozenset[str]
    #: The largest `bound_weight` of the names.
    weight: float
    #: Every name has one reading of several tokens, so that `score_bound` of each is
    #: its token-by-token bound (no single word compared run together, no second reading).
    plain: bool


def party_profile(names: list[AnalyzedName]) -> PartyProfile:
    """The `PartyProfile` of a listed party's analysed names (a screener keeps one per
    party: it meets the same parties again and again)."""
    profiles = tuple(name_profile(n) for n in names)
    return PartyProfile(
        profiles=profiles,
        keys=frozenset().union(*(p.bound_keys for p in profiles)),
        weight=max((p.bound_weight for p in profiles), default=0.0),
        plain=all(len(p.readings) == 1 and len(p.readings[0]) >= 2 for p in profiles),
    )


def party_bound(qp: NameProfile, party: PartyProfile) -> float:
    """An upper bound of `score_bound` of a query name against every name of a party at
    once, from the query's side: its tokens that meet none of the party's keys stay
    unpaired whichever name they face, and at best every listed token finds a partner.
    A customer who shares one name part with a listed party (and a birth date that
    differs) is settled here, without looking at the party's names one by one."""
    if not party.plain or len(qp.readings) != 1 or len(qp.readings[0]) < 2:
        return 1.0
    paired = 0.0
    unpaired = 0.0
    for weight, _, keys in qp.bound_tokens:
        if keys.isdisjoint(party.keys):
            unpaired += weight
        else:
            paired += weight
    best_case = paired + party.weight
    total = best_case + unpaired
    return best_case / total if total > 0 else 0.0


def _paired_bound(qp: NameProfile, cp: NameProfile, need: float = 0.0) -> float:
    """`score_bound` of the token-by-token comparison; a looser bound (still below `need`)
    when the query's side alone shows that `need` is out of reach."""
    # A token has a partner exactly when its keys meet the union of the other name's keys.
    paired = 0.0
    unpaired = 0.0
    other = cp.bound_keys
    for weight, _, keys in qp.bound_tokens:
        if keys.isdisjoint(other):
            unpaired += weight
        else:
            paired += weight
    # At best every listed token finds a partner: if even that falls short, stop here.
    best_case = paired + cp.bound_weight
    if best_case < need * (best_case + unpaired):
        return best_case / (best_case + unpaired)
    other = qp.bound_keys
    for weight, cost, keys in cp.bound_tokens:
        if keys.isdisjoint(other):
            unpaired += cost
        else:
            paired += weight
    total = paired + unpaired
    return paired / total if total > 0 else 0.0


def _compare_tokens(
    q_tokens: tuple[NameToken, ...],
    c_tokens: tuple[NameToken, ...],
    q_numbers: frozenset[str],
    c_numbers: frozenset[str],
    q_keys: tuple[frozenset[str], ...],
    c_keys: tuple[frozenset[str], ...],
    explain_zero: bool = True,
) -> NameComparison:
    """Two readings compared token by token; `q_keys` and `c_keys` are each token's
    pairing keys (from the names' profiles)."""
    if not q_tokens or not c_tokens:
        return NameComparison(
            0.0, (), tuple(t.text for t in q_tokens), tuple(t.text for t in c_tokens)
        )
    # A name written as one token against the same name in several parts: 김정은 / kim
    # jong un, Abdurrahman / Abdul Rahman, Abdullah / عبد الله (`token_similarity`
    # compares them part by part where the parts line up, run together otherwise).
    joined: NameComparison | None = None
    for single, several in ((q_tokens, c_tokens), (c_tokens, q_tokens)):
        if len(single) == 1 and 1 < len(several) <= 4 and single[0].text.isalpha():
            text = " ".join(t.text for t in several)
            if joined_similarity_bound(single[0].text, text) < MIN_PAIR_SIMILARITY:
                continue  # spellings too unlike in length to be one name run together
            sim = token_similarity(single[0].text, text)
            if sim >= MIN_PAIR_SIMILARITY:
                pair = (
                    TokenPair(single[0].text, text, sim)
                    if single is q_tokens
                    else TokenPair(text, single[0].text, sim)
                )
                joined = NameComparison(round(sim, 4), (pair,), (), ())
                if sim >= 0.9:
                    return joined

    # One token against one: the similarity is the whole story, with nothing to inflate.
    one_to_one = len(q_tokens) == 1 and len(c_tokens) == 1
    scored: list[tuple[float, int, int]] = []
    for i, qt in enumerate(q_tokens):
        for j, ct in enumerate(c_tokens):
            if qt.kind == "number" or ct.kind == "number":
                sim = 1.0 if qt.text == ct.text else 0.0
            elif qt.text == ct.text:
                sim = 1.0
            elif one_to_one:
                sim = token_similarity(qt.text, ct.text)
            elif q_keys[i].isdisjoint(c_keys[j]):
                continue  # no shared pairing key: not spelling variants of each other
            else:
                sim = _paired_sim(qt.text, ct.text)
            if sim >= MIN_PAIR_SIMILARITY:
                scored.append((sim, -i, -j))
    if not scored:
        if joined is not None:
            return joined
        if not explain_zero:
            return _NOTHING
        return NameComparison(
            0.0, (), tuple(t.text for t in q_tokens), tuple(t.text for t in c_tokens)
        )
    # Best similarity first, then query order, then listed order.
    scored.sort(reverse=True)

    used_q: set[int] = set()
    used_c: set[int] = set()
    pairs: list[TokenPair] = []
    matched = 0.0
    matched_weight = 0.0
    distinctive_best = 0.0
    for sim, neg_i, neg_j in scored:
        i, j = -neg_i, -neg_j
        if i in used_q or j in used_c:
            continue
        used_q.add(i)
        used_c.add(j)
        qt, ct = q_tokens[i], c_tokens[j]
        weight = (qt.weight + ct.weight) / 2
        if qt.kind not in _FILLER_KINDS and ct.kind not in _FILLER_KINDS:
            distinctive_best = max(distinctive_best, sim)
        matched += sim * weight * 2
        matched_weight += weight * 2
        pairs.append(TokenPair(qt.text, ct.text, sim))

    unmatched_q = [t for i, t in enumerate(q_tokens) if i not in used_q]
    unmatched_c = [t for j, t in enumerate(c_tokens) if j not in used_c]
    cost = sum(t.weight for t in unmatched_q)
    # A query part with no counterpart while the listed name has a part left over is a
    # conflict (Kim Jong Un / Kim Jong Il), not a part the list merely knows more of:
    # the leftover listed parts that face one count in full.
    extra = sorted(
        (t.weight * _OPTIONAL_KINDS.get(t.kind, EXTRA_CANDIDATE_TOKEN_COST), t.weight)
        for t in unmatched_c
    )
    conflicts = min(len(unmatched_q), len(extra))
    # When a single query part is all that matched, the listed name's other parts are
    # not "more of the same name" but the rest of someone's name: they count in full.
    if len(pairs) < 2:
        conflicts = len(extra)
    # A misspelt part is agreement only when the rest of the name agrees: with a fuzzy
    # pair, the listed parts the query lacks are a second discrepancy, not more of the
    # same name (Andrea Mills / Miles Andrew Maynard), and count in full.
    if any(p.similarity < EXACT_PAIR_SIMILARITY for p in pairs):
        conflicts = len(extra)
    for i, (discounted, full) in enumerate(reversed(extra)):
        cost += full if i < conflicts else discounted
    total = matched_weight + cost
    score = matched / total if total > 0 else 0.0

    conflict = bool(q_numbers and c_numbers and q_numbers != c_numbers)
    if conflict:
        score = min(score, NUMBER_CONFLICT_CAP)
    # Legal forms and generic words matched exactly must not carry a name whose own
    # distinctive words only resemble each other (RIX International LLC / RIXO
    # International Trading Ltd): the name is no closer than its closest such word.
    if 0 < distinctive_best < EXACT_PAIR_SIMILARITY:
        score = min(score, distinctive_best)
    if joined is not None and joined.score > score:
        return joined
    return NameComparison(
        score=round(min(score, 1.0), 4),
        pairs=tuple(pairs),
        unmatched_query=tuple(t.text for t in unmatched_q),
        unmatched_candidate=tuple(t.text for t in unmatched_c),
        number_conflict=conflict,
    )
