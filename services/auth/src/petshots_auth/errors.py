"""One HTTP answer per identity failure, the same for both backends."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from litestar.exceptions import TooManyRequestsException

from petshots_auth import srp
from petshots_auth.backends.base import (
    IdentityError,
    InvalidCode,
    InvalidRefreshToken,
    NotConfirmed,
    ProviderThrottled,
    ProviderUnavailable,
    WeakPassword,
    WrongCredentials,
)
from petshots_auth.throttle import Throttled
from petshots_core.web.errors import ApiError

WRONG_CREDENTIALS = ApiError(401, "not_authorized", "Incorrect e-mail address or password.")


def too_many(retry_after: int) -> TooManyRequestsException:
    return TooManyRequestsException(
        detail="Too many attempts; try again later.", headers={"Retry-After": str(retry_after)}
    )


def as_api_error(exc: IdentityError) -> ApiError | TooManyRequestsException:
    if isinstance(exc, WrongCredentials):
        return WRONG_CREDENTIALS
    if isinstance(exc, NotConfirmed):
        return ApiError(403, "user_not_confirmed", "Confirm your e-mail address first.")
    if isinstance(exc, InvalidCode):
        return ApiError(400, "invalid_code", "The code is wrong or has expired; ask for a new one.")
    if isinstance(exc, InvalidRefreshToken):
        return ApiError(401, "invalid_refresh_token", "Log in again.")
    if isinstance(exc, WeakPassword):
        return ApiError(422, "weak_password", "The password does not meet the policy.")
    if isinstance(exc, ProviderThrottled):
        return too_many(30)
    if isinstance(exc, ProviderUnavailable):
        return ApiError(503, "identity_unavailable", "Sign-in is unavailable; try again shortly.")
    return ApiError(400, "invalid_request", "The request could not be processed.")


@contextmanager
def translated() -> Iterator[None]:
    """Turn backend failures, throttling and SRP input errors into their HTTP answers."""
    try:
        yield
    except IdentityError as exc:
        raise as_api_error(exc) from exc
    except Throttled as exc:
        raise too_many(exc.retry_after) from exc
    except srp.InvalidSrpA as exc:
        raise ApiError(400, "invalid_request", "srp_a is not a valid SRP value.") from exc
