"""The checker: one transaction in, the measures it breaches or must be reviewed under.

The regime is compiled once: goods measures into a dictionary from HS prefixes to
(measure, item) pairs, transaction rules into lists per transaction type, conditions
into predicates. Checking a row is then a handful of dictionary lookups for the
common case (a shipment that does not touch the target, a payment between two other
countries); findings, with their explanations, are only built when a rule applies.
Parties are screened through `PartyScreener`, which caches per distinct party.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sanctionsnet.regime.conditions import Condition, Hits, InSet, Listed, Predicate
from sanctionsnet.regime.hs import HSInfo, HSNomenclature
from sanctionsnet.regime.model import Cap, Exemption, Measure, Regime, ScopeItem
from sanctionsnet.regime.parties import PartyHit, PartyScreener
from sanctionsnet.regime.text_flags import TextFlagger
from sanctionsnet.regime.transactions import TYPE_NAMES, Transaction, columns_for

#: Outcomes, worst first, and how a transaction's outcome is ranked.
OUTCOMES = ("breach", "notify", "review", "exempt", "clear")
RANK = {name: len(OUTCOMES) - i for i, name in enumerate(OUTCOMES)}


@dataclass(frozen=True)
class ExemptionStatus:
    exemption: Exemption
    status: str  # met | not_met | manual
    missing: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        e = self.exemption
        data: dict[str, Any] = {
            "id": e.id,
            "text": e.text,
            "status": self.status,
            "verified": e.verified,
        }
        if e.resolution or e.paragraph:
            data["citation"] = {"resolution": e.resolution, "paragraph": e.paragraph}
        if self.missing:
            data["unmet"] = list(self.missing)
        return data


@dataclass
class Finding:
    """A measure that applies to a transaction, with the outcome and the reasons."""

    kind: str  # measure | misdescribed
    measure: Measure
    outcome: str
    action: str
    severity: str
    why: list[str]
    goods: str | None = None
    exemptions: list[ExemptionStatus] = field(default_factory=list)
    caps: list[tuple[Cap, tuple[date, date]]] = field(default_factory=list)
    parties: list[PartyHit] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        m = self.measure
        data: dict[str, Any] = {
            "kind": self.kind,
            "measure": m.id,
            "title": m.title,
            "outcome": self.outcome,
            "action": self.action,
            "severity": self.severity,
            "citation": m.citation_json(),
            "authority": m.authority,
            "direction": m.direction,
            "why": self.why,
            "verification": {
                "verified": m.verified,
                "paragraph_seen": m.paragraph_seen,
                "hs_basis": m.hs_basis,
            },
        }
        if self.goods:
            data["goods"] = self.goods
        if self.exemptions:
            data["exemptions"] = [e.to_json() for e in self.exemptions]
        if self.caps:
            data["caps"] = [
                {
                    "id": cap.id,
                    "citation": {"resolution": cap.resolution, "paragraph": cap.paragraph},
                    "limits": [{"quantity": q, "unit": u} for q, u in cap.limits()],
                    "period": {"start": start.isoformat(), "end": end.isoformat()},
                    "aggregation": cap.aggregation,
                }
                for cap, (start, end) in self.caps
            ]
        if m.conditions and self.outcome in ("notify", "review"):
            data["conditions"] = list(m.conditions)
        if self.parties:
            data["parties"] = [p.to_json() for p in self.parties]
        return data


@dataclass
class Result:
    """Everything found for one transaction."""

    tx: Transaction
    findings: list[Finding]
    listed: list[PartyHit]
    hs: HSInfo | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def outcome(self) -> str:
        best = "review" if self.listed else "clear"
        for f in self.findings:
            if RANK[f.outcome] > RANK[best]:
                best = f.outcome
        return best

    def to_json(self) -> dict[str, Any]:
        tx = self.tx
        data: dict[str, Any] = {
            "id": tx.id,
            "type": tx.type,
            "date": tx.date.isoformat(),
            "outcome": self.outcome,
            "findings": [f.to_json() for f in self.findings],
            "listed": [h.to_json() for h in self.listed],
        }
        if tx.line is not None:
            data["line"] = tx.line
        if self.hs is not None:
            data["hs"] = self.hs.to_json()
        if self.notes:
            data["notes"] = self.notes
        return data


@dataclass(frozen=True)
class _Goods:
    measure: Measure
    item: ScopeItem
    where: Condition | None


@dataclass(frozen=True)
class _Rule:
    measure: Measure
    where: Condition
    action: str | None
    #: What a row needs for the rule to possibly hold: "target" (a value of the target
    #: country or port), "hits" (a screening hit), "either", or None (no precondition).
    gate: str | None


def _gate(condition: Condition) -> str | None:
    kinds = set()
    for group in condition.groups:
        target = any(isinstance(p, InSet) and p.wants_target and not p.negate for p in group)
        listed = any(isinstance(p, Listed) for p in group)
        if not target and not listed:
            return None
        kinds.add("target" if target else "hits")
    return kinds.pop() if len(kinds) == 1 else "either"


class Checker:
    """Applies one regime to transactions; reuse it (it caches as it goes)."""

    def __init__(
        self,
        regime: Regime,
        hs: HSNomenclature | None = None,
        parties: PartyScreener | None = None,
        notes: Iterable[str] = (),
    ) -> None:
        self.regime = regime
        self.hs = hs
        self.parties = parties
        #: What the caller should know about this checker's setup (no HS tables, no lists).
        self.notes = list(notes)
        target = regime.target
        extra = regime.columns
        self._by_prefix: dict[str, list[_Goods]] = {}
        self._every_code: list[_Goods] = []
        self._rules: dict[str, list[_Rule]] = {}
        self._exemptions: dict[int, Condition] = {}
        goods_measures = []
        for measure in regime.measures:
            if measure.scope:
                goods_measures.append(measure)
            for item in measure.scope:
                where = (
                    Condition.compile(item.where, ("shipment",), target, extra)
                    if item.where
                    else None
                )
                goods = _Goods(measure, item, where)
                if item.all_codes:
                    self._every_code.append(goods)
                for prefix in item.hs:
                    if prefix != "*":
                        self._by_prefix.setdefault(prefix, []).append(goods)
            for trigger in measure.match:
                cond = Condition.compile(trigger.where, trigger.types, target, extra)
                rule = _Rule(measure, cond, trigger.action, _gate(cond))
                for type_name in trigger.types:
                    self._rules.setdefault(type_name, []).append(rule)
            types = (
                ("shipment",)
                if measure.scope
                else tuple({t for tr in measure.match for t in tr.types})
            )
            for exemption in measure.exemptions:
                if exemption.when is not None:
                    self._exemptions[id(exemption)] = Condition.compile(
                        exemption.when, types, target, extra
                    )
        self._flagger = TextFlagger(goods_measures)
        self._target_codes = target.countries | target.flags
        self._country_columns: dict[str, tuple[str, ...]] = {}
        self._port_columns: dict[str, tuple[str, ...]] = {}
        for type_name in TYPE_NAMES:
            spec = {**columns_for(type_name), **extra}
            self._country_columns[type_name] = tuple(
                n for n, c in spec.items() if c.kind in ("country", "countries")
            )
            self._port_columns[type_name] = tuple(
                n for n, c in spec.items() if c.kind in ("port", "ports")
            )
        self._hs_cache: dict[str, list[tuple[_Goods, str]]] = {}
        self._port_cache: dict[str, bool] = {}

    # ------------------------------------------------------------------ public

    def check(self, tx: Transaction) -> Result:
        hits: dict[str, list[PartyHit]] = (
            self.parties.screen(tx) if self.parties is not None else {}
        )
        findings: list[Finding] = []
        result = Result(tx, findings, [h for group in hits.values() for h in group])
        if tx.type == "shipment":
            self._check_goods(tx, hits, result)
        touches: bool | None = None
        for rule in self._rules.get(tx.type, ()):
            gate = rule.gate
            if gate == "hits" and not hits:
                continue
            if gate == "target" or (gate == "either" and not hits):
                if touches is None:
                    touches = self._touches(tx)
                if not touches:
                    continue
            self._check_rule(rule, tx, hits, findings)
        if len(findings) > 1:
            findings.sort(key=lambda f: (-RANK[f.outcome], f.measure.id))
        return result

    def check_all(self, transactions: Iterable[Transaction]) -> Iterator[Result]:
        for tx in transactions:
            yield self.check(tx)

    def _touches(self, tx: Transaction) -> bool:
        """Whether any country or port of the row is the target's (rules gated on it run)."""
        values = tx.values
        codes = self._target_codes
        for name in self._country_columns[tx.type]:
            value = values.get(name)
            if value is None:
                continue
            if value.__class__ is tuple:
                if any(v in codes for v in value):
                    return True
            elif value in codes:
                return True
        for name in self._port_columns[tx.type]:
            value = values.get(name)
            if value is None:
                continue
            if value.__class__ is tuple:
                if any(self._is_port(v) for v in value):
                    return True
            elif self._is_port(value):
                return True
        return False

    # ------------------------------------------------------------------ goods

    def _is_port(self, name: str) -> bool:
        cached = self._port_cache.get(name)
        if cached is None:
            cached = self.regime.target.is_port(name)
            if len(self._port_cache) < 100_000:
                self._port_cache[name] = cached
        return cached

    def _flows(self, tx: Transaction) -> tuple[list[str], list[str]]:
        """Why the goods leave and why they enter the target (empty lists: they do not)."""
        values = tx.values
        countries = self.regime.target.countries
        name = self.regime.target.name
        leaving: list[str] = []
        entering: list[str] = []
        if values.get("origin") in countries:
            leaving.append(f"origin {values['origin']} is {name}")
        pol = values.get("port_of_loading")
        if pol and self._is_port(pol):
            leaving.append(f"port_of_loading {pol!r} is a port of {name}")
        if values.get("destination") in countries:
            entering.append(f"destination {values['destination']} is {name}")
        pod = values.get("port_of_discharge")
        if pod and self._is_port(pod):
            entering.append(f"port_of_discharge {pod!r} is a port of {name}")
        for port in values.get("transshipment_ports", ()):
            if self._is_port(port):
                reason = f"transshipment_ports include {port!r}, a port of {name}"
                leaving.append(reason)
                entering.append(reason)
        return leaving, entering

    def _candidates(self, code: str) -> list[tuple[_Goods, str]]:
        found = self._hs_cache.get(code)
        if found is not None:
            return found
        found = []
        for length in (2, 4, 6, 8, 10):
            if length > len(code):
                break
            for goods in self._by_prefix.get(code[:length], ()):
                prefix = goods.item.covers(code)
                if prefix is not None:
                    found.append((goods, prefix))
        for goods in self._every_code:
            if goods.item.covers(code) is not None:
                found.append((goods, "*"))
        if len(self._hs_cache) < 200_000:
            self._hs_cache[code] = found
        return found

    def _check_goods(self, tx: Transaction, hits: Hits, result: Result) -> None:
        code: str = tx.values["hs_code"]
        if self.hs is not None:
            info = self.hs.lookup(code)
            if not info.known:
                result.notes.append(
                    f"hs_code {code}: {code[:6]} is not a subheading of {'/'.join(sorted(self.hs.editions))}"
                )
        leaving, entering = self._flows(tx)
        if not leaving and not entering:
            return
        if self.hs is not None:
            result.hs = self.hs.lookup(code)
        day = tx.date
        matched: set[str] = set()
        for goods, prefix in self._candidates(code):
            measure = goods.measure
            flow = leaving if measure.direction == "export_from" else entering
            if not flow or not measure.in_force_on(day):
                continue
            state: bool | None = True
            preds: list[Predicate] = []
            if goods.where is not None:
                state, preds = goods.where.evaluate(tx, hits)
                if state is False:
                    continue
            if measure.id in matched:
                continue
            matched.add(measure.id)
            why = [
                self._hs_reason(code, prefix, goods.item),
                *flow,
                self._date_reason(measure, day),
            ]
            why.extend(p.explain(tx, hits) for p in preds)
            finding = self._finding(measure, goods.item.action, tx, hits, why, state, day)
            finding.goods = goods.item.goods or None
            finding.caps = self._caps(measure, day)
            result.findings.append(finding)
        description = tx.values.get("description")
        if description:
            self._check_words(tx, code, description, leaving, entering, matched, result)

    def _check_words(
        self,
        tx: Transaction,
        code: str,
        description: str,
        leaving: list[str],
        entering: list[str],
        matched: set[str],
        result: Result,
    ) -> None:
        for named in self._flagger.named(description):
            measure = named.measure
            if measure.id in matched or not measure.in_force_on(tx.date):
                continue
            flow = leaving if measure.direction == "export_from" else entering
            if not flow or measure.covers(code):
                continue
            matched.add(measure.id)
            scope = ", ".join(p for p in measure.hs_prefixes() if p != "*")
            why = [
                f"description names {named.word!r}: {named.item.goods or measure.title} ({measure.id})",
                f"hs_code {code}{self._hs_label(code)} is outside that measure's HS scope ({scope})",
                *flow,
            ]
            result.findings.append(
                Finding(
                    "misdescribed",
                    measure,
                    "review",
                    "review",
                    "medium",
                    why,
                    goods=named.item.goods or None,
                )
            )

    def _hs_label(self, code: str) -> str:
        if self.hs is None:
            return ""
        info = self.hs.lookup(code)
        text = info.describe()
        return f" ({text})" if text else ""

    def _hs_reason(self, code: str, prefix: str, item: ScopeItem) -> str:
        if prefix == "*":
            excluded = ", ".join(item.hs_exclude)
            return f"hs_code {code}: every HS code is in scope" + (
                f" except {excluded}" if excluded else ""
            )
        described = self.hs.describe(prefix) if self.hs is not None else None
        label = f" ({described})" if described else ""
        return f"hs_code {code} is in HS {prefix}{label}"

    @staticmethod
    def _date_reason(measure: Measure, day: date) -> str:
        text = f"date {day.isoformat()} is on or after {measure.in_force.isoformat()}, when {measure.citation} took effect"
        if measure.superseded is not None:
            text += f", and before {measure.superseded.isoformat()}, when it was superseded"
        return text

    def _caps(self, measure: Measure, day: date) -> list[tuple[Cap, tuple[date, date]]]:
        out = []
        for cap_id in measure.caps:
            cap = self.regime.caps[cap_id]
            window = cap.period.window(day)
            if window is not None:
                out.append((cap, window))
        return out

    # ------------------------------------------------------------------ other types

    def _check_rule(
        self, rule: _Rule, tx: Transaction, hits: Hits, findings: list[Finding]
    ) -> None:
        measure = rule.measure
        day = tx.values.get(measure.date_field) if measure.date_field != "date" else tx.date
        if day is None or not measure.in_force_on(day):
            return
        state, preds = rule.where.evaluate(tx, hits)
        if state is False:
            return
        if any(f.measure.id == measure.id for f in findings):
            return
        why = [p.explain(tx, hits) for p in preds]
        why.append(self._date_reason(measure, day).replace("date ", f"{measure.date_field} ", 1))
        finding = self._finding(measure, rule.action, tx, hits, why, state, day)
        finding.parties = [h for p in preds if hasattr(p, "relevant") for h in p.relevant(hits)]
        findings.append(finding)

    # ------------------------------------------------------------------ findings

    def _finding(
        self,
        measure: Measure,
        action: str | None,
        tx: Transaction,
        hits: Hits,
        why: list[str],
        state: bool | None,
        day: date,
    ) -> Finding:
        actions = self.regime.actions
        action = action or measure.action
        severity = measure.severity
        if measure.deadline is not None and day >= measure.deadline[0]:
            action = measure.deadline[1]
            severity = None
            why.append(
                f"{day.isoformat()} is on or after the deadline of {measure.deadline[0].isoformat()}"
            )
        definition = actions[action]
        outcome = definition.outcome
        severity = severity or definition.severity
        if state is None and outcome != "review":
            outcome = "review"
            why.append("the row does not let the rule decide: review")
        statuses = []
        for exemption in measure.exemptions:
            cond = self._exemptions.get(id(exemption))
            if cond is None:
                statuses.append(ExemptionStatus(exemption, "manual"))
                continue
            met, preds = cond.evaluate(tx, hits)
            if met:
                statuses.append(ExemptionStatus(exemption, "met"))
                why.append(
                    f"exemption {exemption.id} applies: "
                    + "; ".join(p.explain(tx, hits) for p in preds)
                )
            else:
                statuses.append(
                    ExemptionStatus(exemption, "not_met", tuple(cond.failures(tx, hits)))
                )
        if any(s.status == "met" for s in statuses):
            outcome = "exempt"
            severity = "low"
        return Finding("measure", measure, outcome, action, severity, why, exemptions=statuses)
