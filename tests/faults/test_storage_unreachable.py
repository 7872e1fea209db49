"""The storage endpoint is unreachable — refused (nothing listens) or silent (a port that
accepts and never answers): upload policies and downloads answer 503 within a bound, and
everything that does not need storage keeps working."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import ExitStack

import httpx
import pytest

from .conftest import SeededOwner, Stack, make_services, random_suffix
from .procs import Blackhole, closed_port

# The probe's own timeout is 1 s; everything past the first call fails without waiting.
ANSWER_BOUND_S = 2.5
LEAKS = ("Traceback", 'File "', "botocore", "EndpointConnectionError", "ReadTimeout")


@pytest.fixture(params=["refused", "silent"])
def broken_storage(request: pytest.FixtureRequest, stack: Stack) -> Iterator[tuple[str, Stack]]:
    """records and passport processes whose storage endpoint is unreachable."""
    with ExitStack() as cleanup:
        if request.param == "refused":
            endpoint = f"http://127.0.0.1:{closed_port()}"
        else:
            endpoint = f"http://127.0.0.1:{cleanup.enter_context(Blackhole()).port}"
        env = {
            **stack.env,
            "PETSHOTS_S3_ENDPOINT_URL": endpoint,
            "PETSHOTS_S3_PUBLIC_ENDPOINT_URL": endpoint,
        }
        broken = make_services(
            env, stack.logs, suffix=f"-storage-{request.param}-{random_suffix()}"
        )
        services = [broken.records, broken.passport]
        for service in services:
            cleanup.callback(service.stop)
        for service in services:
            service.start()
        for service in services:
            service.wait_healthy()
        yield request.param, broken


def test_storage_unreachable(
    broken_storage: tuple[str, Stack],
    stack: Stack,
    owner: SeededOwner,
    passport_token: str,
) -> None:
    kind, broken = broken_storage
    pet, doc = owner.pet_ids[0], owner.doc_ids[0]
    auth = owner.headers
    # A pending record made while storage worked, to be completed while it does not.
    created = httpx.post(
        f"{stack.records.base_url}/api/pets/{pet}/docs",
        json={
            "label": "Bordetella",
            "filename": "b.pdf",
            "content_type": "application/pdf",
            "size_bytes": 1000,
        },
        headers=auth,
        timeout=10,
    )
    assert created.status_code == 201, created.text
    pending = created.json()["doc"]["id"]
    records, passport = broken.records.base_url, broken.passport.base_url

    def count_docs() -> int:
        res = httpx.get(f"{records}/api/pets/{pet}", headers=auth, timeout=10)
        assert res.status_code == 200, res.text
        return len(res.json()["documents"])

    before = count_docs()
    refused: list[tuple[str, str, dict[str, object] | None, dict[str, str]]] = [
        (
            "POST",
            f"{records}/api/pets/{pet}/docs",
            {
                "label": "Rabies",
                "filename": "r.pdf",
                "content_type": "application/pdf",
                "size_bytes": 2000,
            },
            auth,
        ),
        (
            "POST",
            f"{records}/api/pets/{pet}/photo",
            {"content_type": "image/jpeg", "size_bytes": 9},
            auth,
        ),
        ("POST", f"{records}/api/docs/{pending}/complete", None, auth),
        ("GET", f"{records}/api/docs/{doc}", None, auth),
        ("GET", f"{records}/api/quick-show", None, auth),
        ("GET", f"{passport}/p/{passport_token}/docs/{doc}", None, {}),
    ]
    timings: dict[str, float] = {}
    for _ in range(2):
        for method, url, body, headers in refused:
            started = time.monotonic()
            res = httpx.request(method, url, json=body, headers=headers, timeout=30)
            took = time.monotonic() - started
            name = f"{method} {url.split('/', 3)[3]}"
            timings[name] = max(took, timings.get(name, 0.0))
            assert res.status_code == 503, (kind, method, url, res.status_code, res.text[:300])
            assert took < ANSWER_BOUND_S, (kind, url, took)
            assert res.json()["error"] == "service_unavailable"
            assert res.headers.get("retry-after")
            for leak in LEAKS:
                assert leak not in res.text, (url, res.text)
    print(f"storage {kind}: 503 answers took (s):", {k: round(v, 3) for k, v in timings.items()})

    # No partial write: the refused upload left no pending row behind.
    assert count_docs() == before
    works: list[tuple[str, str, dict[str, object] | None, dict[str, str]]] = [
        ("GET", f"{records}/api/dashboard", None, auth),
        ("GET", f"{records}/api/pets", None, auth),
        ("GET", f"{records}/api/pets/{pet}", None, auth),
        ("PATCH", f"{records}/api/docs/{owner.doc_ids[1]}", {"label": "DHPP booster"}, auth),
        ("GET", f"{passport}/p/{passport_token}", None, {}),
        ("GET", f"{passport}/p/{passport_token}.json", None, {}),
        ("GET", f"{passport}/api/passports", None, auth),
    ]
    for method, url, body, headers in works:
        started = time.monotonic()
        res = httpx.request(method, url, json=body, headers=headers, timeout=30)
        took = time.monotonic() - started
        assert res.status_code == 200, (kind, method, url, res.status_code, res.text[:300])
        assert took < ANSWER_BOUND_S, (kind, url, took)
    # Readiness tells the orchestrator the truth.
    for service in (broken.records, broken.passport):
        assert httpx.get(service.base_url + "/readyz", timeout=10).status_code == 503
    # The healthy stack still completes nothing (the file was never uploaded): 409, not 503.
    res = httpx.post(
        f"{stack.records.base_url}/api/docs/{pending}/complete", headers=auth, timeout=10
    )
    assert res.status_code == 409, res.text
