"""Everything under ``/p`` passes here first: per-client rate limits and the security headers.

It wraps the whole application rather than one route, so router answers (404 for an odd
path, 405 for a POST), 500s and its own 429s carry the same headers as the pages: no store,
no referrer, no indexing, no sniffing, a strict CSP.

Then it hands the request on: the passport page and its JSON to the fast path
(``fastpath.PassportPages``), anything else to the Litestar application.
"""

from __future__ import annotations

from collections.abc import Sequence

import structlog
from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from petshots_core.web.client_address import (
    IPNetwork,
    client_address,
    coarse_network,
    rate_limit_key,
)
from petshots_core.web.logging import RequestContextMiddleware
from petshots_passport.domain.public.answers import rate_limited
from petshots_passport.domain.public.fastpath import (
    CLIENT_ADDRESS,
    PassportPages,
    passport_segment,
)
from petshots_passport.domain.public.render import STYLE_HASH
from petshots_passport.lib.ratelimit import PassportRateLimiter

log = structlog.get_logger(__name__)

_RETRY_AFTER = "passport_retry_after"
_MISS_STATUSES = frozenset({404, 410})


def content_security_policy(image_origin: str) -> str:
    return "; ".join(
        [
            "default-src 'none'",
            f"style-src '{STYLE_HASH}'",
            f"img-src {image_origin}",
            "form-action 'self'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ]
    )


def security_headers(image_origin: str) -> list[tuple[str, str]]:
    return [
        ("cache-control", "no-store"),
        ("referrer-policy", "no-referrer"),
        ("x-robots-tag", "noindex, nofollow"),
        ("x-content-type-options", "nosniff"),
        ("content-security-policy", content_security_policy(image_origin)),
        ("x-frame-options", "DENY"),
        ("cross-origin-opener-policy", "same-origin"),
        ("cross-origin-resource-policy", "same-origin"),
    ]


def is_public_path(path: str) -> bool:
    return path == "/p" or path.startswith("/p/")


class PublicGuard:
    def __init__(
        self,
        app: ASGIApp,
        *,
        limiter: PassportRateLimiter,
        pages: PassportPages,
        trusted_proxies: Sequence[IPNetwork],
        image_origin: str,
        viewer_header: str | None = None,
    ) -> None:
        self.app = app
        self.limiter = limiter
        self.trusted_proxies = tuple(trusted_proxies)
        self.viewer_header = viewer_header.lower().encode() if viewer_header else None
        self.headers = security_headers(image_origin)
        self._raw_headers = [(name.encode(), value.encode()) for name, value in self.headers]
        # Rejections and the fast path's pages get the same access-log line and request id as
        # every other answer.
        self._reject = RequestContextMiddleware(self._rate_limited)
        self.pages = pages
        self._pages = RequestContextMiddleware(pages)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or not is_public_path(scope["path"]):
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        peer = client[0] if client else None
        forwarded = [v.decode("latin-1") for k, v in scope["headers"] if k == b"x-forwarded-for"]
        viewer = next(
            (v.decode("latin-1") for k, v in scope["headers"] if k == self.viewer_header), None
        )
        address = client_address(peer, forwarded, self.trusted_proxies, viewer)
        state = scope.setdefault("state", {})
        state[CLIENT_ADDRESS] = address
        key = rate_limit_key(address, peer)

        verdict = await self.limiter.check(key)
        if not verdict.allowed:
            log.info("passport_rate_limited", network=coarse_network(address))
            state[_RETRY_AFTER] = verdict.retry_after_s
            await self._reject(scope, receive, send)
            return

        status = 0
        if passport_segment(scope) is not None:

            async def send_page(message: Message) -> None:
                # The fast path sets none of these headers itself: appending is enough.
                nonlocal status
                if message["type"] == "http.response.start":
                    status = message["status"]
                    message["headers"] = [*message["headers"], *self._raw_headers]
                await send(message)

            await self._pages(scope, receive, send_page)
        else:

            async def send_with_headers(message: Message) -> None:
                nonlocal status
                if message["type"] == "http.response.start":
                    status = message["status"]
                    headers = MutableScopeHeaders.from_message(message)
                    for name, value in self.headers:
                        headers[name] = value
                await send(message)

            await self.app(scope, receive, send_with_headers)
        if status in _MISS_STATUSES:
            await self.limiter.record_miss(key)

    async def _rate_limited(self, scope: Scope, receive: Receive, send: Send) -> None:
        answer = rate_limited(as_json=scope["path"].endswith(".json"))
        retry = str(scope["state"].get(_RETRY_AFTER, 60))
        headers = [
            (b"content-type", answer.content_type.encode()),
            (b"content-length", str(len(answer.body)).encode()),
            (b"retry-after", retry.encode()),
            *self._raw_headers,
        ]
        await send({"type": "http.response.start", "status": 429, "headers": headers})
        await send({"type": "http.response.body", "body": answer.body, "more_body": False})
