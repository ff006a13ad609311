"""Property-based testing against the OpenAPI spec: whatever schemathesis sends, never a 5xx.

schemathesis generates requests from /openapi.json, valid and deliberately
invalid ones, runs them in-process against the ASGI app (over a store of the
fictional samples), and checks every response: no server error, a status code
the spec documents, and a body that conforms to the documented response model
(which is yente's shape).
"""

from __future__ import annotations

import hypothesis
import pytest
import schemathesis
from schemathesis.specs.openapi.checks import positive_data_acceptance

from sanctionsnet.api import Engine, ServiceSettings, create_app


@pytest.fixture
def api_schema(settings: ServiceSettings, engine: Engine) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(settings, engine))


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@hypothesis.settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=list(hypothesis.HealthCheck),
    derandomize=True,
)
def test_no_server_errors_and_conforming_responses(case: schemathesis.Case) -> None:
    # Valid-by-schema bodies with made-up property names are rightly refused (422):
    # the JSON schema cannot say which followthemoney properties a schema has.
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
