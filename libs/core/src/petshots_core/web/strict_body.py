"""Strict JSON bodies: ``"size_bytes": "10"`` is a wrong type, not a number.

Litestar converts request bodies with msgspec's lax mode (strings coerced to numbers and
booleans). This hook decodes the raw body once more in strict mode against the handler's
declared ``data`` type before the handler runs; bodies are small (64 KiB cap) and cached by
the request, so the second decode costs microseconds.
"""

from __future__ import annotations

import functools
from typing import Any

import msgspec
from litestar import Request
from litestar.exceptions import ValidationException
from litestar.handlers import HTTPRouteHandler


@functools.cache
def _body_type(handler: HTTPRouteHandler) -> Any:
    field = handler.parsed_fn_signature.parameters.get("data")
    if field is None:
        return None
    annotation: object = field.annotation
    is_struct = isinstance(annotation, type) and issubclass(annotation, msgspec.Struct)
    return annotation if is_struct else None


async def strict_json_body(request: Request[Any, Any, Any]) -> None:
    body_type = _body_type(request.route_handler)
    if body_type is None:
        return
    raw = await request.body()
    try:
        msgspec.json.decode(raw, type=body_type, strict=True)
    except msgspec.ValidationError as exc:
        raise ValidationException(detail=str(exc)) from exc
    except msgspec.DecodeError as exc:
        raise ValidationException(detail="The body is not valid JSON.") from exc
