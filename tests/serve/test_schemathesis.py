"""Property-based testing over the OpenAPI schema (schemathesis): at least 100 generated cases per
operation against a live server with real credentials; no input may produce a server error."""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import uvicorn
from hypothesis import HealthCheck, given, settings

from healthfm.serve import create_app
from tests.serve.conftest import Served

CASES = 100


@pytest.fixture(scope="module")
def live(served: Served) -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = create_app(served.settings(rate_per_minute=1e6, rate_burst=10_000, review_risk_above=0.0))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(400):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(30)


def _runner(operation: Any, live: str, key: str, seen: Counter[int], label: str) -> Callable[[], None]:
    import schemathesis

    @settings(
        max_examples=CASES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def run(case: schemathesis.Case) -> None:
        response = case.call(base_url=live, headers={"X-API-Key": key}, timeout=60)
        seen[response.status_code] += 1
        assert response.status_code < 500, f"{label}: {response.status_code} {response.text[:500]}"

    return run  # type: ignore[no-any-return]


def test_no_generated_input_gives_a_server_error(served: Served, live: str) -> None:
    import schemathesis

    key = served.key("*", "system/RiskAssessment.write", "patient/*.read", "review", "admin", "metrics")
    schema = schemathesis.openapi.from_url(f"{live}/openapi.json")
    operations = [op.ok() for op in schema.get_all_operations()]
    assert len(operations) >= 9
    statuses: dict[str, Counter[int]] = {}
    for operation in operations:
        label = f"{operation.method.upper()} {operation.path}"
        seen: Counter[int] = Counter()

        run = _runner(operation, live, key, seen, label)
        run()
        if sum(seen.values()) < CASES:  # an operation with no inputs has one distinct case: repeat it
            case = next(iter([operation.Case()]))
            for _ in range(CASES - sum(seen.values())):
                response = case.call(base_url=live, headers={"X-API-Key": key}, timeout=60)
                seen[response.status_code] += 1
                assert response.status_code < 500, label
        statuses[label] = seen
        assert sum(seen.values()) >= CASES, (label, seen)
    print({k: dict(v) for k, v in statuses.items()})
    # the credentials were real: some calls got through
    assert statuses["GET /v1/models"][200] > 0
    assert sum(c[200] for c in statuses.values()) > 0
