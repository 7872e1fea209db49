"""Passport tokens: random, looked up by hash, kept sealed so the owner can see them again.

* A token is 24 bytes from the OS CSPRNG (192 bits), URL-safe base64: 32 characters. It is
  not derived from any id.
* The database holds SHA-256(token) for lookup (a unique index) — a plain hash suffices
  because the input is 192 random bits: there is nothing to brute-force — and the token
  sealed with AES-256-GCM under a key that lives outside the database. A dump of the
  database alone opens no passport; with the key, the owner's own QR code can be redrawn.
* The passport id is the AEAD's associated data: a sealed token copied onto another row
  does not open.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import uuid

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from petshots_core.local_secrets import MissingSecret, resolve_secret
from petshots_passport.settings import PassportSettings

TOKEN_BYTES = 24
TOKEN_LENGTH = 32  # len(token_urlsafe(24))
_TOKEN_SHAPE = re.compile(rf"[A-Za-z0-9_-]{{{TOKEN_LENGTH}}}")

_SEAL_VERSION = b"\x01"
_NONCE_BYTES = 12
_HKDF_INFO = b"petshots passport token seal v1"
MIN_SECRET_BYTES = 32


class SealError(Exception):
    """A sealed token could not be opened (wrong key, wrong row, or damaged)."""


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def is_token_shaped(candidate: str) -> bool:
    """Cheap pre-check: anything else is answered 404 without touching the database."""
    return _TOKEN_SHAPE.fullmatch(candidate) is not None


def token_hash(token: str) -> bytes:
    return hashlib.sha256(token.encode("ascii")).digest()


class TokenSealer:
    def __init__(self, secret: bytes) -> None:
        if len(secret) < MIN_SECRET_BYTES:
            raise MissingSecret(
                f"PETSHOTS_PASSPORT_SEALING_KEY must be at least {MIN_SECRET_BYTES} bytes"
            )
        # HKDF turns any long enough secret (a random string from a secrets manager) into a
        # uniformly random 256-bit AES key dedicated to this one purpose.
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_HKDF_INFO).derive(secret)
        self._aead = AESGCM(key)

    @classmethod
    def from_settings(cls, settings: PassportSettings) -> TokenSealer:
        return cls(resolve_secret(settings, settings.passport_sealing_key, "passport_sealing_key"))

    def seal(self, token: str, passport_id: uuid.UUID) -> bytes:
        nonce = os.urandom(_NONCE_BYTES)
        return _SEAL_VERSION + nonce + self._aead.encrypt(nonce, token.encode(), passport_id.bytes)

    def open(self, sealed: bytes, passport_id: uuid.UUID) -> str:
        if len(sealed) < 1 + _NONCE_BYTES + 16 or sealed[:1] != _SEAL_VERSION:
            raise SealError("unknown seal format")
        nonce, body = sealed[1 : 1 + _NONCE_BYTES], sealed[1 + _NONCE_BYTES :]
        try:
            return self._aead.decrypt(nonce, body, passport_id.bytes).decode()
        except InvalidTag as exc:
            raise SealError("seal does not open with this key for this passport") from exc
