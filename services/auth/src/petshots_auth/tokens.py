"""Cognito-shaped tokens issued by the local identity provider.

Access and id tokens are RS256 JWTs with the claims a Cognito User Pool puts in them, so every
service verifies local and Cognito tokens with the same code (signature via JWKS, ``iss``,
``exp``, ``token_use``, ``client_id``). Like Cognito's, the header carries ``kid`` and ``alg``
and no ``typ``.

``origin_jti`` names the authentication event: a login mints a new one, and every token later
obtained with that login's refresh token carries the same value. Revoking a refresh token can
therefore revoke everything that descends from that login, as Cognito's RevokeToken does.

Refresh tokens are opaque random strings, not JWTs: only this service ever reads them, and an
opaque token can be revoked by deleting one row, with nothing to parse or verify.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt

from petshots_auth.keys import KeySet

ACCESS_TOKEN_TTL = timedelta(hours=1)
REFRESH_TOKEN_TTL = timedelta(days=30)
# The scope Cognito grants to tokens from its SRP flow (the user may call its own user APIs).
DEFAULT_SCOPE = "aws.cognito.signin.user.admin"
REFRESH_TOKEN_BYTES = 32  # 256 bits of entropy


@dataclass(frozen=True)
class Identity:
    """Who the tokens are for."""

    sub: str
    username: str
    email: str
    email_verified: bool


@dataclass(frozen=True)
class IssuedTokens:
    access_token: str
    id_token: str
    expires_in: int  # seconds, as in Cognito's AuthenticationResult.ExpiresIn
    origin_jti: str
    access_jti: str


def _utcnow() -> datetime:
    return datetime.now(UTC)


class TokenIssuer:
    """Signs access and id tokens with the key set's active key."""

    def __init__(
        self,
        keyset: KeySet,
        *,
        issuer: str,
        client_id: str,
        access_ttl: timedelta = ACCESS_TOKEN_TTL,
        id_ttl: timedelta = ACCESS_TOKEN_TTL,
        scope: str = DEFAULT_SCOPE,
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        if access_ttl <= timedelta(0) or id_ttl <= timedelta(0):
            raise ValueError("token lifetimes must be positive")
        self.keyset = keyset
        self.issuer = issuer
        self.client_id = client_id
        self.access_ttl = access_ttl
        self.id_ttl = id_ttl
        self.scope = scope
        self._clock = clock

    def issue(
        self, identity: Identity, *, auth_time: datetime, origin_jti: str | None = None
    ) -> IssuedTokens:
        """Tokens for a login (``origin_jti`` None) or a refresh (the login's ``origin_jti``)."""
        now = int(self._clock().timestamp())
        origin = origin_jti or str(uuid.uuid4())
        common = {
            "sub": identity.sub,
            "iss": self.issuer,
            "auth_time": int(auth_time.timestamp()),
            "iat": now,
            "origin_jti": origin,
        }
        access_jti = str(uuid.uuid4())
        access = {
            **common,
            "client_id": self.client_id,
            "token_use": "access",
            "scope": self.scope,
            "exp": now + int(self.access_ttl.total_seconds()),
            "jti": access_jti,
            "username": identity.username,
        }
        id_claims = {
            **common,
            "aud": self.client_id,
            "token_use": "id",
            "email": identity.email,
            "email_verified": identity.email_verified,
            # Amplify and amazon-cognito-identity-js read the user name from this claim.
            "cognito:username": identity.username,
            "exp": now + int(self.id_ttl.total_seconds()),
            "jti": str(uuid.uuid4()),
        }
        return IssuedTokens(
            access_token=self._sign(access),
            id_token=self._sign(id_claims),
            expires_in=int(self.access_ttl.total_seconds()),
            origin_jti=origin,
            access_jti=access_jti,
        )

    def _sign(self, claims: dict[str, Any]) -> str:
        return jwt.encode(
            claims,
            self.keyset.active_key,
            algorithm="RS256",
            headers={"kid": self.keyset.kid, "typ": None},
        )


def new_refresh_token() -> str:
    """A fresh opaque refresh token: 256 random bits, URL-safe base64 (43 characters)."""
    return secrets.token_urlsafe(REFRESH_TOKEN_BYTES)


def hash_refresh_token(token: str) -> str:
    """What the database stores and looks up instead of the refresh token itself.

    A plain SHA-256 is the right tool here, unlike for passwords: the token has 256 bits of
    entropy, so there is nothing to brute-force and a slow or salted hash would add no security,
    while a deterministic fast hash lets the token be found by an indexed equality lookup. A
    leaked table of hashes still yields no usable token.
    """
    return hashlib.sha256(token.encode()).hexdigest()
