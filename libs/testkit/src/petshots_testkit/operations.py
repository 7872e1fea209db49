"""The operations of a service as its OpenAPI document and its router list them.

Security suites classify every operation by who may call it; a suite compares its table with
what these functions enumerate, so an operation added tomorrow fails until it is classified.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from typing import Any

from litestar import Litestar
from litestar.routes import HTTPRoute

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
_PATH_PARAM = re.compile(r"{([^}:]+)(?::[^}]+)?}")


class Access(enum.StrEnum):
    PUBLIC = "public"  # no token; the operation decides what it reveals
    OWNER = "owner"  # a token; acts on the caller's own data only, takes no object id
    OWNER_ID = "owner-id"  # a token and the id of a pet, record or passport of the caller


@dataclass(frozen=True)
class Classified:
    """An operation's entry in a suite's authorization table."""

    access: Access
    body: dict[str, Any] | None = None  # a valid body; "{pet_id}" etc. are filled in
    query: dict[str, str] | None = None
    owner_status: int | None = None  # what the owner gets in the matrix (a well-formed call)
    destructive: bool = False  # deletes what it names: run last
    foreign_2xx: bool = False  # a filter: another owner's id answers 2xx like a random id


@dataclass(frozen=True, slots=True)
class Operation:
    service: str
    operation_id: str
    method: str
    path: str  # the OpenAPI path template, e.g. /api/pets/{pet_id}
    path_params: tuple[str, ...]
    query_params: tuple[str, ...]
    has_body: bool
    secured: bool  # the document says a bearer token is needed (a security requirement)
    raw: dict[str, Any] = field(compare=False, hash=False, repr=False)

    @property
    def key(self) -> tuple[str, str]:
        return (self.service, self.operation_id)

    def url(self, **values: str) -> str:
        return _PATH_PARAM.sub(lambda m: values[m.group(1)], self.path)


def openapi_operations(service: str, document: dict[str, Any]) -> list[Operation]:
    found = []
    for path, item in document.get("paths", {}).items():
        for method, op in item.items():
            if method not in HTTP_METHODS:
                continue
            params = op.get("parameters", [])
            found.append(
                Operation(
                    service=service,
                    operation_id=op["operationId"],
                    method=method.upper(),
                    path=path,
                    path_params=tuple(p["name"] for p in params if p["in"] == "path"),
                    query_params=tuple(p["name"] for p in params if p["in"] == "query"),
                    has_body="requestBody" in op,
                    secured=bool(op.get("security")),
                    raw=op,
                )
            )
    return sorted(found, key=lambda o: (o.path, o.method))


@dataclass(frozen=True, slots=True)
class Route:
    """A route the router serves but the OpenAPI document does not list."""

    method: str
    path: str
    public: bool


def unlisted_routes(app: Litestar) -> list[Route]:
    """Every (method, path) served by ``app`` whose handler is left out of the schema."""
    found = set()
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            if handler.resolve_include_in_schema():
                continue
            public = bool(handler.opt.get("public"))
            for method in handler.http_methods:
                if method in ("HEAD", "OPTIONS"):
                    continue
                found.add(Route(method, route.path_format or "/", public))
    return sorted(found, key=lambda r: (r.path, r.method))
