"""Screening free text: names buried in a sentence ("PAYMENT FOR USAMA BIN LADIN").

A payment's remittance information (SWIFT MT103 field 70), a bill of lading's notes or a
wire's purpose hold names among other words. Screened as one name, those other words
count against the match; so the text is cut into every run of consecutive words up to
the length of a long listed name, each run is screened as a name of its own, and each
listed party keeps its best run. A run that begins or ends with a word no listed name
shares a key with is skipped: dropping that word can only raise the score, and the
shorter run is screened anyway.

Free text is full of ordinary words that are also parts of listed names ("FOR OIL",
"FREIGHT SERVICES", "BASE"). A run therefore needs two words, one of them a word of a
name proper, and must come close to a whole listed name (`NAME_SCORE`), not share a word
or two of one.
A party listed under one word only is found by screening the name fields, not the text.
"""

from __future__ import annotations

import re
from dataclasses import replace

from sanctionsnet.index.index import ScreeningIndex, token_key_sets
from sanctionsnet.names.analyze import analyze_name
from sanctionsnet.screen.names import compare_names
from sanctionsnet.screen.query import Query, QueryError
from sanctionsnet.screen.scoring import Feature
from sanctionsnet.screen.screener import Match, Screener

#: The longest run of words screened as one name ("USAMA BIN MUHAMMAD BIN AWAD BIN LADIN").
MAX_RUN_WORDS = 8
#: How close a run must come to the listed name it matched (see `_names_whole`): in a
#: sentence, words that are part of a listed name ("FOR OIL" of Syrian Company for Oil
#: Transport) are everyday words.
NAME_SCORE = 0.9
#: Runs need this many words: too many listed one-word names are also ordinary words
#: ("Base", an alias of Al-Qaida; "Power").
MIN_RUN_WORDS = 2
#: Free text longer than this is refused: a remittance field is at most a few lines.
MAX_TEXT_CHARS = 2_000

_WORD_RE = re.compile(r"[^\s,;:/()\[\]{}<>\"|+=*#@!?]+")


def text_words(text: str) -> list[str]:
    """The words of a free text, in order (punctuation that separates words dropped)."""
    return [w.strip(".-'’") for w in _WORD_RE.findall(text) if w.strip(".-'’")]


_DISTINCTIVE_KINDS = frozenset({"word", "given", "family"})


def _names_someone(run: str, schema: str) -> bool:
    """Whether a run of words can name someone: `MIN_RUN_WORDS` words, one of them a word
    of a name proper (not only generic words, legal forms, particles or numbers: "FOR
    GENERAL" names no one)."""
    tokens = [t for t in analyze_name(run, schema).tokens if t.weight > 0]
    return len(tokens) >= MIN_RUN_WORDS and any(t.kind in _DISTINCTIVE_KINDS for t in tokens)


def _listed_word(index: ScreeningIndex, word: str, schema: str) -> bool:
    """Whether any listed name shares a retrieval key with this word."""
    name = analyze_name(word, schema)
    postings = index.postings
    return any(key in postings for keys, _ in token_key_sets(name) for key in keys)


#: Parts of a listed name that a text may leave out and still name the party.
_OMISSIBLE_KINDS = frozenset({"org_form", "particle", "patronymic"})


def _names_whole(run: str, schema: str, match: Match) -> bool:
    """Whether the run comes close to the whole listed name it matched: every part of it
    but legal forms, particles and patronymics ("VTB Bank" for VTB Bank PJSC, not "for
    oil" for Syrian Company for Oil Transport)."""
    listed_name = match.matched_name
    if listed_name is None:
        return False
    listed = analyze_name(listed_name, match.record.schema)
    comparison = compare_names(analyze_name(run, schema), listed)
    if comparison.score < NAME_SCORE:
        return False
    kinds = {t.text: t.kind for t in listed.tokens}
    return all(kinds.get(text) in _OMISSIBLE_KINDS for text in comparison.unmatched_candidate)


def match_text(
    screener: Screener,
    text: str,
    threshold: float | None = None,
    limit: int = 10,
    algorithm: str = "default",
    schema: str = "LegalEntity",
) -> list[Match]:
    """Listed parties named somewhere in `text`, best first, each with the words that
    named it as a `free_text` feature."""
    if len(text) > MAX_TEXT_CHARS:
        raise QueryError(
            f"free text of {len(text):,} characters; at most {MAX_TEXT_CHARS:,} are screened"
        )
    words = text_words(text)
    if not words:
        raise QueryError("a free text needs at least one word")
    index = screener.index
    listed = {w: _listed_word(index, w, schema) for w in set(words)}
    best: dict[str, Match] = {}
    seen: set[str] = set()
    for start in range(len(words)):
        if not listed[words[start]]:
            continue
        for end in range(start + 1, min(len(words), start + MAX_RUN_WORDS) + 1):
            if not listed[words[end - 1]]:
                continue
            run = " ".join(words[start:end])
            if run in seen:
                continue
            seen.add(run)
            if not _names_someone(run, schema):
                continue
            query = Query.build(run, schema=schema)
            for m in screener.match(query, threshold=threshold, limit=limit, algorithm=algorithm):
                if not _names_whole(run, schema, m):
                    continue
                known = best.get(m.record.id)
                if known is None or m.score > known.score:
                    where = Feature("free_text", 0.0, f"named in the text as {run!r}")
                    best[m.record.id] = replace(m, features=(*m.features, where))
    found = sorted(best.values(), key=lambda m: (-m.score, m.record.id))
    return found[:limit]
