"""Rule conditions compiled into small predicate objects, evaluated per transaction.

A predicate answers True, False or None. None means the row does not let us decide
(a value in another currency than the threshold's, a missing amount): a measure that
would apply then becomes a finding to review rather than a breach. Each predicate
also explains itself in one line, for the `why` of a finding; explanations are only
built for findings, never in the hot path.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from sanctionsnet.regime.model import TARGET, Clause, Conditions, Target
from sanctionsnet.regime.parties import HIT_GROUP
from sanctionsnet.regime.schema import column_kind
from sanctionsnet.regime.transactions import LIST_KINDS, Column, Transaction

#: Screening hits of a row, by column (see parties.PartyHit).
Hits = Mapping[str, Sequence[Any]]


@lru_cache(maxsize=512)
def word_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """Whole words or phrases, any case, an English plural allowed, spaces or hyphens between."""
    parts = []
    for word in sorted(words, key=len, reverse=True):
        tokens = [re.escape(t) for t in re.split(r"[\s-]+", word.strip()) if t]
        body = r"[\s-]+".join(tokens)
        if tokens and tokens[-1][-1:].isalpha():
            body += r"(?:e?s)?"
        parts.append(body)
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)


class Predicate:
    column: str
    clause: Clause

    def test(self, tx: Transaction, hits: Hits) -> bool | None:
        raise NotImplementedError

    def explain(self, tx: Transaction, hits: Hits) -> str:
        raise NotImplementedError

    def value(self, tx: Transaction) -> Any:
        return row_value(tx, self.column)


PORT_COLUMNS = ("port_of_loading", "port_of_discharge", "port")
#: How pseudo-columns read in explanations.
LABELS = {"any_port": "port", "any_party": "party"}


def row_value(tx: Transaction, column: str) -> Any:
    """A column of the row; `any_port` gathers every port the row names."""
    if column == "any_port":
        values = tx.values
        ports = [values[c] for c in PORT_COLUMNS if c in values]
        ports.extend(values.get("transshipment_ports", ()))
        return tuple(ports) or None
    return tx.values.get(column)


def _show(value: Any) -> str:
    if isinstance(value, tuple):
        return "; ".join(str(v) for v in value)
    return str(value)


class InSet(Predicate):
    """`in` / `not_in` for codes, ports, choices and text (compared without case)."""

    def __init__(self, clause: Clause, kind: str, target: Target, negate: bool) -> None:
        self.clause = clause
        self.column = clause.column
        self.kind = kind
        self.negate = negate
        self.target = target
        self.is_list = kind in LIST_KINDS
        self.ports = kind in ("port", "ports")
        self.wants_target = TARGET in clause.value
        plain = [v for v in clause.value if v != TARGET]
        if kind in ("country", "countries"):
            values = {v.upper() for v in plain}
            if self.wants_target:
                values |= target.countries | target.flags
            self.values = frozenset(values)
        elif self.ports:
            self.values = frozenset(target.canonical_port(v) for v in plain)
        elif kind in ("currency",):
            self.values = frozenset(v.upper() for v in plain)
        else:
            self.values = frozenset(v.casefold() for v in plain)
        self._port_cache: dict[str, bool] = {}

    def _one(self, item: str) -> bool:
        if self.ports:
            cached = self._port_cache.get(item)
            if cached is None:
                cached = self.target.canonical_port(item) in self.values or (
                    self.wants_target and self.target.is_port(item)
                )
                if len(self._port_cache) < 50_000:
                    self._port_cache[item] = cached
            return cached
        if self.kind in ("country", "countries", "currency", "imo", "hs"):
            return item in self.values
        return str(item).casefold() in self.values

    def matching(self, tx: Transaction) -> list[str]:
        value = self.value(tx)
        if value is None:
            return []
        items = value if self.is_list else (value,)
        return [i for i in items if self._one(i)]

    def test(self, tx: Transaction, hits: Hits) -> bool | None:
        value = self.value(tx)
        if value is None:
            return self.negate
        found = any(self._one(i) for i in value) if self.is_list else self._one(value)
        return not found if self.negate else found

    def explain(self, tx: Transaction, hits: Hits) -> str:
        label = LABELS.get(self.column, self.column)
        named = sorted(v for v in self.clause.value if v != TARGET)
        if self.negate:
            value = self.value(tx)
            shown = _show(value) if value is not None else "(empty)"
            what = (
                [f"a port of {self.target.name}" if self.ports else self.target.name]
                if self.wants_target
                else []
            )
            return f"{label} {shown} is not {' or '.join(what + named)}"
        shown = "; ".join(self.matching(tx))
        if self.wants_target:
            place = f"a port of {self.target.name}" if self.ports else self.target.name
            return f"{label} {shown} is {place}"
        if len(named) == 1:
            return f"{label} is {shown}"
        return f"{label} {shown} is one of {', '.join(named)}"


class Present(Predicate):
    def __init__(self, clause: Clause) -> None:
        self.clause = clause
        self.column = clause.column
        self.want = bool(clause.value)

    def test(self, tx: Transaction, hits: Hits) -> bool | None:
        value = self.value(tx)
        return (value is not None and value != () and value != "") == self.want

    def explain(self, tx: Transaction, hits: Hits) -> str:
        value = self.value(tx)
        return (
            f"{self.column} is given ({_show(value)})" if self.want else f"{self.column} is empty"
        )


class DateCompare(Predicate):
    def __init__(self, clause: Clause) -> None:
        self.clause = clause
        self.column = clause.column
        self.limit = clause.value
        self.before = clause.op == "before"

    def test(self, tx: Transaction, hits: Hits) -> bool | None:
        value = self.value(tx)
        if value is None:
            return False
        return value < self.limit if self.before else value >= self.limit

    def explain(self, tx: Transaction, hits: Hits) -> str:
        word = "before" if self.before else "on or after"
        return f"{self.column} {self.value(tx)} is {word} {self.limit.isoformat()}"


_SYMBOLS = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}


class NumberCompare(Predicate):
    """gt / gte / lt / lte, in the row's `currency` when the clause names one."""

    def __init__(self, clause: Clause) -> None:
        self.clause = clause
        self.column = clause.column
        self.op = clause.op
        self.limit = clause.value
        self.currency = clause.currency

    def test(self, tx: Transaction, hits: Hits) -> bool | None:
        value = self.value(tx)
        if value is None:
            return None
        if self.currency is not None and tx.values.get("currency") != self.currency:
            return None
        op = self.op
        if op == "gt":
            return bool(value > self.limit)
        if op == "gte":
            return bool(value >= self.limit)
        if op == "lt":
            return bool(value < self.limit)
        return bool(value <= self.limit)

    def explain(self, tx: Transaction, hits: Hits) -> str:
        value = self.value(tx)
        unit = f" {self.currency}" if self.currency else ""
        limit = f"{self.limit:,.2f}".rstrip("0").rstrip(".")
        if value is None:
            return f"{self.column} is not given: cannot compare with the {limit}{unit} threshold"
        row_currency = tx.values.get("currency")
        if self.currency is not None and row_currency != self.currency:
            return (
                f"{self.column} {value:,.2f} {row_currency or '(no currency)'} cannot be compared "
                f"with the {limit}{unit} threshold"
            )
        return f"{self.column} {value:,.2f}{unit} {_SYMBOLS[self.op]} {limit}{unit}"


