"""The app factory every Litestar service builds on: one place for the shared wiring."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from litestar import Litestar
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.plugins.prometheus import PrometheusController
from litestar.types import ControllerRouterHandler

from petshots_core.access_tokens import AccessTokenVerifier
from petshots_core.cache import create_redis
from petshots_core.web.db_session import RequestSessions, record_response
from petshots_core.revocation import SubjectDenylist
from petshots_core.settings import Settings
from petshots_core.start_up import resume_gc
from petshots_core.storage import Storage
from petshots_core.web.auth import bearer_auth_middleware, current_claims
from petshots_core.web.errors import exception_handlers
from petshots_core.web.health import Check, database_check, health_controller
from petshots_core.web.logging import RequestContextMiddleware, configure_logging
from petshots_core.web.metrics import metrics_config
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
    db = RequestSessions(settings)
    checks: dict[str, Check] = {"database": database_check(db.engine)}
    if storage is not None:
        checks["storage"] = storage.ping
    checks.update(extra_checks or {})

    middleware: list[Any] = [metrics_config(settings).middleware]
    if authenticated:
        middleware.append(bearer_auth_middleware())

    app_state: dict[str, Any] = {"settings": settings, "storage": storage, "db": db}
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
        middleware=middleware,
        exception_handlers=exception_handlers(),
        dependencies={
            "claims": Provide(current_claims, sync_to_thread=False),
            "db_session": Provide(db.provide_session),
        },
        openapi_config=OpenAPIConfig(
            title=title,
            version="1.0.0",
            path=openapi_path,
            render_plugins=[JsonRenderPlugin()],
        ),
        state=State(app_state),
        request_max_body_size=MAX_JSON_BODY,
        before_request=strict_json_body,
        after_request=record_response,
        on_startup=[*startup, *on_startup],
        on_shutdown=[*on_shutdown, *shutdown, redis.aclose, db.dispose],
        debug=False,
        # configure_logging owns the root logger (JSON, request id). Litestar's default
        # logging config would replace that handler with a plain-text one at construction.
        logging_config=None,
    )
    # Outside Litestar's exception handling, so error responses (401 from the auth middleware,
    # 503 from a dead database) carry the request id and are logged with their real status.
    app.asgi_handler = RequestContextMiddleware(app.asgi_handler)
    RequestSessions.check_hooks(app)
    document_plumbing(app)
    resume_gc()  # the app is built: start-up is over (petshots_core.start_up)
    return app

