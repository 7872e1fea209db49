"""The one error shape of SPEC §4: ``{"error": "<code>", "detail": "<human text>"}``."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

import msgspec
import structlog
from litestar import MediaType, Request, Response
from litestar.exceptions import (
    HTTPException,
    MethodNotAllowedException,
    NotAuthorizedException,
    NotFoundException,
    ValidationException,
)
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR, HTTP_503_SERVICE_UNAVAILABLE
from litestar.types import ExceptionHandlersMap
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from petshots_core.storage import StorageUnavailable

log = structlog.get_logger(__name__)


class ApiError(Exception):
    """A deliberate 4xx/5xx with a stable machine code and extra body fields if needed."""

    def __init__(self, status: int, code: str, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.extra = extra


def not_found(what: str = "resource") -> ApiError:
    # Another owner's object and a missing one get this identical answer (SPEC §4).
    return ApiError(404, "not_found", f"No such {what}.")


def error_response(
    status: int, code: str, detail: str, headers: dict[str, str] | None = None, **extra: Any
) -> Response[dict[str, Any]]:
    return Response(
        content={"error": code, "detail": detail, **extra},
        status_code=status,
        media_type=MediaType.JSON,
        headers=headers,
    )


@dataclass(frozen=True, slots=True)
class ErrorAnswer:
    """An error answer before it becomes a response: Litestar's handlers and the raw ASGI
    paths (the passport page) send the same status, body and headers from it."""

    status: int
    code: str
    detail: str
    headers: dict[str, str] = field(default_factory=dict)

    def body(self) -> bytes:
        return msgspec.json.encode({"error": self.code, "detail": self.detail})


def dependency_down(exc: BaseException) -> ErrorAnswer:
    """503 for a dependency that cannot be reached (a generic body: nothing about where)."""
    what = "storage" if isinstance(exc, StorageUnavailable) else "database"
    log.warning("dependency_unavailable", dependency=what, error=type(exc).__name__)
    return ErrorAnswer(
        HTTP_503_SERVICE_UNAVAILABLE,
        "service_unavailable",
        f"A dependency ({what}) is unavailable; try again shortly.",
        {"Retry-After": "5"},
    )


def unexpected(exc: BaseException) -> ErrorAnswer:
    """500 for a bug; call it from the ``except`` block so the traceback is logged."""
    log.exception("unhandled_error", error=type(exc).__name__)
    return ErrorAnswer(HTTP_500_INTERNAL_SERVER_ERROR, "internal_error", "Something went wrong.")


def _answer(answer: ErrorAnswer) -> Response[dict[str, Any]]:
    return error_response(answer.status, answer.code, answer.detail, headers=answer.headers or None)


def _api_error(_: Request[Any, Any, Any], exc: ApiError) -> Response[dict[str, Any]]:
    return error_response(exc.status, exc.code, exc.detail, **exc.extra)


def _validation(_: Request[Any, Any, Any], exc: ValidationException) -> Response[dict[str, Any]]:
    detail = exc.detail or "The request is not valid."
    if detail.startswith("Validation failed for"):
        detail = "The request is not valid."
    extra = exc.extra
    if isinstance(extra, list) and extra:
        first = extra[0]
        if isinstance(first, dict) and first.get("message"):
            detail = f"{first.get('key') or 'body'}: {first['message']}"
    return error_response(400, "invalid_request", detail)


def _http(_: Request[Any, Any, Any], exc: HTTPException) -> Response[dict[str, Any]]:
    status = exc.status_code
    if isinstance(exc, NotAuthorizedException):
        return error_response(
            401, "unauthorized", "A valid access token is required.",
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )
    if isinstance(exc, NotFoundException):
        return error_response(404, "not_found", "Not found.")
    if isinstance(exc, MethodNotAllowedException):
        return error_response(405, "method_not_allowed", "Method not allowed.", headers=exc.headers)
    code = {
        400: "invalid_request",
        403: "forbidden",
        413: "payload_too_large",
        415: "unsupported_media_type",
        429: "rate_limited",
    }.get(status, "error")
    if status >= 500:
        log.error("http_exception", status=status, detail=exc.detail)
        return error_response(status, "internal_error", "Something went wrong.")
    return error_response(status, code, exc.detail or "Request failed.", headers=exc.headers)


def _dependency_down(
    _: Request[Any, Any, Any], exc: Exception
) -> Response[dict[str, Any]]:
    return _answer(dependency_down(exc))


def _db_error(request: Request[Any, Any, Any], exc: DBAPIError) -> Response[dict[str, Any]]:
    if exc.connection_invalidated or isinstance(exc, OperationalError | InterfaceError):
        return _dependency_down(request, exc)
    return _unexpected(request, exc)


def _unexpected(_: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    return _answer(unexpected(exc))


# Errors that mean a dependency is not there right now: answered 503 by dependency_down.
DEPENDENCY_DOWN: tuple[type[Exception], ...] = (
    StorageUnavailable,
    PoolTimeoutError,
    OSError,  # connection refused / reset while talking to Postgres
    asyncio.TimeoutError,
)


def exception_handlers() -> ExceptionHandlersMap:
    return {
        ApiError: _api_error,
        ValidationException: _validation,
        HTTPException: _http,
        **dict.fromkeys(DEPENDENCY_DOWN, _dependency_down),
        DBAPIError: _db_error,
        Exception: _unexpected,
    }
