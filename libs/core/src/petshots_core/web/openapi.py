"""What the shared plumbing does, stated in every OpenAPI document: bearer auth and errors.

Every operation that needs an access token says so (``security: [{"BearerAuth": []}]``, an
HTTP bearer JWT scheme), so clients and API tools know which calls need one.

Litestar documents only a handler's success status and, for handlers with inputs, its own
validation error shape (``{"status_code", "detail", "extra"}``), which is not what
``web.errors`` sends. Every operation therefore gets, in the one error shape of SPEC §4:

* ``400`` (inputs that fail validation) replacing Litestar's shape, where Litestar declares it;
* ``401`` unless the route is public (the bearer middleware answers before the handler);
* ``413`` where a JSON body is accepted (the request body cap);
* ``503`` everywhere (a dependency is down; ``Retry-After`` says when to come back).

Request bodies declared with ``forbid_unknown_fields`` say so (``additionalProperties:
false``): the server answers 400 to an unknown field, so the contract must not promise that
extra fields are accepted.

Statuses a handler produces itself (404, 409, 422, ...) are declared on the handler with
``responses=error_responses(...)``, next to the code that raises them.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

import msgspec
from litestar import Litestar
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import (
    OpenAPI,
    OpenAPIHeader,
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    Operation,
    Reference,
    RequestBody,
    Schema,
    SecurityScheme,
)
from litestar.routes import HTTPRoute

ERROR_SCHEMA = "ErrorBody"
BEARER = "BearerAuth"


class ErrorBody(msgspec.Struct, kw_only=True):
    """Every error: a stable machine code and a human sentence (some add fields, e.g. limit)."""

    error: str
    detail: str


_DESCRIPTIONS = {
    400: "The request is not valid (wrong type, missing or unknown field, bad value)",
    401: "A valid access token is required",
    403: "Not allowed",
    404: "Not found (another owner's object answers exactly like a missing one)",
    409: "Conflicts with the current state (a limit, or not uploaded yet)",
    410: "Gone (expired or revoked)",
    413: "The request body is too large",
    422: "Well-formed but not acceptable (out of bounds, wrong content)",
    429: "Too many requests; Retry-After says when to try again",
    503: "A dependency is unavailable; Retry-After says when to try again",
}
_RETRY_AFTER = {
    "Retry-After": OpenAPIHeader(
        schema=Schema(type=OpenAPIType.STRING), description="Seconds to wait before retrying"
    )
}


def error_responses(*statuses: int) -> dict[int, ResponseSpec]:
    """``responses=`` for a handler: these statuses answer with the shared error body."""
    return {
        status: ResponseSpec(
            data_container=ErrorBody,
            description=_DESCRIPTIONS.get(status) or HTTPStatus(status).phrase,
            generate_examples=False,
        )
        for status in statuses
    }


def page_responses(*statuses: int) -> dict[int, ResponseSpec]:
    """``responses=`` for a handler that answers these statuses with an HTML page."""
    return {
        status: ResponseSpec(
            data_container=str,
            media_type="text/html",
            description=_DESCRIPTIONS.get(status) or HTTPStatus(status).phrase,
            generate_examples=False,
        )
        for status in statuses
    }


def _error_response(status: int) -> OpenAPIResponse:
    return OpenAPIResponse(
        description=_DESCRIPTIONS.get(status) or HTTPStatus(status).phrase,
        content={
            "application/json": OpenAPIMediaType(
                schema=Reference(f"#/components/schemas/{ERROR_SCHEMA}")
            )
        },
        headers=dict(_RETRY_AFTER) if status in (429, 503) else None,
    )


def _error_schema() -> Schema:
    return Schema(
        type=OpenAPIType.OBJECT,
        title=ERROR_SCHEMA,
        required=["detail", "error"],
        properties={
            "error": Schema(type=OpenAPIType.STRING, description="Stable machine code"),
            "detail": Schema(type=OpenAPIType.STRING, description="What went wrong, in words"),
        },
    )


def _operations(app: Litestar, openapi: OpenAPI) -> list[tuple[Operation, HTTPRouteHandler]]:
    """Each documented operation with the handler that serves it."""
    found: list[tuple[Operation, HTTPRouteHandler]] = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        item = (openapi.paths or {}).get(route.path_format or "/")
        if item is None:
            continue
        for handler in route.route_handlers:
            for method in handler.http_methods:
                operation = getattr(item, method.lower(), None)
                if isinstance(operation, Operation):
                    found.append((operation, handler))
    return found


def _rejects_unknown_fields(handler: HTTPRouteHandler) -> bool:
    field = handler.parsed_fn_signature.parameters.get("data")
    body_type: object = field.annotation if field is not None else None
    return (
        isinstance(body_type, type)
        and issubclass(body_type, msgspec.Struct)
        and body_type.__struct_config__.forbid_unknown_fields
    )


def _body_schema(openapi: OpenAPI, operation: Operation) -> Schema | None:
    body = operation.request_body
    if not isinstance(body, RequestBody):
        return None
    media = body.content.get("application/json")
    schema = media.schema if media is not None else None
    if isinstance(schema, Reference):
        schema = (openapi.components.schemas or {}).get(schema.ref.rsplit("/", 1)[-1])
    return schema if isinstance(schema, Schema) else None


def document_plumbing(app: Litestar) -> None:
    """Add bearer auth and the shared error answers to every operation of ``app``'s document.

    The document is built once here (Litestar caches it), so the served
    ``openapi.json`` and ``app.openapi_schema`` are the same, corrected, document.
    """
    openapi = app.openapi_schema
    components = openapi.components
    schemas: dict[str, Any] = dict(components.schemas or {})
    schemas.setdefault(ERROR_SCHEMA, _error_schema())
    components.schemas = schemas
    security_schemes: dict[str, Any] = dict(components.security_schemes or {})
    security_schemes.setdefault(
        BEARER,
        SecurityScheme(
            type="http",
            scheme="bearer",
            bearer_format="JWT",
            description="An access token (RS256, Cognito-shaped) from /auth/login/finish",
        ),
    )
    components.security_schemes = security_schemes
    for operation, handler in _operations(app, openapi):
        body_schema = _body_schema(openapi, operation)
        if body_schema is not None and _rejects_unknown_fields(handler):
            body_schema.additional_properties = False
        responses = operation.responses if operation.responses is not None else {}
        operation.responses = responses
        if "400" in responses:
            responses["400"] = _error_response(400)
        if not handler.opt.get("public"):
            operation.security = [{BEARER: []}]
            responses.setdefault("401", _error_response(401))
        if operation.request_body is not None:
            responses.setdefault("413", _error_response(413))
        responses.setdefault("503", _error_response(503))
