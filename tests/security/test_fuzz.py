"""Schemathesis against each service's OpenAPI document (security_fuzz_worker.py): for every
documented operation, at least PETSHOTS_FUZZ_EXAMPLES generated requests (500 in ``make
test``, more in ``make fuzz``) with an authenticated owner and every default check on — no
5xx, responses as documented (status, content type, headers, body schema), schema-invalid
input rejected, schema-valid input accepted. An operation without any input has exactly one
possible request, and gets it."""

from __future__ import annotations

import os

import pytest

from petshots_testkit.background import BackgroundRun

EXAMPLES = int(os.environ.get("PETSHOTS_FUZZ_EXAMPLES", "500"))
WAIT_S = max(1200.0, EXAMPLES * 2.5)  # the same bound as the conftest's


@pytest.mark.timeout(WAIT_S + 60)
def test_fuzz(fuzzed: tuple[str, str], fuzz_runs: dict[str, BackgroundRun]) -> None:
    service, operation_id = fuzzed
    report = fuzz_runs[service].result(timeout=WAIT_S)
    result = report["operations"].get(operation_id)
    assert result is not None, f"{operation_id} is not in the {service} document any more"
    failures = result["failures"]
    assert not failures, f"{len(failures)} distinct failure(s):\n\n" + "\n\n".join(failures)
    expected = EXAMPLES if result["has_inputs"] else 1
    assert result["examples"] >= expected, result
