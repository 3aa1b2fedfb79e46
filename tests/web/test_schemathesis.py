"""schemathesis against the OpenAPI: generated requests (valid and invalid) to every operation;
no server error, and every response matches the schema (status codes, content types, bodies)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis.errors import Unsatisfiable  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from web_world import make_world  # noqa: E402

#: Generated examples per operation and generation mode (9 operations x 2 modes x 70, less the
#: combinations with nothing to make invalid, >= 1,000).
EXAMPLES = 70
MIN_REQUESTS = 1000
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def test_generated_requests(tmp_path: Path) -> None:
    world = make_world(f"sqlite:///{tmp_path / 'peakzero.db'}")
    app = world.client.app
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    sent: list[int] = []
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 9

    for op in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            strategy = op.as_strategy(generation_mode=mode)

            @given(case=strategy)
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
            )
            def run(case: Any) -> None:
                headers = {"X-API-Key": world.key_a}
                response = case.call(headers=headers)
                sent.append(response.status_code)
                try:
                    case.validate_response(response, checks=CHECKS, headers=headers)
                except Exception as exc:  # collected: one report for all operations
                    failures.append(f"{case.operation.label}: {exc}"[:2000])

            try:
                run()
            except Unsatisfiable:
                # nothing to make invalid (e.g. /healthz has no parameters)
                assert mode is GenerationMode.NEGATIVE, op.label
    world.client.app.state.engine.dispose()  # type: ignore[attr-defined]
    assert not failures, "\n\n".join(failures[:5])
    assert len(sent) >= MIN_REQUESTS
    assert 500 not in sent and all(code < 500 for code in sent)
