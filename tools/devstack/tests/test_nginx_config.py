"""The rendered edge config: nginx itself accepts it, in every shape ``up`` can render."""

from __future__ import annotations

from pathlib import Path

import pytest

from petshots_devstack import edge
from petshots_devstack.nginx_config import EdgeConfig, render
from petshots_devstack.product_services import UPSTREAM_ADDRESSES


@pytest.mark.parametrize("with_dev_jwks", [True, False])
def test_nginx_accepts_the_rendered_config(tmp_path: Path, with_dev_jwks: bool) -> None:
    jwks = tmp_path / "jwks.json"
    jwks.write_text('{"keys": []}')
    config = edge.prepare(
        tmp_path / "edge",
        listen="127.0.0.1:8000",
        upstreams=UPSTREAM_ADDRESSES,
        spa_dist=tmp_path / "no-dist-yet",
        dev_jwks=jwks if with_dev_jwks else None,
    )
    edge.check(config)  # runs `nginx -t -p ... -c ...`
    text = edge.config_path(config.prefix).read_text()
    assert "daemon off;" in text
    assert ("location = /auth/.well-known/jwks.json" in text) is with_dev_jwks


def test_missing_spa_build_gets_a_placeholder_page(tmp_path: Path) -> None:
    config = edge.prepare(
        tmp_path / "edge",
        listen="127.0.0.1:8000",
        upstreams=UPSTREAM_ADDRESSES,
        spa_dist=tmp_path / "web" / "dist",
        dev_jwks=None,
    )
    assert "not built" in (config.spa_root / "index.html").read_text()


def test_every_path_nginx_writes_to_is_inside_the_prefix(tmp_path: Path) -> None:
    config = edge.prepare(
        tmp_path / "edge",
        listen="127.0.0.1:8000",
        upstreams=UPSTREAM_ADDRESSES,
        spa_dist=tmp_path,
        dev_jwks=None,
    )
    text = edge.config_path(config.prefix).read_text()
    for directive in ("pid", "error_log", "access_log", "_temp_path"):
        for line in (ln.strip() for ln in text.splitlines()):
            if line.split(" ")[0].endswith(directive):
                assert f'"{config.prefix}/' in line, line


def test_paths_nginx_would_misread_are_refused(tmp_path: Path) -> None:
    config = EdgeConfig(
        prefix=tmp_path / "$HOME",
        listen="127.0.0.1:8000",
        upstreams=UPSTREAM_ADDRESSES,
        spa_root=tmp_path,
    )
    with pytest.raises(ValueError, match="unsuitable"):
        render(config)
