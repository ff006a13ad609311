"""Request and response models, named and shaped as in OpenSanctions' yente API.

Field names follow yente (`yente/data/common.py`, `yente/data/freebase.py`) so
that its clients work unchanged; sanctionsnet adds fields (provenance of every
result, per-feature explanations) that those clients ignore. Request models
validate input. Response models document the OpenAPI page and are checked by
the schemathesis test; handlers return pre-serialised JSON instead of building
them, which keeps large responses cheap.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

# --- common ---------------------------------------------------------------------------


class ErrorResponse(BaseModel):
    detail: str = Field(..., examples=["No such dataset: 'foo' (datasets: default, un_sc, ...)"])


class StatusResponse(BaseModel):
    status: str = "ok"


class TotalSpec(BaseModel):
    value: int = Field(..., examples=[42])
    relation: str = Field("eq", examples=["eq"])


# --- entities -------------------------------------------------------------------------


class EntityResponse(BaseModel):
    """A followthemoney entity; nested adjacent entities appear inside `properties`."""

    model_config = ConfigDict(populate_by_name=True)

    id: str = Field(..., examples=["ofac-sdn-12345"])
    caption: str = Field(..., examples=["John Doe"])
    schema_: str = Field(..., alias="schema", examples=["Person"])
    properties: dict[str, list[str | EntityResponse]] = Field(
        ..., examples=[{"name": ["John Doe"]}]
    )
    datasets: list[str] = Field([], examples=[["ofac_sdn"]])
    referents: list[str] = Field([], examples=[[]])
    target: bool = False
    first_seen: datetime | None = None
    last_seen: datetime | None = Field(None, description="Publication date of the list version")
    last_change: datetime | None = None
    # sanctionsnet: where the entry comes from.
    source: str | None = Field(None, description="Source id, e.g. ofac_sdn")
    ref: str | None = Field(None, description="The list's own entry reference")
    version: str | None = Field(None, description="Store version of the list")
    file: str | None = Field(None, description="Published file the entry was read from")
    checksum: str | None = Field(None, description="SHA-256 of that file")


class FeatureExplanation(BaseModel):
    feature: str = Field(..., examples=["name"])
    contribution: float = Field(..., examples=[0.93])
    explanation: str = Field(..., examples=["name 'KIM Jong Un': all 3 parts agree"])


class ScoredEntityResponse(EntityResponse):
    score: float = Field(..., examples=[0.93])
    features: dict[str, float] = Field(
        ..., description="Feature name -> its contribution to the score (as in yente)"
    )
    match: bool = Field(False, description="Score at or above the threshold")
    explanations: list[FeatureExplanation] = Field(
        [], description="Each feature with the sentence that explains it"
    )
    matched_name: str | None = Field(None, description="The listed name that matched best")
    programs: list[str] = Field([], description="Sanctions programs of the entry")


class EntityExample(BaseModel):
    """An example entity to screen: a followthemoney schema and property values."""

    # Strict: the spec says strings, and a request that breaks it is refused, not coerced.
    model_config = ConfigDict(populate_by_name=True, strict=True)

    id: str | None = Field(None, examples=["customer-0001"])
    schema_: str = Field(..., alias="schema", examples=["Person"])
    properties: dict[str, str | list[str]] = Field(
        ...,
        examples=[{"name": ["Kim Jong Un"], "birthDate": ["1984-01-08"], "nationality": ["kp"]}],
    )


class EntityMatchQuery(BaseModel):
    model_config = ConfigDict(strict=True)

    weights: dict[str, float] = Field(
        {}, description="Accepted for yente compatibility; sanctionsnet's weights are fixed."
    )
    queries: dict[str, EntityExample] = Field(
        ...,
        examples=[
            {
                "q1": {
                    "schema": "Person",
                    "properties": {"name": ["Kim Jong Un"], "birthDate": ["1984"]},
                }
            }
        ],
    )


class EntityMatches(BaseModel):
    status: int = Field(200, examples=[200])
    results: list[ScoredEntityResponse]
    total: TotalSpec
    query: EntityExample


class FeatureDoc(BaseModel):
    description: str | None
    coefficient: float
    url: str


class EntityMatchResponse(BaseModel):
    responses: dict[str, EntityMatches]
    matcher: dict[str, FeatureDoc]
    limit: int = Field(..., examples=[5])
    # sanctionsnet: what was screened against, for the record.
    algorithm: str | None = Field(None, examples=["default"])
    threshold: float | None = Field(None, examples=[0.7])
    versions: dict[str, str] = Field({}, description="Dataset -> list version screened")


# --- search ---------------------------------------------------------------------------


class SearchFacetItem(BaseModel):
    name: str = Field(..., examples=["ru"])
    label: str = Field(..., examples=["Russia"])
    count: int = Field(1, examples=[42])


class SearchFacet(BaseModel):
    label: str = Field(..., examples=["Countries"])
    values: list[SearchFacetItem]


class SearchResponse(BaseModel):
    limit: int = Field(..., examples=[10])
    offset: int = Field(0, examples=[0])
    total: TotalSpec
    results: list[EntityResponse]
    facets: dict[str, SearchFacet]


# --- catalog and algorithms ---------------------------------------------------------------


class DatasetModel(BaseModel):
    name: str
    title: str
    summary: str | None = None
    url: str | None = None
    load: bool
    entities_url: str | None = None
    version: str
    index_version: str | None = None
    index_current: bool = False
    children: list[str]
    # sanctionsnet
    source: str | None = None
    published: str | None = None
    entries: int | None = None


class DataCatalogModel(BaseModel):
    datasets: list[DatasetModel]
    current: list[str]
    outdated: list[str]
    index_stale: bool = False


class Algorithm(BaseModel):
    name: str
    description: str | None = None
    features: dict[str, FeatureDoc]
    version: str | None = None
    default_threshold: float | None = None


class AlgorithmResponse(BaseModel):
    algorithms: list[Algorithm]
    default: str
    best: str


# --- reconciliation (W3C Reconciliation Service API 0.2) ---------------------------------


class FreebaseType(BaseModel):
    id: str = Field(..., examples=["Person"])
    name: str = Field(..., examples=["People"])
    description: str | None = None


class FreebaseProperty(BaseModel):
    id: str = Field(..., examples=["birthDate"])
    name: str = Field(..., examples=["Birth date"])
    description: str | None = None


class FreebaseEntity(BaseModel):
    id: str
    name: str
    description: str | None = None
    type: list[FreebaseType]


class FreebaseScoredEntity(FreebaseEntity):
    score: float | None
    match: bool | None


class FreebaseEntityResult(BaseModel):
    result: list[FreebaseScoredEntity]


class FreebaseSuggestResponse(BaseModel):
    code: str = "/api/status/ok"
    status: str = "200 OK"
    prefix: str


class FreebaseTypeSuggestResponse(FreebaseSuggestResponse):
    result: list[FreebaseType]


class FreebaseEntitySuggestResponse(FreebaseSuggestResponse):
    result: list[FreebaseEntity]


class FreebasePropertySuggestResponse(FreebaseSuggestResponse):
    result: list[FreebaseProperty]


class FreebaseManifestView(BaseModel):
    url: str


class FreebaseManifestPreview(BaseModel):
    url: str
    width: int
    height: int


class FreebaseManifestSuggestType(BaseModel):
    service_url: str
    service_path: str


class FreebaseManifestSuggest(BaseModel):
    entity: FreebaseManifestSuggestType
    type: FreebaseManifestSuggestType
    property: FreebaseManifestSuggestType


class FreebaseManifest(BaseModel):
    versions: list[str] = Field(..., examples=[["0.2"]])
    name: str
    identifierSpace: str  # noqa: N815 (the spec's name)
    schemaSpace: str  # noqa: N815
    view: FreebaseManifestView
    preview: FreebaseManifestPreview
    suggest: FreebaseManifestSuggest
    defaultTypes: list[FreebaseType]  # noqa: N815


class ReconcileEntityValue(BaseModel):
    """A property value that is a reconciled entity (OpenRefine sends `{"id": ..., "name": ...}`)."""

    model_config = ConfigDict(strict=True)

    id: str
    name: str | None = None


ReconcileValue = str | int | float | ReconcileEntityValue


class ReconcileProperty(BaseModel):
    model_config = ConfigDict(strict=True)

    pid: str = Field(..., examples=["Person:birthDate"], description="Property, e.g. birthDate")
    v: ReconcileValue | list[ReconcileValue] = Field(..., examples=["1970-05-12"])


class ReconcileQuery(BaseModel):
    """One reconciliation query (W3C Reconciliation API 0.2)."""

    model_config = ConfigDict(strict=True)

    query: str = Field(..., examples=["Ivan Fictionalov"], description="The name to reconcile")
    type: str | list[str] | None = Field(
        None, examples=["Person"], description="A followthemoney schema (default: any party)"
    )
    limit: int = Field(5, ge=1, le=100, description="Most candidates returned")
    properties: list[ReconcileProperty] = Field([], description="Other columns: {pid, v}")
    type_strict: str | None = None


RECONCILE_QUERIES: TypeAdapter[dict[str, ReconcileQuery]] = TypeAdapter(dict[str, ReconcileQuery])


def reconcile_request_body() -> dict[str, Any]:
    """OpenAPI request body of POST /reconcile: form-encoded `queries` or JSON."""
    queries_schema = _inline_refs(RECONCILE_QUERIES.json_schema())
    return {
        "required": True,
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "queries": {
                            "type": "string",
                            "description": "JSON-encoded reconciliation queries",
                        }
                    },
                    "required": ["queries"],
                }
            },
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {"queries": queries_schema},
                    "required": ["queries"],
                }
            },
        },
    }


def _inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """A JSON schema with its local `$defs` references written out (for `openapi_extra`)."""
    defs = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return walk(defs[ref.removeprefix("#/$defs/")])
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    result: dict[str, Any] = walk(schema)
    return result
