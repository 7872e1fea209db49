from __future__ import annotations

import uuid
from typing import Annotated

from litestar import Controller, Response, delete, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from petshots_core.web.openapi import error_responses
from petshots_passport.context import Ctx
from petshots_passport.deps import provide_ctx
from petshots_passport.domain.passports import schemas, services

# The QR code encodes a bearer link: it must not sit in any cache either.
_QR_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
}

ViewLimit = Annotated[int, QueryParameter(ge=1, le=500, description="Newest views to return")]


class PassportController(Controller):
    path = "/api/passports"
    tags = ["passports"]
    dependencies = {"ctx": Provide(provide_ctx, sync_to_thread=False)}

    @get("/", operation_id="listPassports")
    async def list_passports(
        self, ctx: NamedDependency[Ctx], pet_id: FromQuery[uuid.UUID | None] = None
    ) -> list[schemas.Passport]:
        """The owner's passports (newest first), optionally for one pet, with view counts."""
        return await services.list_passports(ctx, pet_id)

    @post(
        "/",
        operation_id="createPassport",
        responses=error_responses(404, 409),
        status_code=HTTP_201_CREATED,
    )
    async def create_passport(
        self, ctx: NamedDependency[Ctx], data: JSONBody[schemas.PassportCreate]
    ) -> schemas.Passport:
        """Create a public link to one of the owner's pets (409 `passport_limit` beyond the cap)."""
        return await services.create_passport(ctx, data)

    @get("/{passport_id:uuid}", operation_id="getPassport", responses=error_responses(404))
    async def get_passport(
        self, ctx: NamedDependency[Ctx], passport_id: FromPath[uuid.UUID]
    ) -> schemas.Passport:
        """One passport with its link and view counts."""
        return await services.get_passport(ctx, passport_id)

    @delete(
        "/{passport_id:uuid}",
        operation_id="revokePassport",
        responses=error_responses(404),
        status_code=HTTP_204_NO_CONTENT,
    )
    async def revoke_passport(
        self, ctx: NamedDependency[Ctx], passport_id: FromPath[uuid.UUID]
    ) -> None:
        """Revoke a passport: its link answers 404 from the very next request."""
        await services.revoke_passport(ctx, passport_id)

    @get(
        "/{passport_id:uuid}/qr.svg",
        operation_id="getPassportQrSvg",
        responses=error_responses(404, 409, 410),
        media_type="image/svg+xml",
    )
    async def qr_svg(
        self, ctx: NamedDependency[Ctx], passport_id: FromPath[uuid.UUID]
    ) -> Response[bytes]:
        """The passport link as a QR code (SVG); 410 once revoked or expired."""
        body = await services.passport_qr(ctx, passport_id, "svg")
        return Response(body, media_type="image/svg+xml", headers=_QR_HEADERS)

    @get(
        "/{passport_id:uuid}/qr.png",
        operation_id="getPassportQrPng",
        responses=error_responses(404, 409, 410),
        media_type="image/png",
    )
    async def qr_png(
        self, ctx: NamedDependency[Ctx], passport_id: FromPath[uuid.UUID]
    ) -> Response[bytes]:
        """The passport link as a QR code (PNG); 410 once revoked or expired."""
        body = await services.passport_qr(ctx, passport_id, "png")
        return Response(body, media_type="image/png", headers=_QR_HEADERS)

    @get(
        "/{passport_id:uuid}/views",
        operation_id="listPassportViews",
        responses=error_responses(404),
    )
    async def list_views(
        self,
        ctx: NamedDependency[Ctx],
        passport_id: FromPath[uuid.UUID],
        limit: ViewLimit = 100,
    ) -> schemas.PassportViews:
        """When the passport was opened and by what kind of client (newest first)."""
        return await services.list_views(ctx, passport_id, limit)
