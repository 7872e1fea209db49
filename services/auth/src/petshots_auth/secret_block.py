"""SECRET_BLOCK: the server's SRP state between /auth/login/start and /auth/login/finish.

Design: the state is *sealed into the block itself* (AES-256-GCM, authenticated and encrypted)
instead of being stored server-side under a random session id. Why:

* the ephemeral secret ``b`` never lands in Redis or Postgres, so a leak of either (a backup, a
  replica, a debug dump) cannot be used to finish someone's login;
* any replica can finish a login another replica started without sharing that secret state, and
  a restart in between loses nothing;
* it is what Cognito does: its SECRET_BLOCK is an opaque sealed blob the client echoes back, so
  clients already treat it as bytes they must not understand.

What sealing alone cannot give is single use, so every block carries a random 128-bit
``block_id`` and the caller must *claim* that id (Redis ``SET NX`` with the block's remaining
lifetime in the service, :class:`MemoryReplayGuard` in a single process) before checking the
password claim. That shared state is only a random id with a TTL: harmless if it leaks. A claim
is spent even when the password turns out wrong, so every guess needs a fresh /login/start
(which is where throttling lives) and a captured finish request cannot be replayed.

Block format (all integers big-endian)::

    version (1) | nonce (12) | AES-GCM(key, nonce, plaintext, aad = version | context)
    plaintext = issued_at (8, unix seconds) | block_id (16) | b (32) | A (384) | B (384)
                | user_id_for_srp (UTF-8, rest)

The client needs A back at finish time and Cognito's RespondToAuthChallenge does not resend it,
so A travels inside the block. ``context`` (the pool name) goes into the AEAD's associated data
so a block from one pool, or one built for another purpose with the same key, never opens here.
"""

from __future__ import annotations

import base64
import binascii
import secrets
import struct
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from petshots_auth.srp import EPHEMERAL_BITS, N_BYTES, SrpError

VERSION = 1
DEFAULT_TTL = timedelta(minutes=3)
KEY_BYTES = 32
_NONCE_BYTES = 12
_ID_BYTES = 16
_B_BYTES = EPHEMERAL_BITS // 8
_HEADER = struct.Struct(f">Q{_ID_BYTES}s{_B_BYTES}s{N_BYTES}s{N_BYTES}s")
# Replicas' clocks drift a little; a block "issued" slightly in the future is fine, one issued
# far in the future means a wrong key or clock and is refused.
_FUTURE_TOLERANCE = timedelta(seconds=30)
# Base64 of the largest block we could have issued (user ids are short UUIDs; 256 is generous).
_MAX_BLOCK_CHARS = 4 * (1 + _NONCE_BYTES + _HEADER.size + 256 + 16) // 3 + 4


class InvalidSecretBlock(SrpError):
    """Not a block this server issued for this pool: garbage, tampered, or foreign key."""


class SecretBlockExpired(InvalidSecretBlock):
    """A genuine block whose time is up; the client must start the login again."""


@dataclass(frozen=True)
class LoginState:
    """The SRP values the server needs again when the client answers the challenge."""

    user_id_for_srp: str
    srp_a: int
    srp_b: int
    b: int = field(repr=False)


@dataclass(frozen=True)
class OpenedBlock:
    """A block that authenticated and has not expired; not yet claimed (see module doc)."""

    state: LoginState
    block_id: str
    issued_at: datetime
    expires_at: datetime
    raw: bytes = field(repr=False)  # the exact bytes the client signs over


def derive_key(secret: bytes | str, *, purpose: str = "srp-secret-block") -> bytes:
    """Derive a 32-byte AES key from a settings secret of any length (HKDF-SHA256)."""
    ikm = secret.encode() if isinstance(secret, str) else secret
    if len(ikm) < 16:
        raise ValueError("the secret for sealing SRP blocks must be at least 16 bytes")
    hkdf = HKDF(
        algorithm=hashes.SHA256(),
        length=KEY_BYTES,
        salt=None,
        info=f"petshots-auth/{purpose}".encode(),
    )
    return hkdf.derive(ikm)


