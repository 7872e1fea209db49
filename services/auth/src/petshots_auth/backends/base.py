"""The interface both identity backends implement, and the failures they report.

Backends speak in these terms only; the HTTP layer maps each failure to one status and one
error code, identical for both backends, so the browser cannot tell them apart.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field
from typing import Literal, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

BackendName = Literal["local", "cognito"]


class SignUpOutcome(enum.Enum):
    CREATED = "created"  # a new account waits for its code (or an unconfirmed one got a new one)
    EXISTS = "exists"  # a confirmed account has this e-mail: tell its owner by e-mail


@dataclass(frozen=True)
class LoginChallenge:
    session: str
    challenge_parameters: dict[str, str]


@dataclass(frozen=True)
class AuthTokens:
    access_token: str
    id_token: str
    expires_in: int
    sub: uuid.UUID
    refresh_token: str | None = field(default=None, repr=False)


class IdentityError(Exception):
    """Base of every backend failure."""


class WrongCredentials(IdentityError):
    """The login failed: wrong password, unknown account, or a bad/expired/replayed challenge."""


class NotConfirmed(IdentityError):
    """The password was right but the e-mail address is not confirmed yet."""


class InvalidCode(IdentityError):
    """The e-mail code is wrong, expired, used up, or there is no such account."""


class InvalidRefreshToken(IdentityError):
    pass


class WeakPassword(IdentityError):
    pass


class ProviderThrottled(IdentityError):
    pass


class ProviderUnavailable(IdentityError):
    pass


class IdentityBackend(Protocol):
    @property
    def name(self) -> BackendName: ...

    def public_config(self) -> dict[str, str | None]: ...

    async def sign_up(self, db: AsyncSession, email: str, password: str) -> SignUpOutcome: ...

    async def confirm(self, db: AsyncSession, email: str, code: str) -> None: ...

    async def resend_code(self, db: AsyncSession, email: str) -> None: ...

    async def login_start(self, db: AsyncSession, email: str, srp_a: str) -> LoginChallenge: ...

    async def login_finish(
        self,
        db: AsyncSession,
        *,
        session: str,
        email: str,
        timestamp: str,
        secret_block: str,
        signature: str,
    ) -> AuthTokens: ...

    async def refresh(self, db: AsyncSession, refresh_token: str) -> AuthTokens: ...

    async def revoke(self, db: AsyncSession, refresh_token: str, sub: uuid.UUID) -> None: ...

    async def forgot_password(self, db: AsyncSession, email: str) -> None: ...

    async def reset_password(
        self, db: AsyncSession, email: str, code: str, password: str
    ) -> None: ...

    async def email_of(self, db: AsyncSession, sub: uuid.UUID) -> tuple[str | None, bool]:
        """The account's e-mail address and whether it is verified."""
        ...

    async def delete_identity(self, db: AsyncSession, sub: uuid.UUID) -> None: ...
