from __future__ import annotations

from litestar import Controller, MediaType, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromQuery
from litestar.status_codes import HTTP_200_OK, HTTP_404_NOT_FOUND

from petshots_auth.context import PublicCtx
from petshots_auth.deps import provide_public_ctx
from petshots_auth.domain.unsubscribe import services
from petshots_core.web.auth import PUBLIC
from petshots_core.web.openapi import page_responses


def _html(body: str, status: int) -> Response[str]:
    return Response(body, status_code=status, media_type=MediaType.HTML, headers=services.HEADERS)


class UnsubscribeController(Controller):
    path = "/auth/unsubscribe"
    tags = ["reminders"]
    opt = PUBLIC
    dependencies = {"ctx": Provide(provide_public_ctx, sync_to_thread=False)}

    @get("/", operation_id="unsubscribePage", responses=page_responses(404), cache=False)
    async def page(
        self, ctx: NamedDependency[PublicCtx], t: FromQuery[str | None] = None
    ) -> Response[str]:
        """A page with an "Unsubscribe" button; opening it changes nothing (link scanners)."""
        sub = services.subject(ctx.svc.unsubscribe_links, t)
        if sub is None or t is None or not await services.owner_exists(ctx.db, sub):
            return _html(services.invalid_page(), HTTP_404_NOT_FOUND)
        return _html(services.confirm_page(t), HTTP_200_OK)

    @post("/", operation_id="unsubscribe", responses=page_responses(404), status_code=HTTP_200_OK)
    async def unsubscribe(
        self, ctx: NamedDependency[PublicCtx], t: FromQuery[str | None] = None
    ) -> Response[str]:
        """RFC 8058 one-click: turns reminder e-mails off; 200, no redirect, no login."""
        sub = services.subject(ctx.svc.unsubscribe_links, t)
        if sub is None or not await services.turn_reminders_off(ctx.db, sub):
            return _html(services.invalid_page(), HTTP_404_NOT_FOUND)
        return _html(services.done_page(), HTTP_200_OK)
