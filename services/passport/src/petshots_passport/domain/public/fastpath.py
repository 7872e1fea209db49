"""``GET /p/{token}`` and ``GET /p/{token}.json``, answered straight from ASGI.

The page a facility opens at the door is the product's busiest path (≥ 1,500 requests/s on two
cores, docs/performance.md). Through Litestar, its per-request machinery (router, dependency
injection, signature parsing, the Request object, the middleware stack) cost several times the
work of the page itself, so these two GETs are served here: no router, no DI, no Request.

What every answer under ``/p`` gets is still done once, around this: the rate limit, the
security headers and the client address by ``PublicGuard``; the request id and the access log
line by the shared ``RequestContextMiddleware``. The metrics go to Litestar's request series,
under the route template of the controller (``/p/{rest}``).

Everything else below ``/p`` goes through Litestar as before (``controllers``): the certificate
redirect, paths of any other shape, and every other method (405, OPTIONS; HEAD is 405 too).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

import msgspec
from litestar._asgi.utils import is_valid_host  # the router's own Host check, not a copy
from litestar.types import Receive, Scope, Send

from petshots_core.web.client_address import coarse_network
from petshots_core.web.errors import DEPENDENCY_DOWN, dependency_down, unexpected
from petshots_core.web.metrics import RouteMetrics
from petshots_passport.domain.public import render
from petshots_passport.domain.public.answers import (
    HTML,
    JSON,
    LINK_PREVIEW,
    Answer,
    bad_request,
    gone,
)
from petshots_passport.domain.public.facility import (
    FacilityQueryError,
    parse_requirements,
    parse_through,
)
from petshots_passport.domain.public.presenters import present
from petshots_passport.domain.public.services import Gone, PublicPassports, Viewer
from petshots_passport.lib.user_agents import classify
from petshots_passport.tokens import is_token_shaped, token_hash

CLIENT_ADDRESS = "passport_client_address"  # key in scope["state"], set by PublicGuard
PREFIX = "/p/"
ROUTE_TEMPLATE = "/p/{rest}"  # the Litestar controller's: one set of series for the route


def passport_segment(scope: Mapping[str, Any]) -> str | None:
    """The path segment below ``/p`` when this GET is the page or its JSON, else None.

    Slashes around it are ignored, as Litestar's path parameter did (``/p/<token>/``). A
    request with a malformed Host header is left to Litestar, which answers it 400.
    """
    if scope["method"] != "GET":
        return None
    path: str = scope["path"]
    if not path.startswith(PREFIX):
        return None
    segment = path[len(PREFIX) :].strip("/")
    if not segment or "/" in segment:
        return None
    host = _header_bytes(scope, b"host")
    if host is not None and not is_valid_host(host):
        return None
    return segment


def _facility_query(query_string: bytes) -> tuple[list[str], str]:
    """``requires`` (every value) and ``through`` (the first), parsed as Litestar does."""
    if not query_string:
        return [], ""
    requires: list[str] = []
    through: str | None = None
    for name, value in parse_qsl(query_string.decode("latin-1"), keep_blank_values=True):
        if name == "requires":
            requires.append(value)
        elif name == "through" and through is None:
            through = value
    return requires, through or ""


def _header_bytes(scope: Mapping[str, Any], name: bytes) -> bytes | None:
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value)
    return None


class PassportPages:
    """The ASGI app for what ``passport_segment`` accepts."""

    def __init__(self, passports: PublicPassports, *, base_url: str, metrics: RouteMetrics) -> None:
        self.passports = passports
        self.base_url = base_url.rstrip("/")
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        status = 500
        self.metrics.in_progress.inc()
        try:
            extra: tuple[tuple[bytes, bytes], ...] = ()
            try:
                answer = await self._answer(scope)
            except DEPENDENCY_DOWN as exc:  # the database (DatabaseUnavailable is an OSError)
                error = dependency_down(exc)
                answer = Answer(error.status, JSON, error.body())
                extra = tuple((k.lower().encode(), v.encode()) for k, v in error.headers.items())
            except Exception as exc:  # a bug: the last-resort answer Litestar gave before
                error = unexpected(exc)
                answer = Answer(error.status, JSON, error.body())
            status = answer.status
            await send(
                {
                    "type": "http.response.start",
                    "status": status,
                    "headers": [
                        *extra,
                        (b"content-type", answer.content_type.encode()),
                        (b"content-length", str(len(answer.body)).encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": answer.body, "more_body": False})
        finally:
            self.metrics.in_progress.dec()
            self.metrics.observe(status, time.perf_counter() - started)

    async def _answer(self, scope: Scope) -> Answer:
        segment = passport_segment(scope)
        if segment is None:  # the guard sends only what passport_segment accepts
            raise AssertionError("not a passport page")
        # What Litestar's router did to a path it routed: the access log shows this form.
        scope["path"] = PREFIX + segment
        as_json = segment.endswith(".json")
        token = segment[: -len(".json")] if as_json else segment
        if not is_token_shaped(token):
            return gone(404, as_json=as_json)
        requires_values, through_value = _facility_query(scope["query_string"])
        try:
            requirements = parse_requirements(requires_values)
            through = parse_through(through_value)
        except FacilityQueryError as exc:
            return bad_request(str(exc), as_json=as_json)

        user_agent = _header_bytes(scope, b"user-agent")
        agent_class, device = classify(user_agent.decode("latin-1") if user_agent else None)
        network = coarse_network(scope["state"].get(CLIENT_ADDRESS))
        now = datetime.now(UTC)
        found = await self.passports.open(
            token_hash(token), now=now, viewer=Viewer(agent_class, device, network)
        )
        if isinstance(found, Gone):
            return gone(found.value, as_json=as_json)
        if agent_class == "link_preview" and not as_json:
            # A chat app drawing a preview gets a page that names no pet and shows no photo.
            return LINK_PREVIEW

        view = present(
            found,
            token=token,
            now=now,
            base_url=self.base_url,
            photo_url=self.passports.photo_url(found),
            requirements=requirements,
            through=through,
        )
        if as_json:
            return Answer(200, JSON, msgspec.json.encode(view))
        page = render.passport_page(
            view,
            token=token,
            requires=", ".join(requires_values)[:200],
            through=through.isoformat() if through else "",
        )
        return Answer(200, HTML, page)
