"""Prometheus request metrics: Litestar's for routed requests, the same series for raw ASGI paths.

A path answered outside Litestar's router (the passport page, ``petshots_passport``'s fast
path) records into the very metric families Litestar's middleware creates, under a route
template of its own, so ``/metrics`` and the dashboards see one set of request series. Its
label children are bound once per status rather than looked up with ``labels()`` per request.
"""

from __future__ import annotations

from litestar.plugins.prometheus import PrometheusConfig, PrometheusMiddleware
from litestar.types import Receive, Scope, Send
from prometheus_client import Counter, Histogram

from petshots_core.settings import Settings

UNMEASURED_PATHS = ["/metrics", "/healthz", "/readyz"]


def metrics_config(settings: Settings) -> PrometheusConfig:
    return PrometheusConfig(
        app_name=settings.service_name.replace("-", "_"),
        group_path=True,  # label by route template: raw paths would carry passport tokens
        exclude=UNMEASURED_PATHS,
    )


async def _unused_app(scope: Scope, receive: Receive, send: Send) -> None:
    raise AssertionError("only the middleware's metric factories are used")


class RouteMetrics:
    """Requests of one method and route template, recorded like Litestar's middleware does."""

    def __init__(self, config: PrometheusConfig, *, method: str, path: str) -> None:
        if config.labels:
            raise ValueError("per-request extra labels need Litestar's request: not supported here")
        # The middleware's own factories create (or find) the families, so the names, label
        # names, buckets and help texts are Litestar's exactly and nothing is registered twice.
        factories = PrometheusMiddleware(_unused_app, config)
        self._labels: dict[str, str | int | float] = {
            "method": method,
            "path": path,
            "status_code": 200,
            "app_name": config.app_name,
        }
        self._count = factories.request_count(self._labels)
        self._time = factories.request_time(self._labels)
        self._errors = factories.requests_error_count(self._labels)
        # Litestar labels the in-progress gauge before the status is known: always 200.
        self.in_progress = factories.requests_in_progress(self._labels).labels(
            *self._labels.values()
        )
        self._by_status: dict[int, tuple[Counter, Histogram, Counter | None]] = {}

    def observe(self, status: int, seconds: float) -> None:
        children = self._by_status.get(status)
        if children is None:
            values = [*{**self._labels, "status_code": status}.values()]
            children = (
                self._count.labels(*values),
                self._time.labels(*values),
                self._errors.labels(*values) if status >= 500 else None,
            )
            self._by_status[status] = children
        count, duration, errors = children
        count.inc()
        duration.observe(seconds)
        if errors is not None:
            errors.inc()
