"""The typed model of a regime: what `schema.parse_regime` builds from a regime file.

Frozen dataclasses, no behaviour beyond small questions about themselves (is a measure
in force on a day, does an item cover an HS code, which cap period holds a date).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from sanctionsnet.regime.transactions import Column

TARGET = "$target"


@dataclass(frozen=True)
class Clause:
    """One test on one column: `column op value` (with an optional currency)."""

    column: str
    op: str
    value: Any
    line: int
    currency: str | None = None


#: Any of these groups holds if all its clauses hold.
Conditions = tuple[tuple[Clause, ...], ...]


@dataclass(frozen=True)
class Port:
    name: str
    aliases: tuple[str, ...] = ()


def port_key(text: str) -> str:
    """Port names compared without case, accents, spaces or punctuation."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if c.isalnum())


_LOCODE_RE = re.compile(r"^([A-Z]{2})\s?[A-Z2-9]{3}$")
_SUFFIX_RE = re.compile(r"^.*?[\s,(]+([A-Z]{2})\)?$")


@dataclass(frozen=True)
class Target:
    """The country a regime targets: codes, flags, ports and the list programmes."""

    name: str
    countries: frozenset[str]
    flags: frozenset[str]
    ports: tuple[Port, ...]
    programs: frozenset[str]
    aliases: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for port in self.ports:
            for name in (port.name, *port.aliases):
                self.aliases[port_key(name)] = port.name

    def canonical_port(self, text: str) -> str:
        """The target's own name for a port, else the compared form of the text."""
        key = port_key(text)
        return self.aliases.get(key, key)

    def port_country(self, text: str) -> str | None:
        """The country a port names by UN/LOCODE ('KPNAM') or suffix ('Nampo, KP')."""
        stripped = text.strip()
        match = _LOCODE_RE.match(stripped) or _SUFFIX_RE.match(stripped)
        return match.group(1) if match else None

    def is_port(self, text: str) -> bool:
        return port_key(text) in self.aliases or self.port_country(text) in self.countries

    def program_matches(self, programs: Iterable[str]) -> bool:
        """Whether a listed entry's programmes name one of the target's, as whole words.

        Lists spell programmes differently ("DPRK3", "PRK", "North Korea (Democratic
        People's Republic of Korea)"): each target programme matches as a whole word, so
        "DPRK" does not match "DPRK2" (list that one too) but "Democratic People's
        Republic of Korea" matches inside the UK's longer regime name.
        """
        if not self.programs:
            return False
        pattern = _program_pattern(tuple(sorted(self.programs)))
        return any(pattern.search(p) for p in programs)


@lru_cache(maxsize=64)
def _program_pattern(programs: tuple[str, ...]) -> re.Pattern[str]:
    words = "|".join(re.escape(p) for p in sorted(programs, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{words})(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class ActionDef:
    name: str
    severity: str
    outcome: str
    description: str


@dataclass(frozen=True)
class Resolution:
    id: str
    symbol: str
    adopted: date | None
    verified: str
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class CapPeriod:
    start: date
    end: date | None = None
    months: int | None = None
    recurring: bool = False

    def window(self, day: date) -> tuple[date, date] | None:
        """The period (first and last day) containing `day`, if any."""
        if day < self.start:
            return None
        if self.months is None:
            end = self.end or date.max
            return (self.start, end) if day <= end else None
        start = self.start
        while True:
            nxt = _add_months(start, self.months)
            if day < nxt:
                last = date.fromordinal(nxt.toordinal() - 1)
                if self.end is not None and day > self.end:
                    return None
                return start, last
            if not self.recurring:
                return None
            start = nxt

    def describe(self) -> str:
        if self.months is None:
            return f"{self.start.isoformat()} to {self.end.isoformat() if self.end else 'open'}"
        every = "each " if self.recurring else ""
        return f"{every}{self.months} months from {self.start.isoformat()}"


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return date(
        year, month, min(day.day, 28 if month == 2 else 30 if month in (4, 6, 9, 11) else 31)
    )


@dataclass(frozen=True)
class Cap:
    id: str
    goods: str
    resolution: str
    paragraph: str
    quantity: float | None
    unit: str
    alternatives: tuple[tuple[float, str], ...]
    period: CapPeriod
    aggregation: str
    note: str
    verified: str
    paragraph_seen: bool

    def limits(self) -> list[tuple[float, str]]:
        first = [(self.quantity, self.unit)] if self.quantity is not None else []
        return first + list(self.alternatives)


@dataclass(frozen=True)
class ScopeItem:
    goods: str
    hs: tuple[str, ...]
    hs_exclude: tuple[str, ...]
    where: Conditions
    keywords: tuple[str, ...]
    keywords_exclude: tuple[str, ...]
    action: str | None
    line: int

    @property
    def all_codes(self) -> bool:
        return "*" in self.hs

    def covers(self, code: str) -> str | None:
        """The listed prefix that puts `code` in scope, or None (exclusions win)."""
        if any(code.startswith(x) for x in self.hs_exclude):
            return None
        if self.all_codes:
            return "*"
        for prefix in self.hs:
            if code.startswith(prefix):
                return prefix
        return None


@dataclass(frozen=True)
class Trigger:
    types: tuple[str, ...]
    where: Conditions
    action: str | None
    line: int


@dataclass(frozen=True)
class Exemption:
    id: str
    text: str
    resolution: str | None
    paragraph: str | None
    when: Conditions | None
    verified: str
    sources: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class Related:
    resolution: str
    paragraph: str
    role: str
    verified: str
    paragraph_seen: bool
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Measure:
    id: str
    title: str
    authority: str
    resolution: str
    paragraph: str
    symbol: str
    in_force: date
    superseded: date | None
    superseded_by: str | None
    deadline: tuple[date, str] | None
    direction: str
    category: str
    action: str
    severity: str | None
    date_field: str
    scope: tuple[ScopeItem, ...]
    hs_basis: str
    match: tuple[Trigger, ...]
    caps: tuple[str, ...]
    conditions: tuple[str, ...]
    exemptions: tuple[Exemption, ...]
    related: tuple[Related, ...]
    verified: str
    paragraph_seen: bool
    sources: tuple[str, ...]
    note: str
    line: int

    @property
    def citation(self) -> str:
        return f"{self.symbol}, para. {self.paragraph}"

    @property
    def checkable(self) -> bool:
        return bool(self.scope or self.match)

    def in_force_on(self, day: date) -> bool:
        return self.in_force <= day and (self.superseded is None or day < self.superseded)

    def covers(self, code: str) -> bool:
        return any(item.covers(code) for item in self.scope)

    def hs_prefixes(self) -> list[str]:
        return [p for item in self.scope for p in item.hs]

    def citation_json(self) -> dict[str, Any]:
        return {"resolution": self.resolution, "paragraph": self.paragraph, "text": self.citation}


@dataclass(frozen=True)
class Regime:
    id: str
    title: str
    authority: str
    committee: str
    note: str
    target: Target
    actions: dict[str, ActionDef]
    columns: dict[str, Column]
    resolutions: dict[str, Resolution]
    caps: dict[str, Cap]
    measures: tuple[Measure, ...]
    sources: dict[str, dict[str, str]]
    path: str = ""

    def measure(self, measure_id: str) -> Measure:
        for m in self.measures:
            if m.id == measure_id:
                return m
        raise KeyError(measure_id)

    def summary(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "authority": self.authority,
            "measures": len(self.measures),
            "checkable": sum(1 for m in self.measures if m.checkable),
            "caps": len(self.caps),
            "resolutions": [r.symbol for r in self.resolutions.values()],
        }
