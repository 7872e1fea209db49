"""The records service: pets, vaccination records, dashboard, Quick Show."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from litestar import Litestar
from litestar.openapi.spec import Schema

from petshots_core.settings import Settings, get_settings
from petshots_core.storage import Storage
from petshots_core.web.app import create_service_app
from petshots_records.domain.docs.controllers import DocController, PetDocsController
from petshots_records.domain.overview.controllers import OverviewController
from petshots_records.domain.pets.controllers import PetController
from petshots_records.reads import OwnerReads

OPENAPI_PATH = "/api/records"


def create_app(
    settings: Settings | None = None, clock: Callable[[], datetime] | None = None
) -> Litestar:
    """The app; ``clock`` (aware datetimes) is injectable so tests can pin "now"."""
    settings = (settings or get_settings()).model_copy(update={"service_name": "petshots-records"})
    reads = OwnerReads(settings)
    app = create_service_app(
        settings=settings,
        title="Petshots records API",
        openapi_path=OPENAPI_PATH,
        route_handlers=[PetController, PetDocsController, DocController, OverviewController],
        storage=Storage(settings),
        state={"clock": clock or _utcnow, "owner_reads": reads},
        on_startup=[reads.start],
        on_shutdown=[reads.close],
    )
    _document_size_limits(app, settings)
    return app


def _document_size_limits(app: Litestar, settings: Settings) -> None:
    """The OpenAPI document states the configured file size limits (SPEC §3.2).

    The wire types only bound ``size_bytes`` loosely (the limits are settings); a browser or
    a fuzzer reading the document should see the real maximum, above which the API says 422.
    """
    limits = {"DocCreate": settings.max_doc_bytes, "PhotoUploadRequest": settings.max_photo_bytes}
    schemas = app.openapi_schema.components.schemas or {}
    for name, limit in limits.items():
        schema = schemas[name]
        assert isinstance(schema, Schema) and schema.properties is not None
        size = schema.properties["size_bytes"]
        assert isinstance(size, Schema)
        size.maximum = limit


def _utcnow() -> datetime:
    return datetime.now(UTC)