class Mentions(Predicate):
    def __init__(self, clause: Clause) -> None:
        self.clause = clause
        self.column = clause.column
        self.negate = clause.op == "not_mentions"
        self.pattern = word_pattern(tuple(clause.value))
        self._cache: dict[str, bool] = {}

    def _text(self, tx: Transaction) -> str | None:
        value = self.value(tx)
        if value is None:
            return None
        return " ; ".join(value) if isinstance(value, tuple) else str(value)

    def test(self, tx: Transaction, hits: Hits) -> bool | None:
        text = self._text(tx)
        if text is None:
            return self.negate
        found = self._cache.get(text)
        if found is None:
            found = self.pattern.search(text) is not None
            if len(self._cache) < 50_000:
                self._cache[text] = found
        return not found if self.negate else found

    def explain(self, tx: Transaction, hits: Hits) -> str:
        text = self._text(tx) or ""
        if self.negate:
            return f"{self.column} does not mention {', '.join(self.clause.value)}"
        match = self.pattern.search(text)
        return (
            f"{self.column} mentions {match.group(0)!r}" if match else f"{self.column} mentions it"
        )


class Listed(Predicate):
    """A screened column that matched a listed party (of the regime's programmes, or any)."""

    def __init__(self, clause: Clause) -> None:
        self.clause = clause
        self.column = clause.column
        self.any_list = clause.value == "any"

    def relevant(self, hits: Hits) -> list[Any]:
        if self.column == "any_party":
            found = [h for group in hits.values() for h in group]
        else:
            found = list(hits.get(HIT_GROUP.get(self.column, self.column), ()))
        return found if self.any_list else [h for h in found if h.regime]

    def test(self, tx: Transaction, hits: Hits) -> bool | None:
        if not hits:
            return False
        return bool(self.relevant(hits))

    def explain(self, tx: Transaction, hits: Hits) -> str:
        return "; ".join(h.describe() for h in self.relevant(hits))


def compile_clause(clause: Clause, kind: str, target: Target) -> Predicate:
    op = clause.op
    if op in ("in", "not_in"):
        return InSet(clause, kind, target, negate=op == "not_in")
    if op == "present":
        return Present(clause)
    if op in ("on_or_after", "before"):
        return DateCompare(clause)
    if op in ("gt", "gte", "lt", "lte"):
        return NumberCompare(clause)
    if op in ("mentions", "not_mentions"):
        return Mentions(clause)
    if op == "listed":
        return Listed(clause)
    raise ValueError(f"unknown operator {op!r}")  # the schema check prevents this


class Condition:
    """Any of several groups, each a conjunction of predicates."""

    def __init__(self, groups: list[list[Predicate]]) -> None:
        self.groups = groups

    @classmethod
    def compile(
        cls,
        conditions: Conditions,
        types: Iterable[str],
        target: Target,
        extra: Mapping[str, Column],
    ) -> Condition:
        types = tuple(types)
        groups = []
        for group in conditions:
            preds = []
            for clause in group:
                kind, _ = column_kind(clause.column, types, dict(extra))
                preds.append(compile_clause(clause, kind or "text", target))
            groups.append(preds)
        return cls(groups)

    def evaluate(self, tx: Transaction, hits: Hits) -> tuple[bool | None, list[Predicate]]:
        """(True, the group that held) / (None, an undecidable group) / (False, [])."""
        undecided: list[Predicate] | None = None
        for group in self.groups:
            state: bool | None = True
            for pred in group:
                result = pred.test(tx, hits)
                if result is False:
                    state = False
                    break
                if result is None:
                    state = None
            if state is True:
                return True, group
            if state is None and undecided is None:
                undecided = group
        if undecided is not None:
            return None, undecided
        return False, []

    def failures(self, tx: Transaction, hits: Hits) -> list[str]:
        """For an exemption not met: what the closest group lacks (column names)."""
        best: list[str] | None = None
        for group in self.groups:
            missing = [p.clause.column for p in group if p.test(tx, hits) is not True]
            if best is None or len(missing) < len(best):
                best = missing
        return best or []


__all__ = ["Condition", "Hits", "Predicate", "row_value", "word_pattern"]
