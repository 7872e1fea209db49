"""``/p/{token}``, ``/p/{token}.json`` and ``/p/{token}/docs/{doc_id}``: no account needed.

One catch-all route parses the path itself: Litestar's ``path`` parameter would shadow
sibling routes anyway, and this way every odd path below ``/p`` gets the same 404 page.
Nothing here logs the token; the access log redacts ``/p/…`` paths.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import msgspec
from litestar import Controller, MediaType, Request, Response, get
from litestar.datastructures import State
from litestar.params import FromPath
from litestar.status_codes import HTTP_302_FOUND

from petshots_core.web.auth import PUBLIC
from petshots_core.web.client_address import coarse_network
from petshots_passport.domain.public import render
from petshots_passport.domain.public.facility import (
    FacilityQueryError,
    parse_requirements,
    parse_through,
)
from petshots_passport.domain.public.guard import CLIENT_ADDRESS
from petshots_passport.domain.public.presenters import present
from petshots_passport.domain.public.schemas import PublicError
from petshots_passport.domain.public.services import Gone, PublicPassports, Viewer
from petshots_passport.lib.user_agents import classify
from petshots_passport.tokens import is_token_shaped, token_hash

HTML = MediaType.HTML  # Litestar adds "; charset=utf-8"

_JSON_ERRORS = {
    404: msgspec.json.encode(PublicError(error="not_found", detail="No such passport.")),
    410: msgspec.json.encode(PublicError(error="expired", detail="This passport has expired.")),
}
_HTML_ERRORS = {404: render.NOT_FOUND_PAGE, 410: render.EXPIRED_PAGE}


def _gone(status: int, *, as_json: bool) -> Response[bytes]:
    if as_json:
        return Response(_JSON_ERRORS[status], status_code=status, media_type=MediaType.JSON)
    return Response(_HTML_ERRORS[status], status_code=status, media_type=HTML)


def _bad_request(detail: str, *, as_json: bool) -> Response[bytes]:
    if as_json:
        body = msgspec.json.encode(PublicError(error="invalid_request", detail=detail))
        return Response(body, status_code=400, media_type=MediaType.JSON)
    return Response(render.bad_request_page(detail), status_code=400, media_type=HTML)


class PublicPassportController(Controller):
    path = "/p"
    opt = PUBLIC
    include_in_schema = False

    @get("/{rest:path}", operation_id="openPassport", cache=False)
    async def open_passport(
        self, request: Request[Any, Any, Any], state: State, rest: FromPath[str]
    ) -> Response[bytes]:
        """The passport page, its JSON, or a certificate redirect, by the shape of the path."""
        parts = rest.strip("/").split("/")
        if len(parts) == 1:
            segment = parts[0]
            as_json = segment.endswith(".json")
            token = segment[: -len(".json")] if as_json else segment
            return await self._passport(request, state, token, as_json=as_json)
        if len(parts) == 3 and parts[1] == "docs":
            return await self._certificate(state, parts[0], parts[2])
        return _gone(404, as_json=False)

    async def _passport(
        self, request: Request[Any, Any, Any], state: State, token: str, *, as_json: bool
    ) -> Response[bytes]:
        if not is_token_shaped(token):
            return _gone(404, as_json=as_json)
        params = request.query_params
        requires_values = params.getall("requires", [])
        through_value = params.get("through") or ""
        try:
            requirements = parse_requirements(requires_values)
            through = parse_through(through_value)
        except FacilityQueryError as exc:
            return _bad_request(str(exc), as_json=as_json)

        agent_class, device = classify(request.headers.get("user-agent"))
        viewer = Viewer(agent_class, device, coarse_network(request.state.get(CLIENT_ADDRESS)))
        passports: PublicPassports = state.passport_public
        now = datetime.now(UTC)
        found = await passports.open(token_hash(token), now=now, viewer=viewer)
        if isinstance(found, Gone):
            return _gone(found.value, as_json=as_json)
        if agent_class == "link_preview" and not as_json:
            # A chat app drawing a preview gets a page that names no pet and shows no photo.
            return Response(render.LINK_PREVIEW_PAGE, media_type=HTML)

        view = present(
            found,
            token=token,
            now=now,
            base_url=state.settings.public_base_url.rstrip("/"),
            photo_url=passports.photo_url(found),
            requirements=requirements,
            through=through,
        )
        if as_json:
            return Response(msgspec.json.encode(view), media_type=MediaType.JSON)
        page = render.passport_page(
            view,
            token=token,
            requires=", ".join(requires_values)[:200],
            through=through.isoformat() if through else "",
        )
        return Response(page, media_type=HTML)

    async def _certificate(self, state: State, token: str, doc: str) -> Response[bytes]:
        if not is_token_shaped(token):
            return _gone(404, as_json=False)
        try:
            doc_id = uuid.UUID(doc)
        except ValueError:
            return _gone(404, as_json=False)
        passports: PublicPassports = state.passport_public
        target = await passports.certificate_url(token_hash(token), doc_id, now=datetime.now(UTC))
        if isinstance(target, Gone):
            return _gone(target.value, as_json=False)
        return Response(b"", status_code=HTTP_302_FOUND, headers={"Location": target})
