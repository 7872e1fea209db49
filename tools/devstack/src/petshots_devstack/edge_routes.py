"""The edge routing table of SPEC §4, as data.

This is the one copy: the local nginx config is rendered from it, and the docker-compose router
and the Helm ingress are to be checked against it (``route_for`` is the reference answer for any
path). Matching follows nginx: an exact match wins, then the longest path prefix, so the order
of the table is for reading only; the query string never takes part.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TypeAlias

from petshots_devstack.product_services import Upstream


class Match(StrEnum):
    EXACT = "exact"
    """The path itself only: ``/api/dashboard``."""
    BELOW = "below"
    """Anything under ``path/`` but not ``path`` itself: ``/auth/signup`` for ``/auth``."""
    EXACT_OR_BELOW = "exact_or_below"
    """The path or anything under ``path/``: ``/api/pets``, ``/api/pets/1`` (not ``/api/petsx``)."""


class Fallback(StrEnum):
    API_NOT_FOUND = "api_not_found"
    """Any other ``/api`` path: a JSON 404, never the SPA's index.html."""
    SPA = "spa"
    """Static files of the SPA; an unknown path serves ``index.html`` (client-side routes)."""


Target: TypeAlias = Upstream | Fallback


@dataclass(frozen=True)
class EdgeRoute:
    path: str
    match: Match
    target: Target
    secret_path: bool = False
    """The path below ``path/`` is a bearer secret (a passport token): never log it."""

    def matches(self, path: str) -> bool:
        exact = path == self.path
        below = path.startswith(self.path + "/")
        if self.match is Match.EXACT:
            return exact
        if self.match is Match.BELOW:
            return below
        return exact or below


EDGE_ROUTES: tuple[EdgeRoute, ...] = (
    EdgeRoute("/auth", Match.BELOW, Upstream.AUTH),
    EdgeRoute("/api/pets", Match.EXACT_OR_BELOW, Upstream.RECORDS),
    EdgeRoute("/api/docs", Match.EXACT_OR_BELOW, Upstream.RECORDS),
    EdgeRoute("/api/dashboard", Match.EXACT, Upstream.RECORDS),
    EdgeRoute("/api/quick-show", Match.EXACT, Upstream.RECORDS),
    EdgeRoute("/api/records", Match.BELOW, Upstream.RECORDS),
    EdgeRoute("/api/passports", Match.EXACT_OR_BELOW, Upstream.PASSPORT),
    EdgeRoute("/p", Match.BELOW, Upstream.PASSPORT, secret_path=True),
    EdgeRoute("/api", Match.EXACT_OR_BELOW, Fallback.API_NOT_FOUND),
)

DEFAULT_TARGET: Target = Fallback.SPA


def route_for(path: str) -> Target:
    """Where the edge sends ``path`` (the decoded path; a query string is ignored)."""
    path = path.split("?", 1)[0]
    for route in EDGE_ROUTES:
        if route.match is not Match.BELOW and path == route.path:
            return route.target
    below = [r for r in EDGE_ROUTES if r.match is not Match.EXACT and r.matches(path)]
    if below:
        return max(below, key=lambda r: len(r.path)).target
    return DEFAULT_TARGET
