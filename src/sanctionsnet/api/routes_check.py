"""`POST /check`: transactions checked against a sanctions regime's measures."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Query, Request, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from sanctionsnet.api.deps import SnapshotDep
from sanctionsnet.api.derived import PerSnapshot
from sanctionsnet.api.engine import Snapshot
from sanctionsnet.api.errors import ApiRoute, json_response
from sanctionsnet.api.models import ErrorResponse
from sanctionsnet.regime.checker import Checker
from sanctionsnet.regime.loader import DEFAULT_REGIME, packaged_regimes
from sanctionsnet.regime.service import check_records, load_checker
from sanctionsnet.regime.transactions import TransactionError

router = APIRouter(route_class=ApiRoute, tags=["Regime rules"])

#: Most transactions in one request; larger files belong to `sanctionsnet check`.
MAX_TRANSACTIONS = 10_000

#: A column's value: text, a number, a flag, empty, or a list of texts (ports, parties).
Value = str | int | float | bool | None | list[str]


class CheckRequest(BaseModel):
    """Transactions as objects of columns (the columns of `sanctionsnet check`)."""

    transactions: list[dict[str, Value]] = Field(
        ...,
        max_length=MAX_TRANSACTIONS,
        description="Each with `id`, `type`, `date` and the columns of its type",
        examples=[
            [
                {
                    "id": "t1",
                    "type": "shipment",
                    "date": "2018-03-01",
                    "hs_code": "620342",
                    "description": "cotton trousers",
                    "origin": "KP",
                    "destination": "CN",
                }
            ]
        ],
    )


def _checkers(regime: str) -> PerSnapshot[Checker]:
    return PerSnapshot(lambda snapshot: load_checker(regime, screener=snapshot.screener("default")))


def regime_checker(request: Request, snapshot: Snapshot, regime: str) -> Checker:
    """The checker of a packaged regime, screening parties against the snapshot's lists."""
    state = request.app.state
    by_regime: dict[str, PerSnapshot[Checker]] | None = getattr(state, "regime_checkers", None)
    if by_regime is None:
        by_regime = state.regime_checkers = {}
    if regime not in by_regime:
        by_regime[regime] = _checkers(regime)
    return by_regime[regime].get(snapshot)


@router.post(
    "/check",
    summary="Check transactions against a regime",
    responses={
        404: {"model": ErrorResponse, "description": "No such regime"},
        413: {"model": ErrorResponse, "description": "Request body too large"},
    },
)
async def post_check(
    request: Request,
    snapshot: SnapshotDep,
    body: CheckRequest,
    regime: str = Query(DEFAULT_REGIME, description="A packaged regime, e.g. `un_dprk`"),
    tally: bool = Query(False, description="Sum the deliveries against each cap"),
) -> Response:
    """Per transaction, the findings: the measure breached or to review, its citation
    (resolution and paragraph), why (which column matched which rule), the severity,
    and the listed parties or vessels found by screening its parties. Every row is
    validated before any is checked; bad rows come back as a 422 naming row and field."""
    if regime not in packaged_regimes():
        known = ", ".join(packaged_regimes())
        raise HTTPException(404, detail=f"No such regime: {regime!r}. Regimes: {known}")

    def run() -> dict[str, Any]:
        checker = regime_checker(request, snapshot, regime)
        return check_records(body.transactions, checker, tally=tally)

    try:
        data = await run_in_threadpool(run)
    except TransactionError as exc:
        return json_response({"detail": transaction_issues(exc)}, status_code=422)
    return json_response(data)


def transaction_issues(exc: TransactionError) -> list[dict[str, Any]]:
    """Every bad row and field, in FastAPI's validation-error shape plus the row's own
    number and id, so a client handles them like any other 422."""
    out = []
    for issue in exc.issues:
        data = issue.to_json()
        loc: list[str | int] = ["body", "transactions"]
        if data["row"] is not None:
            loc.append(int(data["row"]) - 1)
        if data["field"]:
            loc.append(str(data["field"]))
        out.append({"loc": loc, "msg": data["message"], "type": "value_error", **data})
    return out
