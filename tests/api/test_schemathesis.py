"""Property-based tests from the OpenAPI document: for generated inputs (valid and
invalid), no 500s, and every response matches its documented status, content type,
headers and schema, with the key of each role (a bank's answers differ: 403s, bands
instead of scores). Kept small (a few examples per operation) so it runs in seconds."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.app import create_app
from api.config import ApiConfig
from fraudgraph.settings import Settings
from tests.api.conftest import Keys

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]
# A longer hunt: FRAUDGRAPH_SCHEMATHESIS_EXAMPLES=200 (the default suite stays at seconds).
EXAMPLES = int(os.environ.get("FRAUDGRAPH_SCHEMATHESIS_EXAMPLES", "10"))


@pytest.mark.parametrize("role", ["admin", "analyst", "kaspi"])
def test_api_conforms_to_its_openapi(role: str, world: Keys, settings: Settings,
                                     tmp_path: Path) -> None:
    # schemathesis runs the app's lifespan itself (one driver, for the rest of the run).
    # Rate limits well above the hunt's pace: a 429 conforms, but it would stop the
    # cases behind it from reaching the routes (the limits have their own tests).
    app = create_app(settings, config=ApiConfig(audit_dir=tmp_path, rate_lookup_per_s=1e4,
                                                rate_lookup_burst=1e4,
                                                rate_default_per_s=1e4,
                                                rate_default_burst=1e4))
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    headers = world.h(role)
    operations = [r.ok() for r in schema.get_all_operations()]  # type: ignore[union-attr]
    assert len(operations) >= 18
    for op in operations:
        strategy = st.one_of(op.as_strategy(), op.as_strategy(
            generation_mode=schemathesis.GenerationMode.NEGATIVE))

        @given(case=strategy)
        @hsettings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  phases=[Phase.explicit, Phase.generate],
                  suppress_health_check=list(HealthCheck))
        def run(case: schemathesis.Case) -> None:
            case.call_and_validate(headers=headers, checks=CHECKS)

        run()
