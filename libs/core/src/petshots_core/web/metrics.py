"""Prometheus metrics per route: Litestar's metric names and labels, with less work per request.

Litestar's ``PrometheusMiddleware`` builds a ``Request``, two label dicts and a wrapped
``send`` and looks up four label children per request (~10 % of a dashboard request's CPU,
measured with py-spy). :class:`RouteMetricsMiddleware` looks each (method, route template) and
each status up once and keeps the children: the same metrics (``litestar_requests_total``,
``litestar_request_duration_seconds``, ``litestar_requests_in_progress``,
``litestar_requests_error_total``) with the same labels (``method``, ``path``,
``status_code``, ``app_name``).

A path answered outside Litestar's router (the passport page, ``petshots_passport``'s fast
path) records into the same families through :meth:`RouteMetrics.for_raw_path`, under a route
template of its own, so ``/metrics`` and the dashboards see one set of request series.

One difference from Litestar, deliberate: a request refused by a middleware below this one (the
auth middleware's 401) is raised past it and answered further up; Litestar's middleware counted
it as a 200 that took 0 s. Here it counts with the status it is answered with.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from litestar.enums import ScopeType
from litestar.exceptions import HTTPException
from litestar.plugins.prometheus import PrometheusConfig, PrometheusMiddleware
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from petshots_core.settings import Settings

if TYPE_CHECKING:
    from litestar.types import ASGIApp, Message, Receive, Scope, Send
    from prometheus_client import Counter, Gauge, Histogram

UNMEASURED_PATHS = ["/metrics", "/healthz", "/readyz"]


def metrics_config(settings: Settings) -> PrometheusConfig:
    return PrometheusConfig(
        app_name=settings.service_name.replace("-", "_"),
        group_path=True,  # label by route template: raw paths would carry passport tokens
        exclude=UNMEASURED_PATHS,
        middleware_class=RouteMetricsMiddleware,
    )


class RouteMetrics:
    """The label children of one (method, route template)."""

    __slots__ = ("by_status", "in_progress", "labels", "middleware")

    def __init__(self, middleware: RouteMetricsMiddleware, method: str, path: str) -> None:
        self.middleware = middleware
        # Key order is label order: Litestar creates the metrics from these keys.
        self.labels: dict[str, str | int | float] = {
            "method": method,
            "path": path,
            "status_code": 200,
            "app_name": middleware.app_name,
        }
        # Litestar labels the gauge with status 200 whatever the answer: it is set on entry.
        self.in_progress: Gauge = middleware.requests_in_progress(self.labels).labels(
            *self.labels.values()
        )
        self.by_status: dict[int, tuple[Counter, Histogram, Counter | None]] = {}

    def for_status(self, status: int) -> tuple[Counter, Histogram, Counter | None]:
        found = self.by_status.get(status)
        if found is None:
            labels = {**self.labels, "status_code": status}
            values = labels.values()
            m = self.middleware
            errors = (
                m.requests_error_count(labels).labels(*values)
                if status >= HTTP_500_INTERNAL_SERVER_ERROR
                else None
            )
            found = (
                m.request_count(labels).labels(*values),
                m.request_time(labels).labels(*values),
                errors,
            )
            self.by_status[status] = found
        return found

    def observe(self, status: int, seconds: float) -> None:
        count, duration, errors = self.for_status(status)
        if errors is not None:
            errors.inc()
        count.inc()
        duration.observe(seconds)

    @classmethod
    def for_raw_path(cls, config: PrometheusConfig, *, method: str, path: str) -> RouteMetrics:
        """Children for a path served outside Litestar's router. The middleware's own factories
        create (or find) the families, so nothing is registered twice."""
        return cls(RouteMetricsMiddleware(_unused_app, config), method, path)


class RouteMetricsMiddleware(PrometheusMiddleware):
    def __init__(self, app: ASGIApp, config: PrometheusConfig) -> None:
        super().__init__(app, config)
        # Children are cached per route template: raw paths would be unbounded, and extra
        # labels or exemplars are per request. Neither is used here; refuse rather than drift.
        if not config.group_path or config.labels or config.exemplars:
            raise ValueError("RouteMetricsMiddleware needs group_path and no per-request labels")
        if config.excluded_http_methods:
            raise ValueError("RouteMetricsMiddleware does not exclude methods")
        self.app_name = config.app_name
        self._routes: dict[tuple[str, str], RouteMetrics] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        method: str = scope["method"] if scope["type"] == ScopeType.HTTP else scope["type"]
        path: str = scope["path_template"]
        route = self._routes.get((method, path))
        if route is None:
            route = self._routes[(method, path)] = RouteMetrics(self, method, path)
        started = time.perf_counter()
        # [status, duration]: Litestar's semantics — the status sent, the time to the last
        # body message.
        span: list[Any] = [200, 0.0]

        async def timed_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                span[0] = message["status"]
            elif message["type"] == "http.response.body":
                span[1] = time.perf_counter() - started
            await send(message)

        route.in_progress.inc()
        try:
            await self.app(scope, receive, timed_send)
        except Exception as exc:
            # Raised by a middleware below (handlers' errors are answered inside the route):
            # the exception handlers further up answer it with its status, or a 500.
            span[0] = (
                exc.status_code
                if isinstance(exc, HTTPException)
                else HTTP_500_INTERNAL_SERVER_ERROR
            )
            span[1] = time.perf_counter() - started
            raise
        finally:
            route.in_progress.dec()
            route.observe(span[0], span[1])


async def _unused_app(scope: Scope, receive: Receive, send: Send) -> None:
    raise AssertionError("only the middleware's metric factories are used")
