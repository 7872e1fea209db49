"""The dev RSA signing key, its JWKS, and access tokens minted with it (Cognito-shaped claims).

The key is made once and kept under ``.petshots/dev-keys/`` so tokens minted before a restart
of ``petshots-dev up`` still verify after it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from petshots_devstack.addresses import TOKEN_CLIENT_ID, TOKEN_ISSUER

ALGORITHM = "RS256"
KEY_FILE = "signing-key.pem"
JWKS_FILE = "jwks.json"
ACCESS_TOKEN_LIFETIME_S = 3600
# What Cognito puts in an access token from SRP login with the default app-client scopes.
COGNITO_SCOPE = "aws.cognito.signin.user.admin"


@dataclass(frozen=True)
class DevKey:
    private_key: rsa.RSAPrivateKey
    kid: str
    jwks_path: Path

    def public_jwk(self) -> dict[str, Any]:
        """The public key as Cognito publishes its keys: ``alg, e, kid, kty, n, use``."""
        jwk: dict[str, Any] = RSAAlgorithm.to_jwk(self.private_key.public_key(), as_dict=True)
        return {
            "alg": ALGORITHM,
            "e": jwk["e"],
            "kid": self.kid,
            "kty": "RSA",
            "n": jwk["n"],
            "use": "sig",
        }


def ensure_dev_key(directory: Path) -> DevKey:
    """Load the dev key from ``directory``, creating it (and its JWKS) on first use."""
    directory.mkdir(parents=True, exist_ok=True)
    key_path = directory / KEY_FILE
    if not key_path.exists():
        _write_private(key_path, _new_key_pem())
    loaded = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    if not isinstance(loaded, rsa.RSAPrivateKey):
        raise ValueError(f"{key_path} is not an RSA private key")
    key = DevKey(loaded, _thumbprint(loaded.public_key()), directory / JWKS_FILE)
    # Rewritten every time: cheap, and it can never drift from the key beside it.
    key.jwks_path.write_text(json.dumps({"keys": [key.public_jwk()]}, indent=2) + "\n")
    return key


def mint_access_token(
    key: DevKey,
    *,
    sub: uuid.UUID | None = None,
    issuer: str = TOKEN_ISSUER,
    client_id: str = TOKEN_CLIENT_ID,
    lifetime_s: int = ACCESS_TOKEN_LIFETIME_S,
    now: int | None = None,
) -> str:
    issued_at = int(time.time()) if now is None else now
    subject = str(sub or uuid.uuid4())
    claims = {
        "sub": subject,
        "iss": issuer,
        "client_id": client_id,
        "token_use": "access",
        "scope": COGNITO_SCOPE,
        "auth_time": issued_at,
        "iat": issued_at,
        "exp": issued_at + lifetime_s,
        "jti": str(uuid.uuid4()),
        "username": subject,
    }
    return jwt.encode(claims, key.private_key, algorithm=ALGORITHM, headers={"kid": key.kid})


def _new_key_pem() -> bytes:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _write_private(path: Path, data: bytes) -> None:
    # Created 0600 from the start and renamed into place: never world-readable, never seen
    # half-written.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    tmp.replace(path)


def _thumbprint(public_key: rsa.RSAPublicKey) -> str:
    """RFC 7638 JWK thumbprint: a kid that is stable for the key and derived from it alone."""
    numbers = public_key.public_numbers()
    members = {"e": _b64uint(numbers.e), "kty": "RSA", "n": _b64uint(numbers.n)}
    canonical = json.dumps(members, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(hashlib.sha256(canonical).digest()).rstrip(b"=").decode()


def _b64uint(value: int) -> str:
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
