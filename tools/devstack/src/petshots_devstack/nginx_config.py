"""Render the edge's nginx config from the routing table in ``edge_routes``."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from petshots_devstack.addresses import JWKS_PATH
from petshots_devstack.edge_routes import EDGE_ROUTES, EdgeRoute, Fallback, Match, route_for
from petshots_devstack.product_services import Upstream

# Requests through the edge carry JSON only: files go from the browser straight to storage.
API_MAX_BODY = "64k"

# Enough for an SPA build; inline so the config needs nothing from /etc/nginx.
MIME_TYPES: Mapping[str, tuple[str, ...]] = {
    "text/html": ("html", "htm"),
    "text/css": ("css",),
    "text/javascript": ("js", "mjs"),
    "text/plain": ("txt",),
    "application/json": ("json", "map"),
    "application/manifest+json": ("webmanifest",),
    "application/wasm": ("wasm",),
    "application/pdf": ("pdf",),
    "image/svg+xml": ("svg",),
    "image/png": ("png",),
    "image/jpeg": ("jpg", "jpeg"),
    "image/webp": ("webp",),
    "image/gif": ("gif",),
    "image/x-icon": ("ico",),
    "font/woff2": ("woff2",),
    "font/woff": ("woff",),
}

# nginx's compiled-in temp paths point into /var/lib/nginx; each one is set so nginx never
# touches a system directory (and runs without root).
TEMP_PATH_DIRECTIVES = (
    "client_body_temp_path",
    "proxy_temp_path",
    "fastcgi_temp_path",
    "uwsgi_temp_path",
    "scgi_temp_path",
)


@dataclass(frozen=True)
class EdgeConfig:
    prefix: Path
    """nginx's ``-p``: pid, logs and temp files live here."""
    listen: str
    """``host:port``."""
    upstreams: Mapping[Upstream, str]
    """``host:port`` of each service; a service that is not running answers 503."""
    spa_root: Path
    dev_jwks: Path | None = None
    """Served at the JWKS path while no auth service runs; None proxies it to auth."""
    run_as_root: bool = False
    """Keep workers as root: by default root's nginx drops them to ``nobody``, which may not be
    able to read the repository (or a test's private temp directory)."""

    @property
    def error_log(self) -> Path:
        return self.prefix / "logs" / "error.log"

    @property
    def access_log(self) -> Path:
        return self.prefix / "logs" / "access.log"

    @property
    def pid_file(self) -> Path:
        return self.prefix / "nginx.pid"


def render(config: EdgeConfig) -> str:
    lines = [
        "# Rendered by petshots-dev from petshots_devstack.edge_routes; edits are overwritten.",
        "daemon off;",
        "worker_processes 1;",
        *(["user root;"] if config.run_as_root else []),
        f"pid {_q(config.pid_file)};",
        f"error_log {_q(config.error_log)} warn;",
        "events { worker_connections 512; }",
        "",
        "http {",
        *_indent(_http_settings(config)),
        "",
        *_indent(_upstream_blocks(config.upstreams)),
        "    server {",
        *_indent(_server_settings(config), 2),
        "",
        *_indent(_route_locations(config), 2),
        "",
        *_indent(_spa_locations(), 2),
        "",
        *_indent(_unavailable_locations(config.upstreams), 2),
        "    }",
        "}",
    ]
    return "\n".join(lines) + "\n"


def _http_settings(config: EdgeConfig) -> list[str]:
    types = " ".join(f"{mime} {' '.join(exts)};" for mime, exts in MIME_TYPES.items())
    temp = config.prefix / "tmp"
    return [
        f"types {{ {types} }}",
        "default_type application/octet-stream;",
        "sendfile on;",
        "server_tokens off;",
        "# The SPA's files, compressed (proxied API answers are not: gzip_proxied stays off, so",
        "# no response carrying a token or a signed URL is ever compressed — BREACH).",
        "gzip on;",
        "gzip_comp_level 6;",
        "gzip_min_length 512;",
        "gzip_types text/css application/javascript text/javascript application/json"
        " image/svg+xml application/manifest+json;",
        *(
            f"{directive} {_q(temp / directive.removesuffix('_temp_path'))};"
            for directive in TEMP_PATH_DIRECTIVES
        ),
        "",
        "# A request id from the client (or an outer proxy) is kept; otherwise nginx makes one.",
        "map $http_x_request_id $petshots_request_id {",
        '    "" $request_id;',
        "    default $http_x_request_id;",
        "}",
        "# The log shows the path only: query strings carry one-time secrets (unsubscribe",
        "# links), and so do some paths (a passport's token).",
        "map $request_uri $petshots_log_path {",
        *(
            f'    "~^{re.escape(r.path)}/" "{r.path}/<redacted>";'
            for r in EDGE_ROUTES
            if r.secret_path
        ),
        '    "~^(?<petshots_path>[^?]*)" $petshots_path;',
        "}",
        "log_format petshots",
        "    '$remote_addr [$time_iso8601] \"$request_method $petshots_log_path\" $status '",
        "    '$body_bytes_sent $request_time $petshots_request_id';",
        f"access_log {_q(config.access_log)} petshots;",
    ]


