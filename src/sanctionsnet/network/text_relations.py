"""Relations the lists state in words: "Parent company: X", "Director of X", "X representative".

Pure functions over text. Three readings, from most to least explicit:

- labelled fields the parsers keep in ``notes`` ("Vessel Owner: X", "Parent company: X",
  "Subsidiaries: A; B", "Current owner/operator: X", "Names of Director(s)/Management: X"):
  the named party is taken even when it is not listed;
- mentions of a listed name next to a relation word ("Director of X", "Treasurer, X",
  "X representative", "owned or controlled by X"): taken only with the relation word,
  so a name that merely appears in a text makes no link;
- UN reference numbers cited in another list's text ("Associated with Al-Qaida
  (QDe.004)"), classified by the nearest relation word of their clause.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Reading:
    """How a piece of text relates the entry to another party.

    `incoming` is True when the other party is the active one (it owns, directs or
    operates the entry), False when the entry is (it owns or directs the other).
    """

    relation: str
    incoming: bool
    role: str


@dataclass(frozen=True, slots=True)
class Labelled:
    """A party named in a labelled field, with how it relates to the entry."""

    name: str
    reading: Reading
    text: str


# -- labelled fields ---------------------------------------------------------------

_LABELS: tuple[tuple[re.Pattern[str], Reading, bool], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), reading, many)
    for pattern, reading, many in (
        (r"^vessel owner\s*:\s*", Reading("ownership", True, "Vessel owner"), False),
        (r"^aircraft operator\s*:\s*", Reading("operator", True, "Aircraft operator"), False),
        (
            r"^current owners?\s*/\s*operators?(?:\(s\))?\s*:\s*",
            Reading("operator", True, "Current owner/operator"),
            True,
        ),
        (
            r"^previous owners?\s*/\s*operators?(?:\(s\))?\s*:\s*",
            Reading("operator", True, "Previous owner/operator"),
            True,
        ),
        (r"^current owners?\s*:\s*", Reading("ownership", True, "Current owner"), True),
        (r"^parent company\s*:\s*", Reading("ownership", True, "Parent company"), False),
        (
            r"^owned (?:or|and) controlled by\s*:\s*",
            Reading("control", True, "Owned or controlled by"),
            True,
        ),
        (r"^(?:wholly )?owned by\s*:\s*", Reading("ownership", True, "Owned by"), True),
        (r"^controlled by\s*:\s*", Reading("control", True, "Controlled by"), True),
        (r"^subsidiar(?:y|ies)\s*:\s*", Reading("ownership", False, "Subsidiary"), True),
        (
            r"^ultimate beneficial owners?\s*:\s*",
            Reading("ownership", True, "Ultimate beneficial owner"),
            True,
        ),
        (
            r"^(?:names of )?directors?(?:\(s\))?(?:\s*/\s*management)?(?: name is|\s*:)\s*",
            Reading("director", True, "Director/management"),
            True,
        ),
    )
)
_LIST_SPLIT_RE = re.compile(r"\s*;\s*|\.\s+(?=[A-Z0-9\"“(])")
_TRAILING_RE = re.compile(r"[\s.,;:]+$")
# Explanations in brackets after a name: "X (a subsidiary of MODAFL)", "Y (formerly Z)".
_REMARK_RE = re.compile(
    r"\s*\((?:a|an|the|formerly|previously|now|owned|subsidiary|part|see|listed|also)\b[^)]*\)",
    re.IGNORECASE,
)


def labelled_relations(note: str) -> list[Labelled]:
    """Parties named in a labelled note such as "Parent company: X" or "Subsidiaries: A; B",
    or in a labelled segment of remarks ("DOB 1960; Owned or controlled by: X; ...")."""
    found = _labelled(note.strip())
    if found or ";" not in note:
        return found
    return [item for segment in re.split(r";\s+", note) for item in _labelled(segment.strip())]


def _labelled(text: str) -> list[Labelled]:
    for pattern, reading, many in _LABELS:
        m = pattern.match(text)
        if m is None:
            continue
        value = text[m.end() :]
        parts = _LIST_SPLIT_RE.split(value) if many else [value]
        out = []
        for part in parts:
            name = _TRAILING_RE.sub("", _REMARK_RE.sub("", part)).strip(" \"“”'")
            if len(name) >= 2 and not name.lower().startswith(("unknown", "not known", "n/a")):
                out.append(Labelled(name, reading, text))
        return out
    return []


# -- relation words ------------------------------------------------------------------

_OFFICER = (
    r"directors?(?:\s+general)?|managing director|chairman|chairwoman|chair|"
    r"president|vice[- ]president|chief executive(?: officer)?|ceo|cfo|coo|"
    r"general manager|managers?|heads?|treasurer|founders?|co-founder|leaders?|commanders?|"
    r"emir|amir|executive|secretary general|board member|member of the board"
)
_FAMILY = (
    r"brother|sister|son|daughter|father|mother|husband|wife|spouse|cousin|nephew|niece|"
    r"uncle|aunt|relative|brother-in-law|sister-in-law|son-in-law|father-in-law"
)
# Relation words written before the other party, with what they mean.
_BEFORE: tuple[tuple[str, Reading], ...] = (
    (r"owned (?:or|and) controlled by", Reading("control", True, "owned or controlled by")),
    (r"(?:wholly[- ])?owned by", Reading("ownership", True, "owned by")),
    (r"controlled by", Reading("control", True, "controlled by")),
    (r"subsidiary (?:of|to)", Reading("ownership", True, "subsidiary of")),
    (
        r"(?:led|headed|run|managed|directed|founded|commanded) by",
        Reading("director", True, "led by"),
    ),
    (
        r"(?:the |its |current )*(?:leader|head|chief|emir|amir|founder|director) (?:is|was)",
        Reading("director", True, "led by"),
    ),
    (r"(?:co-)?owner\s*(?:of|,|-|–|:)", Reading("ownership", False, "owner of")),
    (r"shareholder (?:of|in)", Reading("ownership", False, "shareholder of")),
    (rf"(?:{_OFFICER})\s*(?:of|for|at|in|,|-|–|:)", Reading("director", False, "officer of")),
    (r"representative (?:of|for|in)", Reading("representative", False, "representative of")),
    (r"(?:agent|proxy) (?:of|for)", Reading("representative", False, "agent of")),
    (r"(?:acting )?(?:for or )?on behalf of", Reading("representative", False, "on behalf of")),
    (
        r"(?:employee|official|officer|banker|accountant|lawyer|adviser|advisor) (?:of|for|at|with)",
        Reading("employee", False, "works for"),
    ),
    (r"(?:a )?members? (?:of|in)", Reading("member", False, "member of")),
    (rf"(?:{_FAMILY}) of", Reading("family", False, "family of")),
    (
        r"associated with|associate of|close associate of",
        Reading("associate", False, "associate of"),
    ),
    (r"front (?:company )?(?:for|of)", Reading("linked", False, "front for")),
)
#: Characters before a name in which its relation word is looked for.
_WINDOW = 80
_BEFORE_RE = [
    (re.compile(rf"\b(?:{pattern})\s*:?\s*(?:the\s+)?$", re.IGNORECASE), reading)
    for pattern, reading in _BEFORE
]
_BEFORE_ANY_RE = [
    (re.compile(rf"\b(?:{pattern})(?=\W)", re.IGNORECASE), reading) for pattern, reading in _BEFORE
]
# Relation words written after the other party: "Korea Daesong Bank representative".
_AFTER_WORDS = (
    r"representative|agent|official|officer|employee|banker|director|manager|president|"
    r"chairman|treasurer|executive|member|owner|shareholder"
)
_AFTER_RE = re.compile(
    r"^\s*(?:'s\s+)?(?:(?:deputy|chief|senior|first|general|acting|former|assistant|vice)\s+){0,3}"
    rf"({_AFTER_WORDS})\b",
    re.IGNORECASE,
)
_AFTER_READINGS = {
    "representative": Reading("representative", False, "representative"),
    "agent": Reading("representative", False, "agent"),
    "official": Reading("employee", False, "official"),
    "officer": Reading("employee", False, "officer"),
    "employee": Reading("employee", False, "employee"),
    "banker": Reading("employee", False, "banker"),
    "member": Reading("member", False, "member"),
    "owner": Reading("ownership", False, "owner"),
    "shareholder": Reading("ownership", False, "shareholder"),
}
_JOIN_RE = re.compile(r"^\s*(?:,|&|and|or)?\s*(?:the\s+)?$", re.IGNORECASE)


def reading_before(prefix: str) -> Reading | None:
    """The relation stated by the words directly before another party's name."""
    prefix = prefix[-_WINDOW:]
    for pattern, reading in _BEFORE_RE:
        if pattern.search(prefix):
            return reading
    return None


