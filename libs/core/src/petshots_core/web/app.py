"""The app factory every Litestar service builds on: one place for the shared wiring."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from advanced_alchemy.extensions.litestar import SQLAlchemyPlugin
from litestar import Litestar
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.plugins.prometheus import PrometheusConfig, PrometheusController
from litestar.types import ControllerRouterHandler

from petshots_core.access_tokens import AccessTokenVerifier
from petshots_core.cache import create_redis
from petshots_core.db import sqlalchemy_config
from petshots_core.revocation import SubjectDenylist
from petshots_core.settings import Settings
from petshots_core.storage import Storage
from petshots_core.web.auth import bearer_auth_middleware, current_claims
from petshots_core.web.errors import exception_handlers
from petshots_core.web.health import Check, database_check, health_controller
from petshots_core.web.logging import RequestContextMiddleware, configure_logging
from petshots_core.web.metrics import RouteMetricsMiddleware
from petshots_core.web.openapi import document_plumbing
from petshots_core.web.strict_body import strict_json_body

MAX_JSON_BODY = 64 * 1024


class _Metrics(PrometheusController):
    path = "/metrics"
    include_in_schema = False
    opt = {"public": True}


def create_service_app(
    *,
    settings: Settings,
    title: str,
    openapi_path: str,
    route_handlers: Sequence[ControllerRouterHandler],
    extra_checks: Mapping[str, Check] | None = None,
    storage: Storage | None = None,
    authenticated: bool = True,
    state: Mapping[str, Any] | None = None,
    on_startup: Sequence[Any] = (),
    on_shutdown: Sequence[Any] = (),
) -> Litestar:
    configure_logging(settings.log_level, json=settings.log_json)
    alchemy = sqlalchemy_config(settings)
    checks: dict[str, Check] = {"database": database_check(alchemy.get_engine)}
    if storage is not None:
        checks["storage"] = storage.ping
    checks.update(extra_checks or {})

    metrics = PrometheusConfig(
        app_name=settings.service_name.replace("-", "_"),
        group_path=True,  # label by route template: raw paths would carry passport tokens
        exclude=["/metrics", "/healthz", "/readyz"],
        middleware_class=RouteMetricsMiddleware,
    )
    middleware: list[Any] = [metrics.middleware]
    if authenticated:
        middleware.append(bearer_auth_middleware())

    app_state: dict[str, Any] = {"settings": settings, "storage": storage}
    redis = create_redis(settings)
    app_state["redis"] = redis
    startup: list[Any] = []
    shutdown: list[Any] = []
    if authenticated:
        app_state["verifier"] = AccessTokenVerifier.from_settings(settings)
        denylist = SubjectDenylist.from_settings(settings, redis)
        app_state["denylist"] = denylist
        startup.append(denylist.start)
        shutdown.append(denylist.stop)
    app_state.update(state or {})

    app = Litestar(
        route_handlers=[*route_handlers, health_controller(checks), _Metrics],
        plugins=[SQLAlchemyPlugin(config=alchemy)],
        middleware=middleware,
        exception_handlers=exception_handlers(),
        dependencies={"claims": Provide(current_claims, sync_to_thread=False)},
        openapi_config=OpenAPIConfig(
            title=title,
            version="1.0.0",
            path=openapi_path,
            render_plugins=[JsonRenderPlugin()],
        ),
        state=State(app_state),
        request_max_body_size=MAX_JSON_BODY,
        before_request=strict_json_body,
        on_startup=[*startup, *on_startup],
        on_shutdown=[*on_shutdown, *shutdown, redis.aclose],
        debug=False,
        # configure_logging owns the root logger (JSON, request id). Litestar's default
        # logging config would replace that handler with a plain-text one at construction.
        logging_config=None,
    )
    # Outside Litestar's exception handling, so error responses (401 from the auth middleware,
    # 503 from a dead database) carry the request id and are logged with their real status.
    app.asgi_handler = RequestContextMiddleware(app.asgi_handler)
    document_plumbing(app)
    return app

