"""The page and its JSON are served outside Litestar's router (fastpath.py): what it owns.

The behaviour of the answers themselves (statuses, bodies, headers, the view log) is tested
in test_public_page.py and tests/security; here: the metrics, the access log line, the request
id, the last-resort 500, the 503 while the database is unreachable, and what is still left to
Litestar.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from prometheus_client.parser import text_string_to_metric_families

from petshots_passport.app import create_app
from petshots_passport.domain.public.fastpath import passport_segment
from petshots_passport.domain.public.guard import PublicGuard
from petshots_passport.settings import PassportSettings
from petshots_passport.tokens import new_token
from petshots_testkit.logscan import LogTap

ROUTE = "/p/{rest}"
TOKEN = "A" * 32


def guard_of(app: Litestar) -> PublicGuard:
    guard = app.asgi_handler
    assert isinstance(guard, PublicGuard)
    return guard


async def samples(client: AsyncTestClient[Litestar], metric: str) -> dict[tuple[str, str], float]:
    """``{(method, status): value}`` of one series family for the /p route."""
    text = (await client.get("/metrics")).text
    found: dict[tuple[str, str], float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            labels = sample.labels
            if (
                sample.name == metric
                and labels.get("path") == ROUTE
                and labels.get("app_name") == "petshots_passport"
            ):
                found[labels["method"], labels["status_code"]] = sample.value
    return found


Samples = dict[tuple[str, str], float]


def grew(before: Samples, after: Samples) -> Samples:
    return {k: after[k] - before.get(k, 0.0) for k in after if after[k] != before.get(k, 0.0)}


def access_lines(lines: list[str]) -> list[dict[str, Any]]:
    parsed = []
    for line in lines:
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and entry.get("event") == "request":
            parsed.append(entry)
    return parsed


@pytest.mark.parametrize(
    ("scope", "segment"),
    [
        ({"method": "GET", "path": f"/p/{TOKEN}"}, TOKEN),
        ({"method": "GET", "path": f"/p/{TOKEN}.json"}, f"{TOKEN}.json"),
        ({"method": "GET", "path": f"/p/{TOKEN}/"}, TOKEN),
        ({"method": "GET", "path": f"/p//{TOKEN}"}, TOKEN),
        ({"method": "GET", "path": "/p/short"}, "short"),  # answered 404 by the fast path
        ({"method": "GET", "path": "/p"}, None),
        ({"method": "GET", "path": "/p/"}, None),
        ({"method": "GET", "path": "/p//"}, None),
        ({"method": "GET", "path": f"/p/{TOKEN}/docs/x"}, None),  # the certificate: Litestar
        ({"method": "GET", "path": f"/pets/{TOKEN}"}, None),
        ({"method": "HEAD", "path": f"/p/{TOKEN}"}, None),  # 405 from the router, as always
        ({"method": "POST", "path": f"/p/{TOKEN}"}, None),
        ({"method": "OPTIONS", "path": f"/p/{TOKEN}"}, None),
    ],
)
def test_what_the_fast_path_takes(scope: dict[str, Any], segment: str | None) -> None:
    assert passport_segment({**scope, "headers": [(b"host", b"localhost:8000")]}) == segment


def test_a_malformed_host_is_left_to_litestar() -> None:
    scope = {"method": "GET", "path": f"/p/{TOKEN}", "headers": [(b"host", b"bad host")]}
    assert passport_segment(scope) is None


async def test_pages_are_counted_in_litestars_request_series(
    person: Any, client: AsyncTestClient[Litestar], expire_passport: Any
) -> None:
    pet = await person.records.new_pet("Ollie")
    live = await person.new_passport(pet["id"])
    old = await person.new_passport(pet["id"])
    await expire_passport(old["id"])
    requests_before = await samples(client, "litestar_requests_total")
    durations_before = await samples(client, "litestar_request_duration_seconds_count")

    for path, status in (
        (person.public_path(live), 200),
        (person.public_path(live, ".json"), 200),
        (person.public_path(live) + "?through=someday", 400),
        (f"/p/{new_token()}", 404),
        (f"/p/{new_token()}.json", 404),
        ("/p/short", 404),
        (person.public_path(old), 410),
        # Through Litestar's router (the certificate route): the very same series.
        (person.public_path(live, "/docs/not-a-record"), 404),
    ):
        assert (await client.get(path)).status_code == status, path

    expected = {("GET", "200"): 2.0, ("GET", "400"): 1.0, ("GET", "404"): 4.0, ("GET", "410"): 1.0}
    assert grew(requests_before, await samples(client, "litestar_requests_total")) == expected
    durations = await samples(client, "litestar_request_duration_seconds_count")
    assert grew(durations_before, durations) == expected
    in_progress = await samples(client, "litestar_requests_in_progress")
    assert in_progress[("GET", "200")] == 0


async def test_one_access_line_per_page_with_the_request_id_and_no_token(
    person: Any, client: AsyncTestClient[Litestar], captured_logs: LogTap
) -> None:
    pet = await person.records.new_pet("Ollie")
    passport = await person.new_passport(pet["id"])
    token = person.token_of(passport)
    start = len(captured_logs.lines)
    kept = await client.get(f"/p/{token}", headers={"X-Request-ID": "door-visit-1"})
    made = await client.get(f"/p/{token}.json?requires=rabies", headers={"X-Request-ID": "no good"})
    missing = await client.get(f"/p/{new_token()}")
    logged = captured_logs.lines[start:]

    assert kept.headers["x-request-id"] == "door-visit-1"
    assert made.headers["x-request-id"] != "no good" and len(made.headers["x-request-id"]) == 32
    lines = access_lines(logged)
    assert [(e["method"], e["path"], e["status"], e["request_id"]) for e in lines] == [
        ("GET", "/p/<token>", 200, "door-visit-1"),
        ("GET", "/p/<token>", 200, made.headers["x-request-id"]),
        ("GET", "/p/<token>", 404, missing.headers["x-request-id"]),
    ]
    assert all(e["duration_ms"] >= 0 and e["level"] == "info" for e in lines)
    assert not any(token in line for line in logged)


async def test_a_bug_is_a_generic_500_logged_counted_and_still_guarded(
    make_settings: Callable[..., PassportSettings],
    person: Any,
    captured_logs: LogTap,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pet = await person.records.new_pet("Ollie")
    passport = await person.new_passport(pet["id"])
    app = create_app(make_settings())

    async def broken(*_: Any, **__: Any) -> Any:
        raise RuntimeError("secret internals")

    pages = guard_of(app).pages
    monkeypatch.setattr(pages.passports, "open", broken)
    async with AsyncTestClient(app=app) as client:
        errors_before = await samples(client, "litestar_requests_error_total")
        start = len(captured_logs.lines)
        r = await client.get(person.public_path(passport))
        logged = captured_logs.lines[start:]
        errors = await samples(client, "litestar_requests_error_total")

    assert r.status_code == 500
    assert r.json() == {"error": "internal_error", "detail": "Something went wrong."}
    assert "secret internals" not in r.text
    assert r.headers["content-type"] == "application/json"
    assert r.headers["cache-control"] == "no-store"
    assert "default-src 'none'" in r.headers["content-security-policy"]
    assert grew(errors_before, errors) == {("GET", "500"): 1.0}
    events = [json.loads(line).get("event") for line in logged if line.startswith("{")]
    assert "unhandled_error" in events
    assert [(e["status"], e["path"]) for e in access_lines(logged)] == [(500, "/p/<token>")]


async def test_a_database_outage_is_a_quick_generic_503_counted_as_an_error(
    make_settings: Callable[..., PassportSettings],
) -> None:
    # Nothing listens on port 1; the app still starts (the pool connects lazily).
    settings = make_settings(
        database_url="postgresql+asyncpg://postgres@127.0.0.1:1/petshots",
        db_connect_timeout_s=1.0,
    )
    async with AsyncTestClient(app=create_app(settings)) as client:
        before = await samples(client, "litestar_requests_error_total")
        started = time.perf_counter()
        # The page and its JSON (the fast path), the certificate (Litestar's router).
        for suffix in ("", ".json", "/docs/00000000-0000-0000-0000-000000000000"):
            r = await client.get(f"/p/{new_token()}{suffix}")
            assert r.status_code == 503, (suffix, r.text)
            assert r.headers["retry-after"] == "5", suffix
            assert r.json()["error"] == "service_unavailable"
            assert "Traceback" not in r.text and "127.0.0.1" not in r.text
            assert r.headers["cache-control"] == "no-store"
            assert r.headers["x-robots-tag"] == "noindex, nofollow"
            assert "default-src 'none'" in r.headers["content-security-policy"]
        assert time.perf_counter() - started < 5
        assert grew(before, await samples(client, "litestar_requests_error_total")) == {
            ("GET", "503"): 3.0
        }


async def test_other_methods_and_malformed_hosts_still_get_litestars_answers(
    person: Any, client: AsyncTestClient[Litestar]
) -> None:
    pet = await person.records.new_pet("Ollie")
    page = person.public_path(await person.new_passport(pet["id"]))
    head = await client.head(page)
    assert head.status_code == 405 and set(head.headers["allow"].split(", ")) == {"GET", "OPTIONS"}
    options = await client.options(page)
    assert options.status_code == 204
    bad_host = await client.get(page, headers={"Host": "bad host"})
    assert bad_host.status_code == 400
    assert bad_host.json() == {"error": "invalid_request", "detail": "Invalid host header"}
    for r in (head, options, bad_host):
        assert r.headers["cache-control"] == "no-store", r.status_code
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
