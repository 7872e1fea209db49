"""The routing table's committed renderings for the other edges: docker-compose and Helm.

``edge_routes`` is the one routing table. Two files are rendered from it and committed, because
the tools that read them cannot import Python:

* ``deploy/edge/nginx.conf``: the docker-compose edge (nginx), the same renderer as ``make dev``
  with other addresses (compose service names, the SPA baked into the image, logs on the
  container's stdout/stderr);
* ``charts/petshots/files/edge-routes.json``: the table as data, which the chart's Ingress
  template turns into ALB or ingress-nginx paths.

``petshots-dev render-edge`` rewrites both; ``--check`` fails when either differs from what the
table renders, so neither edge can drift from ``make dev``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from petshots_devstack.addresses import EDGE_PORT
from petshots_devstack.edge_routes import DEFAULT_TARGET, EDGE_ROUTES, Fallback
from petshots_devstack.nginx_config import EdgeConfig, render
from petshots_devstack.product_services import HTTP_SERVICES, Upstream

COMPOSE_NGINX_CONF = Path("deploy") / "edge" / "nginx.conf"
CHART_ROUTES_JSON = Path("charts") / "petshots" / "files" / "edge-routes.json"
"""Paths of the rendered files, relative to the repository root."""

# Writable for the image's non-root nginx user; deploy/edge/Dockerfile creates its tmp/.
PREFIX = Path("/tmp/petshots-edge")  # noqa: S108 - inside the edge container only
SPA_ROOT = Path("/usr/share/nginx/html")
LISTEN = f"0.0.0.0:{EDGE_PORT}"

COMPOSE_UPSTREAMS: dict[Upstream, str] = {
    service.upstream: f"{service.upstream.value}:{service.port}" for service in HTTP_SERVICES
}
"""Each upstream by its docker-compose service name, on the port it uses locally."""

API_NOT_FOUND_BODY = json.dumps(
    {"error": "not_found", "detail": "No API endpoint at this path."}, separators=(",", ":")
)
"""What the edge answers for an unrouted ``/api`` path (the nginx renderer's exact body)."""

HEADER = "# Regenerate with `uv run petshots-dev render-edge`; `--check` verifies it.\n"


@dataclass(frozen=True)
class ContainerEdgeConfig(EdgeConfig):
    """An edge inside a container: its logs go to the container's output, not to files."""

    @property
    def error_log(self) -> Path:
        return Path("/dev/stderr")

    @property
    def access_log(self) -> Path:
        return Path("/dev/stdout")


def compose_edge_config() -> ContainerEdgeConfig:
    return ContainerEdgeConfig(
        prefix=PREFIX, listen=LISTEN, upstreams=COMPOSE_UPSTREAMS, spa_root=SPA_ROOT
    )


def render_compose_nginx() -> str:
    return HEADER + render(compose_edge_config())


def render_chart_routes() -> str:
    """The table as JSON: order kept (it matters to the ALB's rule order for fallbacks)."""
    document = {
        "comment": HEADER.removeprefix("# ").strip(),
        "routes": [
            {
                "path": route.path,
                "match": route.match.value,
                "target": route.target.value,
                "fallback": isinstance(route.target, Fallback),
            }
            for route in EDGE_ROUTES
        ],
        "default": DEFAULT_TARGET.value,
        "apiNotFoundBody": API_NOT_FOUND_BODY,
        "ports": {service.upstream.value: service.port for service in HTTP_SERVICES},
    }
    return json.dumps(document, indent=2) + "\n"


RENDERERS = {COMPOSE_NGINX_CONF: render_compose_nginx, CHART_ROUTES_JSON: render_chart_routes}


def write_all(repo: Path) -> list[Path]:
    written = []
    for relative, renderer in RENDERERS.items():
        path = repo / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(renderer())
        written.append(path)
    return written


def stale(repo: Path) -> list[Path]:
    """The rendered files that are missing or differ from what the table renders now."""
    return [
        relative
        for relative, renderer in RENDERERS.items()
        if not (repo / relative).is_file() or (repo / relative).read_text() != renderer()
    ]
