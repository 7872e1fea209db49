"""``petshots-dev render-edge``: the compose edge and the chart's routes, from the one table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from petshots_devstack import edge_exports
from petshots_devstack.cli import main
from petshots_devstack.edge_routes import EDGE_ROUTES


def test_compose_edge_logs_to_the_container_and_proxies_by_service_name() -> None:
    text = edge_exports.render_compose_nginx()
    assert 'error_log "/dev/stderr" warn;' in text
    assert 'access_log "/dev/stdout" petshots;' in text
    for upstream in ("auth:8101", "records:8102", "passport:8103"):
        assert f"server {upstream};" in text
    assert "listen 0.0.0.0:8000;" in text
    assert "user root;" not in text


def test_chart_routes_are_the_table_in_order() -> None:
    document = json.loads(edge_exports.render_chart_routes())
    assert [(r["path"], r["match"], r["target"]) for r in document["routes"]] == [
        (r.path, r.match.value, r.target.value) for r in EDGE_ROUTES
    ]
    assert document["default"] == "spa"
    assert json.loads(document["apiNotFoundBody"])["error"] == "not_found"


def test_render_edge_writes_then_check_passes_and_catches_drift(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "uv.lock").write_text("")  # marks tmp_path as a repository root
    runner = CliRunner()
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(main, ["render-edge", "--check"]).exit_code == 1
    assert runner.invoke(main, ["render-edge"]).exit_code == 0
    assert edge_exports.stale(tmp_path) == []
    assert runner.invoke(main, ["render-edge", "--check"]).exit_code == 0
    conf = tmp_path / edge_exports.COMPOSE_NGINX_CONF
    conf.write_text(conf.read_text().replace("records:8102", "records:9999"))
    assert edge_exports.stale(tmp_path) == [edge_exports.COMPOSE_NGINX_CONF]
    result = runner.invoke(main, ["render-edge", "--check"])
    assert result.exit_code == 1 and "stale" in result.output
