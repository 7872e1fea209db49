from __future__ import annotations

import uuid

from litestar import Controller, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromQuery

from petshots_records.context import Ctx
from petshots_records.deps import provide_ctx
from petshots_records.domain.overview import schemas, services


class OverviewController(Controller):
    path = "/api"
    tags = ["overview"]
    dependencies = {"ctx": Provide(provide_ctx, sync_to_thread=False)}

    @get("/dashboard", operation_id="getDashboard")
    async def dashboard(self, ctx: NamedDependency[Ctx]) -> schemas.Dashboard:
        """Pets with status and the records that need attention, most urgent first."""
        return await services.dashboard(ctx)

    @get("/quick-show", operation_id="getQuickShow")
    async def quick_show(
        self, ctx: NamedDependency[Ctx], pet_id: FromQuery[uuid.UUID | None] = None
    ) -> schemas.QuickShow:
        """The certificate to show at the door (404 `nothing_to_show` when there is none)."""
        return await services.quick_show(ctx, pet_id)
