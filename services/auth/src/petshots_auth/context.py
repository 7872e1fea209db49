"""What the auth service's operations work with: its services (built once) and the request."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from arq.connections import ArqRedis
from sqlalchemy.ext.asyncio import AsyncSession

from petshots_auth.backends.base import IdentityBackend
from petshots_auth.captcha import TurnstileVerifier
from petshots_auth.keys import KeySet
from petshots_auth.settings import AuthSettings
from petshots_auth.throttle import Throttle
from petshots_core.access_tokens import AccessClaims
from petshots_core.mail import MailSender
from petshots_core.revocation import SubjectDenylist
from petshots_core.signed_links import LinkSigner


@dataclass(slots=True)
class AuthServices:
    """Built once per app (see ``app.py``) and kept in ``app.state.auth``."""

    settings: AuthSettings
    backend: IdentityBackend
    throttle: Throttle
    captcha: TurnstileVerifier | None
    mailer: MailSender
    keyset: KeySet | None  # the local provider's signing keys; None with Cognito
    denylist: SubjectDenylist
    jobs: ArqRedis
    unsubscribe_links: LinkSigner


@dataclass(slots=True)
class PublicCtx:
    svc: AuthServices
    db: AsyncSession
    address: str  # the client's address, for throttling


@dataclass(slots=True)
class OwnerCtx:
    svc: AuthServices
    db: AsyncSession
    claims: AccessClaims

    @property
    def sub(self) -> uuid.UUID:
        return self.claims.sub
