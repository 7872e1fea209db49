"""The ``session`` value that /auth/login/start hands out and /auth/login/finish takes back.

It is sealed (AES-256-GCM) server state, like the SECRET_BLOCK: the e-mail the login started
for, the account's USER_ID_FOR_SRP, a binding to the SECRET_BLOCK issued with it, whether the
challenge was a decoy, and — for Cognito — Cognito's own Session. ``finish`` therefore needs
no server-side storage, works on any replica, and refuses a block paired with another login's
session or a session replayed with another e-mail.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from petshots_auth.secret_block import derive_key

_VERSION = b"\x01"
_AAD = b"petshots-auth/login-session/v1"
_MAX_CHARS = 8192


class InvalidLoginSession(Exception):
    pass


@dataclass(frozen=True)
class LoginSession:
    email: str
    user_id_for_srp: str
    block_binding: str
    decoy: bool = False
    provider_session: str = ""


def block_binding(secret_block: str) -> str:
    """What ties a session to its SECRET_BLOCK (a digest: the block itself is not repeated)."""
    return hashlib.sha256(secret_block.encode()).hexdigest()[:32]


class LoginSessionSealer:
    def __init__(self, secret: bytes, *, ttl_s: int = 180) -> None:
        self._aead = AESGCM(derive_key(secret, purpose="login-session"))
        self.ttl_s = ttl_s

    def seal(self, session: LoginSession, *, now: float | None = None) -> str:
        issued = now if now is not None else time.time()
        payload = json.dumps(
            {
                "e": session.email,
                "u": session.user_id_for_srp,
                "b": session.block_binding,
                "d": session.decoy,
                "s": session.provider_session,
                "x": int(issued) + self.ttl_s,
            },
            separators=(",", ":"),
        ).encode()
        nonce = secrets.token_bytes(12)
        sealed = _VERSION + nonce + self._aead.encrypt(nonce, payload, _AAD)
        return base64.urlsafe_b64encode(sealed).decode("ascii")

    def open(self, value: str, *, now: float | None = None) -> LoginSession:
        if not value or len(value) > _MAX_CHARS:
            raise InvalidLoginSession("malformed")
        try:
            raw = base64.urlsafe_b64decode(value.encode("ascii"))
        except (binascii.Error, ValueError, UnicodeEncodeError) as exc:
            raise InvalidLoginSession("malformed") from exc
        if len(raw) < 13 or raw[:1] != _VERSION:
            raise InvalidLoginSession("malformed")
        try:
            payload = json.loads(self._aead.decrypt(raw[1:13], raw[13:], _AAD))
        except (InvalidTag, ValueError) as exc:
            raise InvalidLoginSession("not ours") from exc
        if (now if now is not None else time.time()) >= payload["x"]:
            raise InvalidLoginSession("expired")
        return LoginSession(
            email=payload["e"],
            user_id_for_srp=payload["u"],
            block_binding=payload["b"],
            decoy=bool(payload["d"]),
            provider_session=payload["s"],
        )

    def open_for(self, value: str, *, email: str, secret_block: str) -> LoginSession:
        """``open``, and refuse a session started for another address or issued with another
        SECRET_BLOCK (compared in constant time): what /auth/login/finish accepts."""
        login = self.open(value)
        same_email = hmac.compare_digest(login.email.encode(), email.encode())
        same_block = hmac.compare_digest(login.block_binding, block_binding(secret_block))
        if not (same_email and same_block):
            raise InvalidLoginSession("not this login's")
        return login