def reading_after(suffix: str) -> Reading | None:
    """The relation stated by the words directly after another party's name."""
    m = _AFTER_RE.match(suffix)
    if m is None:
        return None
    word = m.group(1).lower()
    return _AFTER_READINGS.get(word, Reading("director", False, word))


def reading_in_clause(prefix: str) -> Reading | None:
    """The relation word nearest before a citation in its clause, wherever it stands."""
    best: tuple[int, Reading] | None = None
    for pattern, reading in _BEFORE_ANY_RE:
        for m in pattern.finditer(prefix):
            if best is None or m.end() > best[0]:
                best = (m.end(), reading)
    return best[1] if best else None


# -- mentions of listed names -----------------------------------------------------------

_TOKEN_RE = re.compile(r"[^\W_]+", re.UNICODE)
#: Names made only of these words are too generic to be recognised in free text.
_GENERIC = frozenset(
    [
        "the",
        "of",
        "and",
        "for",
        "bank",
        "company",
        "co",
        "ltd",
        "llc",
        "inc",
        "group",
        "trading",
        "ministry",
        "organization",
        "organisation",
        "corporation",
        "corp",
        "office",
        "department",
        "committee",
        "council",
        "service",
        "services",
        "limited",
        "international",
        "industries",
        "industry",
        "state",
        "national",
        "central",
        "general",
        "foreign",
        "defense",
        "defence",
        "army",
        "forces",
        "security",
        "intelligence",
        "directorate",
        "agency",
    ]
)


