"""Purpose-bound signed tokens for per-owner links in e-mails (unsubscribe, ...).

A link must work without a login (RFC 8058 one-click unsubscribe comes from the mail
provider, with no cookie), so the token itself is the authorisation: an HMAC-SHA256 over the
owner's id, optionally an expiry, under a key derived from ``link_signing_secret`` *for one
purpose*. A token minted for one purpose never verifies for another, and nothing about the
owner but the random UUID is in it.

Format (URL-safe, no padding)::

    v1.<base64url(payload)>.<base64url(tag)>
    payload = sub (16 bytes) [| expires_at (8 bytes, unix seconds, big-endian)]
    tag     = HMAC-SHA256(HKDF(secret, info="petshots-link/<purpose>"), "v1." + payload_b64)

The tag is truncated to 128 bits, ample for an online-only forgery attempt and it keeps the
link short. Verification is constant-time and answers every failure with the same exception.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import struct
import uuid
from datetime import UTC, datetime
from urllib.parse import quote

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from petshots_core.local_secrets import resolve_secret
from petshots_core.settings import Settings

VERSION = "v1"
TAG_BYTES = 16
UNSUBSCRIBE = "unsubscribe"
_PURPOSE = re.compile(r"^[a-z][a-z0-9_-]{0,40}$")
_MAX_TOKEN_CHARS = 128


class InvalidLink(Exception):
    """Not a token this deployment signed for this purpose (or it expired)."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    if not re.fullmatch(r"[A-Za-z0-9_-]*", text):
        raise InvalidLink("not base64url")
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise InvalidLink("not base64url") from exc
    # Only the canonical spelling: unused low bits of the last character must be zero, so a
    # token has exactly one accepted form (a flipped padding bit is a different token).
    if _b64(data) != text:
        raise InvalidLink("not canonical base64url")
    return data


class LinkSigner:
    """Signs and verifies tokens for exactly one purpose."""

    def __init__(self, secret: bytes, purpose: str) -> None:
        if len(secret) < 16:
            raise ValueError("the link signing secret must be at least 16 bytes")
        if not _PURPOSE.match(purpose):
            raise ValueError(f"bad purpose {purpose!r}")
        self.purpose = purpose
        self._key = HKDF(
            algorithm=hashes.SHA256(),
            length=32,
            salt=None,
            info=f"petshots-link/{purpose}".encode(),
        ).derive(secret)

    @classmethod
    def from_settings(cls, settings: Settings, purpose: str) -> LinkSigner:
        secret = resolve_secret(settings, settings.link_signing_secret, "link_signing_secret")
        return cls(secret, purpose)

    def _tag(self, payload_b64: str) -> bytes:
        message = f"{VERSION}.{payload_b64}".encode()
        return hmac.new(self._key, message, hashlib.sha256).digest()[:TAG_BYTES]

    def sign(self, subject: uuid.UUID, *, expires_at: datetime | None = None) -> str:
        payload = subject.bytes
        if expires_at is not None:
            if expires_at.tzinfo is None:
                raise ValueError("expires_at must be timezone-aware")
            payload += struct.pack(">Q", int(expires_at.timestamp()))
        payload_b64 = _b64(payload)
        return f"{VERSION}.{payload_b64}.{_b64(self._tag(payload_b64))}"

    def verify(self, token: str, *, now: datetime | None = None) -> uuid.UUID:
        """The subject of a genuine, unexpired token; :class:`InvalidLink` otherwise."""
        if not isinstance(token, str) or len(token) > _MAX_TOKEN_CHARS:
            raise InvalidLink("malformed")
        parts = token.split(".")
        if len(parts) != 3 or parts[0] != VERSION:
            raise InvalidLink("malformed")
        _, payload_b64, tag_b64 = parts
        tag = _unb64(tag_b64)
        if not hmac.compare_digest(tag, self._tag(payload_b64)):
            raise InvalidLink("bad signature")
        payload = _unb64(payload_b64)
        if len(payload) not in (16, 24):
            raise InvalidLink("malformed")
        if len(payload) == 24:
            (expires,) = struct.unpack(">Q", payload[16:])
            instant = now or datetime.now(UTC)
            if instant.timestamp() >= expires:
                raise InvalidLink("expired")
        return uuid.UUID(bytes=payload[:16])


def unsubscribe_url(
    settings: Settings, owner_id: uuid.UUID, signer: LinkSigner | None = None
) -> str:
    """The owner's one-click unsubscribe link (never expires: old e-mails must keep working)."""
    signer = signer or LinkSigner.from_settings(settings, UNSUBSCRIBE)
    if signer.purpose != UNSUBSCRIBE:
        raise ValueError("an unsubscribe link needs the unsubscribe signer")
    token = quote(signer.sign(owner_id), safe="")
    return f"{settings.public_base_url.rstrip('/')}/auth/unsubscribe?t={token}"
