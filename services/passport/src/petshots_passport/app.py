"""The passport service: owners' passport API and the public passport pages."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from litestar import Litestar, MediaType, Request, Response, get

from petshots_core.settings import Settings
from petshots_core.storage import Storage
from petshots_core.web.app import create_service_app
from petshots_core.web.auth import PUBLIC
from petshots_core.web.client_address import parse_networks
from petshots_core.web.metrics import RouteMetrics, metrics_config
from petshots_passport.domain.passports.controllers import PassportController
from petshots_passport.domain.public.controllers import PublicPassportController
from petshots_passport.domain.public.fastpath import ROUTE_TEMPLATE, PassportPages
from petshots_passport.domain.public.guard import PublicGuard
from petshots_passport.domain.public.services import PublicPassports
from petshots_passport.lib.ratelimit import PassportRateLimiter
from petshots_passport.settings import PassportSettings, passport_settings
from petshots_passport.tokens import TokenSealer

API_PATH = "/api/passports"
# Litestar's OpenAPI router claims `GET <path>` and `GET <path>/{path:str}`, which would
# collide with `GET /api/passports`. The schema lives at an internal path and is published
# at the SPEC's address by the handler below.
INTERNAL_OPENAPI_PATH = "/_schema/passport"


@get(
    f"{API_PATH}/openapi.json",
    operation_id="getPassportOpenApi",
    include_in_schema=False,
    opt=PUBLIC,
    media_type=MediaType.JSON,
    sync_to_thread=False,
)
def openapi_document(request: Request[Any, Any, Any]) -> Response[dict[str, Any]]:
    """This service's OpenAPI document."""
    return Response(request.app.openapi_schema.to_schema(), media_type=MediaType.JSON)


def image_origins(settings: Settings) -> str:
    """The origins presigned photo URLs point at, so the CSP can allow exactly those.

    Derived from settings alone: no request signing (and so no credential lookup) at start-up.
    """
    endpoint = settings.browser_s3_endpoint_url
    if endpoint:
        parts = urlsplit(endpoint)
        return f"{parts.scheme}://{parts.netloc}"
    # AWS, virtual-hosted style: botocore signs for <bucket>.s3.<region>.amazonaws.com, or the
    # legacy global host in us-east-1.
    bucket, region = settings.uploads_bucket, settings.s3_region
    return f"https://{bucket}.s3.{region}.amazonaws.com https://{bucket}.s3.amazonaws.com"


def create_app(settings: Settings | None = None) -> Litestar:
    config: PassportSettings = passport_settings(settings).model_copy(
        update={"service_name": "petshots-passport"}
    )
    storage = Storage(config)
    sealer = TokenSealer.from_settings(config)  # fails fast in production without a key
    public = PublicPassports(storage, config)
    app = create_service_app(
        settings=config,
        title="Petshots passport API",
        openapi_path=INTERNAL_OPENAPI_PATH,
        route_handlers=[PassportController, PublicPassportController, openapi_document],
        storage=storage,
        state={"sealer": sealer, "passport_public": public},
        on_startup=[public.start],
        on_shutdown=[public.close],
    )
    limiter = PassportRateLimiter(
        app.state.redis,
        limit=config.passport_rate_limit,
        miss_limit=config.passport_rate_limit_misses,
        window_s=config.passport_rate_limit_window_s,
        prefix=config.passport_rate_limit_key_prefix,
        retry_s=config.passport_rate_limit_retry_s,
    )
    pages = PassportPages(
        public,
        base_url=config.public_base_url,
        metrics=RouteMetrics.for_raw_path(
            metrics_config(config), method="GET", path=ROUTE_TEMPLATE
        ),
    )
    app.asgi_handler = PublicGuard(
        app.asgi_handler,
        limiter=limiter,
        pages=pages,
        trusted_proxies=parse_networks(config.trusted_proxy_addresses),
        image_origin=image_origins(config),
        viewer_header=config.client_address_header,
    )
    return app