def tokens(text: str) -> list[str]:
    return _TOKEN_RE.findall(text.casefold())


def token_spans(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(0).casefold(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]


class MentionIndex:
    """Listed names of one dataset, looked up in free text by their first token."""

    def __init__(self) -> None:
        self._by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        self._sorted = True

    def add(self, name: str, entity_id: str) -> None:
        toks = tuple(tokens(name))
        if not toks or all(t in _GENERIC for t in toks):
            return
        if len(toks) == 1 and len(toks[0]) < 5:
            return
        bucket = self._by_first.setdefault(toks[0], [])
        if (toks, entity_id) not in bucket:
            bucket.append((toks, entity_id))
            self._sorted = False

    def find(self, text: str) -> Iterator[tuple[int, int, str]]:
        """(start, end, entity id) of the longest listed names in `text`, left to right."""
        if not self._sorted:
            for bucket in self._by_first.values():
                bucket.sort(key=lambda item: -len(item[0]))
            self._sorted = True
        spans = token_spans(text)
        words = [w for w, _, _ in spans]
        by_first = self._by_first
        i = 0
        while i < len(words):
            found = None
            for toks, entity_id in by_first.get(words[i], ()):
                n = len(toks)
                if tuple(words[i : i + n]) == toks:
                    found = (n, entity_id)
                    break
            if found is None:
                i += 1
                continue
            n, entity_id = found
            yield spans[i][1], spans[i + n - 1][2], entity_id
            i += n


@dataclass(frozen=True, slots=True)
class Mention:
    entity_id: str
    reading: Reading
    text: str


def mention_relations(text: str, index: MentionIndex, own_ids: Iterable[str]) -> list[Mention]:
    """Listed parties named in `text` next to a relation word ("Director of X")."""
    own = set(own_ids)
    out: list[Mention] = []
    previous: tuple[int, Reading] | None = None
    for start, end, entity_id in index.find(text):
        clause_start = _clause_start(text, start)
        prefix = text[clause_start:start]
        reading = reading_before(prefix)
        if reading is None and previous is not None and _JOIN_RE.match(text[previous[0] : start]):
            reading = previous[1]  # "Owner, A and B": B inherits A's relation
        if reading is None:
            reading = reading_after(text[end:])
        if reading is not None and entity_id not in own:
            out.append(Mention(entity_id, reading, _clause(text, start, end)))
        previous = (end, reading) if reading is not None else None
    return out


# -- UN reference numbers -------------------------------------------------------------

UN_REF_RE = re.compile(r"\(\s*([A-Z]{2}[ie]\.\s?\d{3})\s*\)")


def un_citations(text: str) -> Iterator[tuple[str, Reading | None, str]]:
    """(UN reference, relation word of its clause or None, clause) for each citation."""
    for m in UN_REF_RE.finditer(text):
        ref = m.group(1).replace(" ", "")
        start = _clause_start(text, m.start())
        yield ref, reading_in_clause(text[start : m.start()]), _clause(text, m.start(), m.end())


def _clause_start(text: str, pos: int) -> int:
    cut = max(text.rfind(". ", 0, pos), text.rfind("; ", 0, pos), text.rfind("\n", 0, pos))
    return 0 if cut < 0 else cut + 1


def _clause(text: str, start: int, end: int) -> str:
    begin = _clause_start(text, start)
    stops = [
        i for i in (text.find(". ", end), text.find("; ", end), text.find("\n", end)) if i >= 0
    ]
    stop = min(stops) if stops else len(text)
    clause = text[begin:stop].strip(" ;.")
    if len(clause) > 300:
        clause = clause[:300].rstrip() + "…"
    return clause
