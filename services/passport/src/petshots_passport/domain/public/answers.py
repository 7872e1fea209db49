"""The answers under ``/p`` that show no passport: one copy of each, whoever sends it.

The page and its JSON are sent by the fast path (``fastpath``), the certificate redirect and
odd paths by the Litestar controller, the 429s by the guard; a revoked token and one that
never existed get these very bytes from all of them.
"""

from __future__ import annotations

from dataclasses import dataclass

import msgspec

from petshots_passport.domain.public import render
from petshots_passport.domain.public.schemas import PublicError

HTML = "text/html; charset=utf-8"
JSON = "application/json"


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    content_type: str
    body: bytes


def _json(status: int, error: PublicError) -> Answer:
    return Answer(status, JSON, msgspec.json.encode(error))


_GONE = {
    (404, True): _json(404, PublicError(error="not_found", detail="No such passport.")),
    (410, True): _json(410, PublicError(error="expired", detail="This passport has expired.")),
    (404, False): Answer(404, HTML, render.NOT_FOUND_PAGE),
    (410, False): Answer(410, HTML, render.EXPIRED_PAGE),
}
_RATE_LIMITED = {
    True: _json(
        429,
        PublicError(error="rate_limited", detail="Too many passport requests; try again shortly."),
    ),
    False: Answer(429, HTML, render.RATE_LIMITED_PAGE),
}

LINK_PREVIEW = Answer(200, HTML, render.LINK_PREVIEW_PAGE)


def gone(status: int, *, as_json: bool) -> Answer:
    """404 (never existed or revoked: deliberately one answer) or 410 (expired)."""
    return _GONE[status, as_json]


def bad_request(detail: str, *, as_json: bool) -> Answer:
    if as_json:
        return _json(400, PublicError(error="invalid_request", detail=detail))
    return Answer(400, HTML, render.bad_request_page(detail))


def rate_limited(*, as_json: bool) -> Answer:
    return _RATE_LIMITED[as_json]