class SecretBlockSealer:
    """Seals and opens SECRET_BLOCKs. ``keys[0]`` seals; every key opens (for key rotation)."""

    def __init__(
        self, keys: Sequence[bytes], *, context: str, ttl: timedelta = DEFAULT_TTL
    ) -> None:
        if not keys:
            raise ValueError("at least one sealing key is required")
        if any(len(key) != KEY_BYTES for key in keys):
            raise ValueError(f"sealing keys must be {KEY_BYTES} bytes")
        if ttl <= timedelta(0):
            raise ValueError("ttl must be positive")
        self._aeads = [AESGCM(key) for key in keys]
        self._aad = bytes([VERSION]) + context.encode()
        self.ttl = ttl

    def seal(self, state: LoginState, *, now: datetime) -> tuple[str, str]:
        """Return ``(secret_block_b64, block_id)`` for a fresh challenge."""
        block_id = secrets.token_bytes(_ID_BYTES)
        plaintext = (
            _HEADER.pack(
                int(now.timestamp()),
                block_id,
                state.b.to_bytes(_B_BYTES, "big"),
                state.srp_a.to_bytes(N_BYTES, "big"),
                state.srp_b.to_bytes(N_BYTES, "big"),
            )
            + state.user_id_for_srp.encode()
        )
        nonce = secrets.token_bytes(_NONCE_BYTES)
        sealed = bytes([VERSION]) + nonce + self._aeads[0].encrypt(nonce, plaintext, self._aad)
        return base64.b64encode(sealed).decode("ascii"), block_id.hex()

    def open(self, secret_block_b64: str, *, now: datetime) -> OpenedBlock:
        """Authenticate, decrypt and check the age of a block the client echoed back."""
        if len(secret_block_b64) > _MAX_BLOCK_CHARS:
            raise InvalidSecretBlock("secret block is too long")
        try:
            raw = base64.b64decode(secret_block_b64, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise InvalidSecretBlock("secret block is not base64") from exc
        if len(raw) < 1 + _NONCE_BYTES or raw[0] != VERSION:
            raise InvalidSecretBlock("unknown secret block version")
        nonce, ciphertext = raw[1 : 1 + _NONCE_BYTES], raw[1 + _NONCE_BYTES :]
        plaintext = self._decrypt(nonce, ciphertext)
        if len(plaintext) <= _HEADER.size:
            raise InvalidSecretBlock("secret block is truncated")
        issued, block_id, b, srp_a, srp_b = _HEADER.unpack_from(plaintext)
        issued_at = datetime.fromtimestamp(issued, UTC)
        expires_at = issued_at + self.ttl
        if issued_at > now + _FUTURE_TOLERANCE:
            raise InvalidSecretBlock("secret block was issued in the future")
        if now >= expires_at:
            raise SecretBlockExpired("secret block has expired")
        state = LoginState(
            user_id_for_srp=plaintext[_HEADER.size :].decode(),
            srp_a=int.from_bytes(srp_a, "big"),
            srp_b=int.from_bytes(srp_b, "big"),
            b=int.from_bytes(b, "big"),
        )
        return OpenedBlock(
            state=state,
            block_id=block_id.hex(),
            issued_at=issued_at,
            expires_at=expires_at,
            raw=raw,
        )

    def _decrypt(self, nonce: bytes, ciphertext: bytes) -> bytes:
        for aead in self._aeads:
            try:
                return aead.decrypt(nonce, ciphertext, self._aad)
            except InvalidTag:
                continue
        raise InvalidSecretBlock("secret block failed authentication")


class MemoryReplayGuard:
    """Single-process record of claimed block ids (tests, a single-replica dev server).

    Several replicas need a shared store instead (Redis ``SET key 1 NX PXAT expires_at``); the
    contract is the same: ``claim`` answers True exactly once per id until the block expires.
    """

    def __init__(self) -> None:
        self._claimed: dict[str, datetime] = {}
        self._lock = threading.Lock()

    def claim(self, block_id: str, expires_at: datetime, *, now: datetime) -> bool:
        with self._lock:
            # Forget ids whose blocks expired: those blocks fail to open anyway.
            for stale in [k for k, until in self._claimed.items() if until <= now]:
                del self._claimed[stale]
            if block_id in self._claimed:
                return False
            self._claimed[block_id] = expires_at
            return True
