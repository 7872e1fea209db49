"""``/metrics`` of a service built with ``create_service_app``: Litestar's metric names and
labels, one series per route template and status, and the real status of refused requests."""

from __future__ import annotations

import re
import uuid

from litestar import Controller, get
from litestar.params import FromPath
from litestar.testing import AsyncTestClient
from prometheus_client.parser import text_string_to_metric_families

from petshots_core.settings import Settings
from petshots_core.web.app import create_service_app
from petshots_testkit.tokens import TokenIssuer


class Things(Controller):
    path = "/api/things"

    @get("/{thing_id:uuid}", operation_id="getThing")
    async def get_thing(self, thing_id: FromPath[uuid.UUID]) -> dict[str, str]:
        """One thing."""
        return {"id": str(thing_id)}

    @get("/broken", operation_id="getBroken")
    async def broken(self) -> dict[str, str]:
        """Always fails."""
        raise RuntimeError("boom")


def samples(text: str, app_name: str) -> dict[tuple[str, str, str, str], float]:
    """(sample name, method, path, status) → value, for this app's series."""
    found: dict[tuple[str, str, str, str], float] = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            if s.labels.get("app_name") != app_name or s.name.endswith("_bucket"):
                continue
            key = (s.name, s.labels["method"], s.labels["path"], s.labels["status_code"])
            found[key] = s.value
    return found


async def test_metrics_keep_litestars_names_and_labels_per_route_and_status(
    settings: Settings, token_issuer: TokenIssuer
) -> None:
    app_name = f"metrics_test_{uuid.uuid4().hex[:8]}"
    app = create_service_app(
        settings=settings.model_copy(update={"service_name": app_name}),
        title="metrics test",
        openapi_path="/api/things/openapi.json",
        route_handlers=[Things],
    )
    auth = {"Authorization": f"Bearer {token_issuer.token(uuid.uuid4())}"}
    async with AsyncTestClient(app=app) as client:
        for _ in range(3):
            assert (
                await client.get(f"/api/things/{uuid.uuid4()}", headers=auth)
            ).status_code == 200
        assert (await client.get(f"/api/things/{uuid.uuid4()}")).status_code == 401
        assert (await client.get("/api/things/broken", headers=auth)).status_code == 500
        assert (await client.get("/healthz")).status_code == 200
        text = (await client.get("/metrics")).text

    found = samples(text, app_name)
    thing = "/api/things/{thing_id}"
    assert found[("litestar_requests_total", "GET", thing, "200")] == 3
    assert found[("litestar_request_duration_seconds_count", "GET", thing, "200")] == 3
    assert found[("litestar_request_duration_seconds_sum", "GET", thing, "200")] > 0
    # Refused by the auth middleware (raised past the metrics, answered further up): counted
    # as what the client got, with the time it took.
    assert found[("litestar_requests_total", "GET", thing, "401")] == 1
    assert found[("litestar_request_duration_seconds_sum", "GET", thing, "401")] > 0
    broken = "/api/things/broken"
    assert found[("litestar_requests_total", "GET", broken, "500")] == 1
    assert found[("litestar_requests_error_total", "GET", broken, "500")] == 1
    # The gauge is labelled on entry, so with status 200 whatever the answer (as Litestar's).
    assert found[("litestar_requests_in_progress", "GET", thing, "200")] == 0
    assert not any(status in ("401", "500") for (name, _, _, status) in found if "progress" in name)
    # Ops paths are not measured, and raw paths (which may carry secrets) never appear.
    assert not any(path in ("/healthz", "/metrics") for (_, _, path, _) in found)
    assert not re.search(r'path="/api/things/[0-9a-f-]{36}"', text)
    assert {name for (name, *_) in found} == {
        "litestar_requests_total",
        "litestar_requests_created",
        "litestar_request_duration_seconds_count",
        "litestar_request_duration_seconds_sum",
        "litestar_request_duration_seconds_created",
        "litestar_requests_in_progress",
        "litestar_requests_error_total",
        "litestar_requests_error_created",
    }
