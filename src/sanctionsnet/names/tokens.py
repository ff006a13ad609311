"""What name analysis produces: a name's tokens, and what was removed on the way.

Kept apart from `analyze`, which is compiled with mypyc: these classes are pickled with
every index cache and Spark broadcast, and a plain Python class pickles the same
whichever way the analysis that made it was built.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class NameToken:
    """One comparable unit of a name.

    `text` is normalised: casefolded, Latin letters folded to ASCII, other scripts kept (NFKC,
    casefolded). `kind` is one of `KINDS`; `weight` is how much the token should count when two
    names are compared (see `WEIGHTS`).

    A weight of 0 marks a token that is an *alternative view* of the tokens that follow it and
    must not add to the name's total: a compact CJK personal name (``김정은``) is emitted whole
    with weight 0, followed by its family (``김``) and given (``정은``) parts with full weight.
    """

    text: str
    kind: str
    weight: float


@dataclass(frozen=True, slots=True)
class AnalyzedName:
    """A name cut into comparable tokens, with what was removed on the way.

    `tokens` keep the order of the name as written. A comma-inverted person name
    (``KIM, Jong Un``, ``SMITH, John``) keeps the written order too (family part first) — that is
    ``kim jong un``, the same tokens as ``Kim Jong Un`` — and the knowledge that ``kim`` is the
    family name is kept in its `kind`. Name comparison is order-insensitive (the lists and the
    users disagree about the order of Western as well as East Asian names), so the order only
    matters for `key`, which is an exact-match shortcut, not the comparison. Reordering to
    "given family" was rejected: it would turn ``KIM, Jong Un`` into ``jong un kim``, which is
    the key of no other spelling of that name, while the lists' East Asian names (the hard cases)
    are written family-first without a comma too.

    `honorifics` are the titles removed (``mr``, ``lieutenant general``, ``jr``), `org_form` the
    canonical legal form (the last one if several), `vessel_prefix` the removed ship prefix
    (``mv``, ``mt``), `numbers` the texts of the number tokens in order (``("11",)``).
    """

    original: str
    schema: str
    tokens: tuple[NameToken, ...]
    honorifics: tuple[str, ...]
    org_form: str | None
    vessel_prefix: str | None
    numbers: tuple[str, ...]

    def key(self) -> str:
        """The token texts joined by spaces: equal keys mean the same analysed name."""
        return " ".join(token.text for token in self.tokens)
