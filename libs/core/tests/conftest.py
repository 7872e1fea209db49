"""Fixtures the access-token and claims-cache tests share (test modules cannot import each
other; a helper class is handed out by a fixture, as the services' conftests do)."""

from __future__ import annotations

import pytest
from pytest_httpserver import HTTPServer

from petshots_testkit.tokens import TokenIssuer


class FakeClock:
    """A clock that moves only when a test moves it (``clock.now += 10``)."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def issuer() -> TokenIssuer:
    return TokenIssuer(issuer="http://issuer.test/auth")


@pytest.fixture
def served(httpserver: HTTPServer, issuer: TokenIssuer) -> HTTPServer:
    """A JWKS endpoint at ``/jwks.json`` holding the issuer's key."""
    httpserver.expect_request("/jwks.json").respond_with_json(issuer.jwks())
    return httpserver
