"""Where each edge sends a path, simulated from its rendered config, to compare with the table.

``edge_routes.route_for`` is the reference answer. These functions answer the same question for
the other edges from what they were rendered into: an Ingress for the AWS Load Balancer
Controller (first match wins over rules ordered Exact, then Prefix longest first, then
ImplementationSpecific as listed; ``*`` and ``?`` wildcards), an Ingress for ingress-nginx (an
exact match, else the longest prefix), and an nginx config (``location =``, ``^~`` prefixes).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from petshots_devstack.edge_routes import EDGE_ROUTES

NO_MATCH = "<no match>"


@dataclass(frozen=True)
class IngressPath:
    path: str
    path_type: str
    backend: str
    """The backend Service's name (or the ALB action's name)."""


def ingress_paths(ingress: dict[str, Any]) -> list[IngressPath]:
    out: list[IngressPath] = []
    for rule in ingress["spec"]["rules"]:
        for entry in rule["http"]["paths"]:
            service = entry["backend"]["service"]
            out.append(IngressPath(entry["path"], entry["pathType"], service["name"]))
    return out


def alb_route(paths: list[IngressPath], request_path: str) -> str:
    exact = [p for p in paths if p.path_type == "Exact"]
    prefix = sorted(
        (p for p in paths if p.path_type == "Prefix"), key=lambda p: len(p.path), reverse=True
    )
    specific = [p for p in paths if p.path_type == "ImplementationSpecific"]
    for candidate in (*exact, *prefix, *specific):
        if any(
            _alb_pattern(pattern).fullmatch(request_path) for pattern in _alb_patterns(candidate)
        ):
            return candidate.backend
    return NO_MATCH


def _alb_patterns(path: IngressPath) -> list[str]:
    if path.path_type == "Prefix":
        # The controller turns Prefix /a into the path patterns /a and /a/*.
        base = path.path.rstrip("/")
        return [base + "/*"] if not base else [base, base + "/*"]
    return [path.path]


def _alb_pattern(pattern: str) -> re.Pattern[str]:
    return re.compile(
        "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    )


def ingress_nginx_route(paths: list[IngressPath], request_path: str) -> str:
    for candidate in paths:
        if candidate.path_type == "Exact" and candidate.path == request_path:
            return candidate.backend
    best: IngressPath | None = None
    for candidate in paths:
        if candidate.path_type == "Prefix":
            base = candidate.path.rstrip("/")
            hit = request_path == base or request_path.startswith(base + "/") or not base
        elif candidate.path_type == "ImplementationSpecific":
            hit = request_path.startswith(candidate.path)
        else:
            continue
        if hit and (best is None or len(candidate.path) > len(best.path)):
            best = candidate
    return best.backend if best else NO_MATCH


@dataclass(frozen=True)
class NginxLocation:
    modifier: str  # "=" or "^~" or ""
    path: str
    target: str
    """``upstream:<name>``, ``return:<status>`` or ``spa`` (the SPA's files)."""


_LOCATION = re.compile(r"^\s*location\s+(=|\^~)?\s*(/\S*)\s*\{\s*$")


def nginx_locations(config: str) -> list[NginxLocation]:
    """The path locations of an nginx config and what each does (named locations skipped)."""
    locations: list[NginxLocation] = []
    lines = config.splitlines()
    for index, line in enumerate(lines):
        match = _LOCATION.match(line)
        if not match:
            continue
        body: list[str] = []
        for inner in lines[index + 1 :]:
            if inner.strip() == "}":
                break
            body.append(inner.strip())
        locations.append(NginxLocation(match.group(1) or "", match.group(2), _target(body)))
    return locations


def _target(body: Iterable[str]) -> str:
    for statement in body:
        if statement.startswith("proxy_pass "):
            return "upstream:" + statement.split("://", 1)[1].rstrip(";")
        if statement.startswith("return "):
            return "return:" + statement.split()[1]
    # try_files ... /index.html, or a plain location: files of the SPA's root.
    return "spa"


def nginx_route(locations: list[NginxLocation], request_path: str) -> str:
    for location in locations:
        if location.modifier == "=" and location.path == request_path:
            return location.target
    prefixes = [
        loc for loc in locations if loc.modifier != "=" and request_path.startswith(loc.path)
    ]
    if not prefixes:
        return NO_MATCH
    return max(prefixes, key=lambda loc: len(loc.path)).target


def sample_paths() -> list[str]:
    """Paths around every rule of the table (its edges), and a few of the SPA's."""
    paths = {"/", "/index.html", "/login", "/pets/123", "/assets/app.js", "/authx", "/apix"}
    for route in EDGE_ROUTES:
        p = route.path
        paths |= {p, p + "/", p + "/x", p + "/x/y", p + "x", p + "-x", p + ".json"}
        parent = p.rsplit("/", 1)[0]
        paths |= {parent or "/", (parent or "") + "/"}
    paths |= {
        "/auth/.well-known/jwks.json",
        "/auth/openapi.json",
        "/api/records/openapi.json",
        "/api/passports/openapi.json",
        "/api/passports/3f1c/qr.svg",
        "/p/abcdefghijklmnopqrstuv",
        "/p/abcdefghijklmnopqrstuv.json",
        "/p/abcdefghijklmnopqrstuv/docs/42",
        "/api/pets/1/docs",
        "/api/docs/7/complete",
        "/api/unknown",
        "/API/pets",
    }
    return sorted(paths)
