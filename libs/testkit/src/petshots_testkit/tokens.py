"""A test identity provider: an RSA key, its JWKS, and Cognito-shaped tokens — good or forged."""

from __future__ import annotations

import base64
import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

CLIENT_ID = "petshots-web"


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class TokenIssuer:
    issuer: str
    client_id: str = CLIENT_ID
    kid: str = field(default_factory=lambda: uuid.uuid4().hex)
    key: rsa.RSAPrivateKey = field(default_factory=_new_key)

    def jwks(self) -> dict[str, Any]:
        jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**jwk, "kid": self.kid, "alg": "RS256", "use": "sig"}]}

    def claims(self, subject: uuid.UUID, /, **overrides: Any) -> dict[str, Any]:
        now = int(time.time())
        base: dict[str, Any] = {
            "sub": str(subject),
            "iss": self.issuer,
            "client_id": self.client_id,
            "token_use": "access",
            "scope": "aws.cognito.signin.user.admin",
            "auth_time": now,
            "iat": now,
            "exp": now + 3600,
            "jti": uuid.uuid4().hex,
            "username": str(subject),
        }
        base.update(overrides)
        return {k: v for k, v in base.items() if v is not None}

    def token(
        self, subject: uuid.UUID, /, *, headers: dict[str, Any] | None = None, **claims: Any
    ) -> str:
        return jwt.encode(
            self.claims(subject, **claims),
            self.key,
            algorithm="RS256",
            headers={"kid": self.kid, **(headers or {})},
        )

    def forged(self, sub: uuid.UUID) -> dict[str, str]:
        """Every way a token should fail, each named: the catalogue the services must reject."""
        now = int(time.time())
        other = _new_key()
        public_pem = self.key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        good = self.claims(sub)
        return {
            "signed_by_another_key": jwt.encode(
                good, other, algorithm="RS256", headers={"kid": self.kid}
            ),
            "expired": self.token(sub, iat=now - 7200, exp=now - 3600),
            "alg_none": _unsigned(good, self.kid),
            # The classic confusion attack: HMAC keyed with the RSA public key.
            "hs256_with_public_key": _hs256(good, public_pem, self.kid),
            "wrong_issuer": self.token(sub, iss="https://evil.example/auth"),
            "wrong_client_id": self.token(sub, client_id="someone-else"),
            "id_token": self.token(sub, token_use="id", aud=self.client_id),
            "unknown_kid": self.token(sub, headers={"kid": "not-a-known-kid"}),
            "no_kid": jwt.encode(good, self.key, algorithm="RS256"),
            "missing_exp": self.token(sub, exp=None),
            "sub_not_uuid": self.token(sub, sub="admin"),
            "tampered_payload": _tamper(self.token(sub)),
            "garbage": "not.a.jwt",
        }


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unsigned(claims: dict[str, Any], kid: str) -> str:
    header = _b64(json.dumps({"alg": "none", "typ": "JWT", "kid": kid}).encode())
    return f"{header}.{_b64(json.dumps(claims).encode())}."


def _hs256(claims: dict[str, Any], secret: bytes, kid: str) -> str:
    import hashlib
    import hmac

    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": kid}).encode())
    payload = _b64(json.dumps(claims).encode())
    signing_input = f"{header}.{payload}".encode()
    signature = hmac.new(secret, signing_input, hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64(signature)}"


def _tamper(token: str) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["sub"] = str(uuid.uuid4())
    return f"{header}.{_b64(json.dumps(claims).encode())}.{signature}"