def _upstream_blocks(upstreams: Mapping[Upstream, str]) -> list[str]:
    lines: list[str] = []
    for upstream in Upstream:
        lines += [
            f"upstream {_upstream_name(upstream)} {{",
            f"    server {upstreams[upstream]};",
            # Idle connections kept per worker: more than the busiest moment's concurrency,
            # or every burst beyond it opens (and the service accepts) fresh connections.
            "    keepalive 64;",
            "}",
        ]
    return lines


def _server_settings(config: EdgeConfig) -> list[str]:
    return [
        f"listen {config.listen};",
        f"root {_q(config.spa_root)};",
        f"client_max_body_size {API_MAX_BODY};",
        "proxy_http_version 1.1;",
        'proxy_set_header Connection "";',
        "proxy_set_header Host $http_host;",
        "proxy_set_header X-Request-ID $petshots_request_id;",
        "# The edge is the first hop it trusts: a client's own X-Forwarded-For is dropped, so",
        "# per-client rate limits cannot be dodged by sending one.",
        "proxy_set_header X-Forwarded-For $remote_addr;",
        "proxy_set_header X-Forwarded-Proto $scheme;",
        "proxy_connect_timeout 2s;",
    ]


def _route_locations(config: EdgeConfig) -> list[str]:
    lines: list[str] = []
    if config.dev_jwks is not None:
        lines += [
            "# No auth service yet: the dev JWKS stands in, so services can verify dev tokens.",
            f"location = {JWKS_PATH} {{",
            f"    alias {_q(config.dev_jwks)};",
            "    default_type application/json;",
            '    add_header Cache-Control "no-cache" always;',
            "}",
        ]
    for route in EDGE_ROUTES:
        for selector in _selectors(route):
            lines += [f"location {selector} {{", *_indent(_handler(route, config)), "}"]
    lines += _bare_paths_of_below_routes(config)
    return lines


def _selectors(route: EdgeRoute) -> list[str]:
    # ^~ keeps a prefix match from being overridden by any regex location added later.
    exact, below = f"= {route.path}", f"^~ {route.path}/"
    return {Match.EXACT: [exact], Match.BELOW: [below], Match.EXACT_OR_BELOW: [exact, below]}[
        route.match
    ]


def _bare_paths_of_below_routes(config: EdgeConfig) -> list[str]:
    """``/p`` goes where the table says (the SPA), not where nginx would send it.

    For a prefix location ending in ``/`` that proxies, nginx answers the bare path (``/p``)
    with a 301 to ``/p/``; an exact location for the bare path overrides that.
    """
    exact_paths = {r.path for r in EDGE_ROUTES if r.match is not Match.BELOW}
    lines: list[str] = []
    for route in EDGE_ROUTES:
        if route.match is Match.BELOW and route.path not in exact_paths:
            bare = EdgeRoute(route.path, Match.EXACT, route_for(route.path))
            lines += [f"location = {route.path} {{", *_indent(_handler(bare, config)), "}"]
    return lines


def _handler(route: EdgeRoute, config: EdgeConfig) -> list[str]:
    target = route.target
    if target is Fallback.API_NOT_FOUND:
        return _json_return(404, "not_found", "No API endpoint at this path.")
    if target is Fallback.SPA:
        return ["try_files $uri /index.html;"]
    lines = [
        f"proxy_pass http://{_upstream_name(target)};",
        f"error_page 502 504 = @{target.value}_unavailable;",
    ]
    if route.secret_path:
        # An upstream error is logged with its request line, and with it the secret path.
        lines.append(f"error_log {_q(config.error_log)} crit;")
    return lines


def _spa_locations() -> list[str]:
    return [
        "# Everything else is the SPA; an unknown path gets index.html so client routes reload.",
        "location / {",
        "    try_files $uri /index.html;",
        "}",
        "location = /index.html {",
        '    add_header Cache-Control "no-cache" always;',
        "}",
        "# Vite names every asset by its content hash: cache it for good.",
        "location ^~ /assets/ {",
        '    add_header Cache-Control "public, max-age=31536000, immutable" always;',
        "    try_files $uri /index.html;",
        "}",
    ]


def _unavailable_locations(upstreams: Mapping[Upstream, str]) -> list[str]:
    lines: list[str] = []
    for upstream in Upstream:
        detail = f"The {upstream.value} service is not running."
        lines += [
            f"location @{upstream.value}_unavailable {{",
            *_indent(_json_return(503, "service_unavailable", detail)),
            "}",
        ]
    return lines


def _json_return(status: int, error: str, detail: str) -> list[str]:
    body = json.dumps({"error": error, "detail": detail}, separators=(",", ":"))
    return ["default_type application/json;", f"return {status} '{body}';"]


def _upstream_name(upstream: Upstream) -> str:
    return f"petshots_{upstream.value}"


def _q(path: Path) -> str:
    text = str(path)
    # nginx would read these as quoting or variables in a path; refuse rather than misconfigure.
    if any(ch in text for ch in "\"'$;{}\\"):
        raise ValueError(f"path unsuitable for an nginx config: {text!r}")
    return f'"{text}"'


def _indent(lines: list[str], depth: int = 1) -> list[str]:
    pad = "    " * depth
    return [pad + line if line else "" for line in lines]
