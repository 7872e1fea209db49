"""The edge, for real: nginx from the rendered config in front of tiny upstream HTTP servers."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from petshots_devstack import edge
from petshots_devstack.edge_routes import EDGE_ROUTES, Fallback, route_for
from petshots_devstack.nginx_config import EdgeConfig
from petshots_devstack.processes import spawn, stop
from petshots_devstack.product_services import Upstream
from petshots_devstack.waiting import free_port, port_open, wait_until

SPA_INDEX = "<!doctype html><title>spa</title><div id=root></div>"
SPA_SCRIPT = "console.log('petshots');"

# SPEC §4 written out independently of EDGE_ROUTES, so a wrong table cannot pass.
SPEC_CASES: list[tuple[str, str]] = [
    ("/auth/signup", "auth"),
    ("/auth/login/start", "auth"),
    ("/auth/openapi.json", "auth"),
    ("/auth/unsubscribe?t=abc", "auth"),
    ("/api/pets", "records"),
    ("/api/pets?limit=5", "records"),
    ("/api/pets/8c1d0c7e-2d4a-4b8e-9a57-0e1f2f3a4b5c", "records"),
    ("/api/pets/8c1d/photo", "records"),
    ("/api/docs/8c1d/complete", "records"),
    ("/api/docs", "records"),
    ("/api/dashboard", "records"),
    ("/api/quick-show", "records"),
    ("/api/quick-show?pet_id=1", "records"),
    ("/api/records/openapi.json", "records"),
    ("/api/passports", "passport"),
    ("/api/passports/1/qr.svg", "passport"),
    ("/api/passports/openapi.json", "passport"),
    ("/p/AbCdEfGhIjKlMnOpQrStUv", "passport"),
    ("/p/AbCdEfGhIjKlMnOpQrStUv.json", "passport"),
    ("/p/AbCdEfGhIjKlMnOpQrStUv/docs/1", "passport"),
    ("/api/unknown", "api_not_found"),
    ("/api", "api_not_found"),
    ("/api/petsfoo", "api_not_found"),
    ("/api/docsx", "api_not_found"),
    ("/api/passportsx", "api_not_found"),
    ("/api/dashboard/extra", "api_not_found"),
    ("/api/quick-show/1", "api_not_found"),
    ("/api/records", "api_not_found"),
    ("/", "spa"),
    ("/some/client/route", "spa"),
    ("/pets/123", "spa"),
    ("/p", "spa"),
    ("/auth", "spa"),
    ("/authx", "spa"),
    ("/index.html", "spa"),
]


@dataclass(frozen=True)
class RunningEdge:
    url: str
    config: EdgeConfig


def _echo(name: str) -> Callable[[Request], Response]:
    def handler(request: Request) -> Response:
        body = {
            "service": name,
            "path": request.path,
            "query": request.query_string.decode(),
            "headers": dict(request.headers),
        }
        return Response(json.dumps(body), content_type="application/json")

    return handler


@pytest.fixture(scope="module")
def upstreams() -> Iterator[dict[Upstream, HTTPServer]]:
    servers: dict[Upstream, HTTPServer] = {}
    for upstream in Upstream:
        server = HTTPServer(host="127.0.0.1", port=0)
        server.expect_request(re.compile(".*")).respond_with_handler(_echo(upstream.value))
        server.start()
        servers[upstream] = server
    yield servers
    for server in servers.values():
        server.clear()
        server.stop()


@pytest.fixture(scope="module")
def spa_dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    (dist / "index.html").write_text(SPA_INDEX)
    (dist / "assets").mkdir()
    (dist / "assets" / "app.js").write_text(SPA_SCRIPT)
    return dist


@contextmanager
def serving_edge(
    prefix: Path, upstreams: Mapping[Upstream, str], spa_dist: Path, dev_jwks: Path | None = None
) -> Iterator[RunningEdge]:
    port = free_port()
    config = edge.prepare(
        prefix,
        listen=f"127.0.0.1:{port}",
        upstreams=upstreams,
        spa_dist=spa_dist,
        dev_jwks=dev_jwks,
    )
    child = spawn("nginx", edge.command(config))
    try:
        wait_until(lambda: port_open("127.0.0.1", port), timeout_s=10, what="nginx")
        yield RunningEdge(f"http://127.0.0.1:{port}", config)
    finally:
        stop([child], timeout_s=5)


@pytest.fixture(scope="module")
def running_edge(
    tmp_path_factory: pytest.TempPathFactory,
    upstreams: dict[Upstream, HTTPServer],
    spa_dist: Path,
) -> Iterator[RunningEdge]:
    addresses = {u: f"127.0.0.1:{s.port}" for u, s in upstreams.items()}
    with serving_edge(tmp_path_factory.mktemp("edge"), addresses, spa_dist) as running:
        yield running


@pytest.fixture
def client(running_edge: RunningEdge) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=running_edge.url, timeout=5) as c:
        yield c


def _landed_on(response: httpx.Response) -> str:
    if response.headers.get("content-type", "").startswith("text/html"):
        assert response.status_code == 200
        assert response.text == SPA_INDEX
        return "spa"
    body = response.json()
    if response.status_code == 404 and body.get("error") == "not_found":
        return "api_not_found"
    assert response.status_code == 200, body
    service: str = body["service"]
    return service


@pytest.mark.parametrize(("path", "expected"), SPEC_CASES)
def test_every_spec_route_lands_where_spec_says(
    client: httpx.Client, path: str, expected: str
) -> None:
    assert _landed_on(client.get(path)) == expected
    assert route_for(path).value == expected


@pytest.mark.parametrize("method", ["POST", "PATCH", "DELETE"])
def test_other_methods_route_the_same(client: httpx.Client, method: str) -> None:
    assert client.request(method, "/api/pets/1", json={}).json()["service"] == "records"


def test_path_and_query_reach_the_service_unchanged(client: httpx.Client) -> None:
    body = client.get("/api/pets/1/docs?label=Rabies&x=%2F").json()
    assert body["path"] == "/api/pets/1/docs"
    assert body["query"] == "label=Rabies&x=%2F"


def test_unknown_api_path_is_json_404_not_the_spa(client: httpx.Client) -> None:
    response = client.get("/api/unknown")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["error"] == "not_found"
    assert body["detail"]


def test_spa_serves_its_files_and_index_for_unknown_paths(client: httpx.Client) -> None:
    script = client.get("/assets/app.js")
    assert script.text == SPA_SCRIPT
    assert script.headers["content-type"].startswith("text/javascript")
    # content-hashed assets are cached for good; index.html never
    assert script.headers["cache-control"] == "public, max-age=31536000, immutable"
    missing = client.get("/assets/missing.js")
    assert missing.text == SPA_INDEX
    assert client.get("/").headers["cache-control"] == "no-cache"


def test_forwarding_headers(client: httpx.Client, running_edge: RunningEdge) -> None:
    headers = client.get("/api/dashboard").json()["headers"]
    assert re.fullmatch(r"[0-9a-f]{32}", headers["X-Request-Id"])
    assert headers["X-Forwarded-For"] == "127.0.0.1"
    assert headers["X-Forwarded-Proto"] == "http"
    assert headers["Host"] == running_edge.url.removeprefix("http://")


def test_request_id_is_kept_and_forwarded_for_is_not_spoofable(client: httpx.Client) -> None:
    sent = {"X-Request-ID": "req-123", "X-Forwarded-For": "203.0.113.9"}
    headers = client.get("/p/token", headers=sent).json()["headers"]
    assert headers["X-Request-Id"] == "req-123"
    assert headers["X-Forwarded-For"] == "127.0.0.1"


def test_api_bodies_are_capped_at_64k(client: httpx.Client) -> None:
    assert client.post("/api/pets", content=b"x" * 60_000).status_code == 200
    assert client.post("/api/pets", content=b"x" * 70_000).status_code == 413


def test_access_log_has_no_query_strings_or_passport_tokens(
    client: httpx.Client, running_edge: RunningEdge
) -> None:
    client.get("/p/SecretPassportToken123/docs/1")
    client.get("/auth/unsubscribe?t=SecretUnsubscribeToken")
    client.get("/api/pets?name=SecretQuery")
    log = running_edge.config.access_log
    wait_until(lambda: "/api/pets" in log.read_text(), timeout_s=5, what="access log line")
    text = log.read_text()
    assert "/p/<redacted>" in text
    assert "/auth/unsubscribe" in text
    assert "Secret" not in text


def test_service_not_running_answers_503_json(
    tmp_path: Path, upstreams: dict[Upstream, HTTPServer], spa_dist: Path
) -> None:
    addresses = {u: f"127.0.0.1:{s.port}" for u, s in upstreams.items()}
    addresses[Upstream.PASSPORT] = f"127.0.0.1:{free_port()}"  # nothing listens there
    with serving_edge(tmp_path, addresses, spa_dist) as running:
        response = httpx.get(f"{running.url}/p/token", timeout=5)
        records = httpx.get(f"{running.url}/api/pets", timeout=5)
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/json"
    assert response.json()["error"] == "service_unavailable"
    assert records.json()["service"] == "records"
    assert "token" not in running.config.error_log.read_text()


def test_dev_jwks_is_served_until_auth_exists(
    tmp_path: Path, upstreams: dict[Upstream, HTTPServer], spa_dist: Path, client: httpx.Client
) -> None:
    jwks = tmp_path / "jwks.json"
    jwks.write_text('{"keys": []}')
    addresses = {u: f"127.0.0.1:{s.port}" for u, s in upstreams.items()}
    with serving_edge(tmp_path / "edge", addresses, spa_dist, dev_jwks=jwks) as running:
        served = httpx.get(f"{running.url}/auth/.well-known/jwks.json", timeout=5)
        other = httpx.get(f"{running.url}/auth/config", timeout=5)
    assert served.json() == {"keys": []}
    assert served.headers["content-type"] == "application/json"
    assert other.json()["service"] == "auth"
    # Without a dev JWKS (auth running), the path goes to auth like the rest of /auth/.
    assert client.get("/auth/.well-known/jwks.json").json()["service"] == "auth"


def test_table_covers_every_upstream_and_the_api_fallback() -> None:
    targets = {route.target for route in EDGE_ROUTES}
    assert targets == {*Upstream, Fallback.API_NOT_FOUND}
