from __future__ import annotations

import uuid

from litestar import Controller, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromQuery

from petshots_core.web.openapi import error_responses
from petshots_records.context import ReadCtx
from petshots_records.deps import provide_read_ctx
from petshots_records.domain.overview import schemas, services


class OverviewController(Controller):
    path = "/api"
    tags = ["overview"]
    # The hot read paths: one statement on the read pool, no ORM session.
    dependencies = {"ctx": Provide(provide_read_ctx, sync_to_thread=False)}

    @get("/dashboard", operation_id="getDashboard")
    async def dashboard(self, ctx: NamedDependency[ReadCtx]) -> schemas.Dashboard:
        """Pets with status and the records that need attention, most urgent first."""
        return await services.dashboard(ctx)

    @get("/quick-show", operation_id="getQuickShow", responses=error_responses(404))
    async def quick_show(
        self, ctx: NamedDependency[ReadCtx], pet_id: FromQuery[uuid.UUID | None] = None
    ) -> schemas.QuickShow:
        """The certificate to show at the door (404 `nothing_to_show` when there is none)."""
        return await services.quick_show(ctx, pet_id)
