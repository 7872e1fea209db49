"""The chart's Ingress routes every path where the routing table of ``make dev`` does.

``edge_routes.route_for`` is the reference. The Ingress is rendered with the real Helm and its
paths are evaluated the way each controller does (``routing_sim``) for paths at the edges of
every rule. On the ALB, what the table gives the SPA is unrouted (CloudFront serves the SPA
from S3) unless ``ingress.spa`` names a Service; an unrouted ``/api`` path is the fixed JSON 404.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from chart_render import CHART, RELEASE, render
from routing_sim import (
    NO_MATCH,
    alb_route,
    ingress_nginx_route,
    ingress_paths,
    sample_paths,
)

from petshots_devstack.edge_exports import render_chart_routes
from petshots_devstack.edge_routes import Fallback, route_for
from petshots_devstack.product_services import Upstream


def expected_backend(path: str, *, alb: bool, spa_service: str | None) -> str:
    target = route_for(path)
    if isinstance(target, Upstream):
        return f"{RELEASE}-{target.value}"
    if target is Fallback.API_NOT_FOUND:
        # ingress-nginx has no fixed responses: records answers with the same JSON 404.
        return "api-not-found" if alb else f"{RELEASE}-records"
    return spa_service or NO_MATCH


def test_chart_reads_the_table_rendered_from_edge_routes() -> None:
    committed = (CHART / "files" / "edge-routes.json").read_text()
    assert committed == render_chart_routes(), "run `uv run petshots-dev render-edge`"
    template = (CHART / "templates" / "ingress.yaml").read_text()
    assert '.Files.Get "files/edge-routes.json"' in template


@pytest.mark.parametrize("value_set", ["default", "prod", "all-features"])
def test_alb_ingress_routes_like_the_edge(value_set: str) -> None:
    rendered = render(value_set)
    (ingress,) = rendered.of_kind("Ingress")
    paths = ingress_paths(ingress)
    spa = rendered.values["ingress"]["spa"]
    spa_service = spa["serviceName"] if spa["enabled"] else None
    wrong = {
        path: (alb_route(paths, path), expected_backend(path, alb=True, spa_service=spa_service))
        for path in sample_paths()
        if alb_route(paths, path) != expected_backend(path, alb=True, spa_service=spa_service)
    }
    assert not wrong, f"path: (ALB sends to, edge_routes says): {wrong}"


def test_nginx_ingress_routes_like_the_edge() -> None:
    rendered = render("nginx")
    (ingress,) = rendered.of_kind("Ingress")
    paths = ingress_paths(ingress)
    spa_service = rendered.values["ingress"]["spa"]["serviceName"]
    wrong = {
        path: (
            ingress_nginx_route(paths, path),
            expected_backend(path, alb=False, spa_service=spa_service),
        )
        for path in sample_paths()
        if ingress_nginx_route(paths, path)
        != expected_backend(path, alb=False, spa_service=spa_service)
    }
    assert not wrong, f"path: (ingress-nginx sends to, edge_routes says): {wrong}"


def test_alb_fallback_body_is_the_edges() -> None:
    (ingress,) = render("prod").of_kind("Ingress")
    action = json.loads(
        ingress["metadata"]["annotations"]["alb.ingress.kubernetes.io/actions.api-not-found"]
    )
    table = json.loads((CHART / "files" / "edge-routes.json").read_text())
    assert action["fixedResponseConfig"]["messageBody"] == table["apiNotFoundBody"]
    nginx_conf = (CHART.parents[1] / "deploy" / "edge" / "nginx.conf").read_text()
    assert f"return 404 '{table['apiNotFoundBody']}';" in nginx_conf


def test_every_service_port_matches_the_local_stack() -> None:
    table = json.loads((CHART / "files" / "edge-routes.json").read_text())
    rendered = render("default")
    for component, port in table["ports"].items():
        assert rendered.values[component]["port"] == port
