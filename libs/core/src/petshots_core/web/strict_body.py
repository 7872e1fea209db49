"""Strict JSON bodies: ``"size_bytes": "10"`` is a wrong type, not a number.

Litestar converts request bodies with msgspec's lax mode (strings coerced to numbers and
booleans). This hook decodes the raw body once more in strict mode against the handler's
declared ``data`` type before the handler runs; bodies are small (64 KiB cap) and cached by
the request, so the second decode costs microseconds.

A JSON number is a number: ``405.0`` is the integer 405 (JSON Schema's ``integer`` says so
too, and Litestar's own decode accepts it), so integral floats are not "wrong types".
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
        if not _valid_with_integral_floats(raw, body_type):
            raise ValidationException(detail=str(exc)) from exc
    except (msgspec.DecodeError, UnicodeDecodeError) as exc:  # JSON is UTF-8 (RFC 8259)
        raise ValidationException(detail="The body is not valid JSON.") from exc


def _integral_floats_as_ints(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_integral_floats_as_ints(item) for item in value]
    if isinstance(value, dict):
        return {key: _integral_floats_as_ints(item) for key, item in value.items()}
    return value


def _valid_with_integral_floats(raw: bytes, body_type: Any) -> bool:
    """The slow path, only after a strict failure: is ``1.0`` for an int the only problem?"""
    try:
        normalized = msgspec.json.encode(_integral_floats_as_ints(msgspec.json.decode(raw)))
    except (msgspec.DecodeError, UnicodeDecodeError):
        return False  # not even JSON: the strict error stands
    if normalized == raw:
        return False
    try:
        msgspec.json.decode(normalized, type=body_type, strict=True)
    except (msgspec.ValidationError, msgspec.DecodeError):
        return False
    return True
