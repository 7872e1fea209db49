"""The nginx edge: find nginx, lay out its prefix directory, write and check its config."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path

from petshots_devstack.errors import DevstackError
from petshots_devstack.nginx_config import EdgeConfig, render
from petshots_devstack.product_services import Upstream

NGINX_FALLBACK = Path("/usr/sbin/nginx")  # Debian's, often off a non-root user's PATH

PLACEHOLDER_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Petshots</title></head>
<body><h1>Petshots</h1>
<p>The web app is not built yet: <code>web/dist</code> does not exist.
The API is up under <code>/api/</code> and <code>/auth/</code>.</p></body></html>
"""


class NginxMissing(DevstackError):
    pass


class EdgeConfigRejected(DevstackError):
    pass


def nginx_binary() -> Path | None:
    found = shutil.which("nginx")
    if found:
        return Path(found)
    return NGINX_FALLBACK if os.access(NGINX_FALLBACK, os.X_OK) else None


def require_nginx() -> Path:
    binary = nginx_binary()
    if binary is None:
        raise NginxMissing("nginx is not installed: run `petshots-dev install-tools` as root")
    return binary


def prepare(
    prefix: Path,
    *,
    listen: str,
    upstreams: Mapping[Upstream, str],
    spa_dist: Path,
    dev_jwks: Path | None,
) -> EdgeConfig:
    """Write ``prefix/nginx.conf`` (and a placeholder SPA if ``spa_dist`` is missing)."""
    prefix = prefix.resolve()
    for directory in (prefix / "logs", prefix / "tmp"):
        directory.mkdir(parents=True, exist_ok=True)
    spa_root = spa_dist.resolve()
    if not (spa_root / "index.html").is_file():
        spa_root = prefix / "placeholder"
        spa_root.mkdir(exist_ok=True)
        (spa_root / "index.html").write_text(PLACEHOLDER_PAGE)
    config = EdgeConfig(
        prefix=prefix,
        listen=listen,
        upstreams=upstreams,
        spa_root=spa_root,
        dev_jwks=dev_jwks.resolve() if dev_jwks else None,
        run_as_root=os.geteuid() == 0,
    )
    config_path(prefix).write_text(render(config))
    return config


def config_path(prefix: Path) -> Path:
    return prefix.resolve() / "nginx.conf"


def command(config: EdgeConfig, *extra: str) -> list[str]:
    # -e: nginx opens its error log before reading the config; the compiled-in path may be
    # unwritable for a non-root user.
    return [
        str(require_nginx()),
        "-p",
        str(config.prefix),
        "-c",
        str(config_path(config.prefix)),
        "-e",
        str(config.error_log),
        *extra,
    ]


def check(config: EdgeConfig) -> None:
    """``nginx -t`` on the written config; raises with nginx's own message when it fails."""
    result = subprocess.run(
        command(config, "-t", "-q"), capture_output=True, text=True, timeout=30, check=False
    )
    if result.returncode != 0:
        raise EdgeConfigRejected(
            f"nginx rejected {config_path(config.prefix)}:\n{result.stderr.strip()}"
        )
