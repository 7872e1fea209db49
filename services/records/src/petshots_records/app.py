"""The records service: pets, vaccination records, dashboard, Quick Show."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from litestar import Litestar

from petshots_core.settings import Settings, get_settings
from petshots_core.storage import Storage
from petshots_core.web.app import create_service_app
from petshots_records.domain.docs.controllers import DocController, PetDocsController
from petshots_records.domain.overview.controllers import OverviewController
from petshots_records.domain.pets.controllers import PetController

OPENAPI_PATH = "/api/records"


def create_app(
    settings: Settings | None = None, clock: Callable[[], datetime] | None = None
) -> Litestar:
    """The app; ``clock`` (aware datetimes) is injectable so tests can pin "now"."""
    settings = (settings or get_settings()).model_copy(update={"service_name": "petshots-records"})
    return create_service_app(
        settings=settings,
        title="Petshots records API",
        openapi_path=OPENAPI_PATH,
        route_handlers=[PetController, PetDocsController, DocController, OverviewController],
        storage=Storage(settings),
        state={"clock": clock or _utcnow},
    )


def _utcnow() -> datetime:
    return datetime.now(UTC)
