"""The local provider's two SRP login steps, with Cognito's challenge parameter names.

``start`` answers /auth/login/start (Cognito: InitiateAuth USER_SRP_AUTH -> PASSWORD_VERIFIER);
``open`` + ``finish`` answer /auth/login/finish (Cognito: RespondToAuthChallenge). Between
``open`` and ``finish`` the caller claims ``OpenedBlock.block_id`` in its replay guard (see
``secret_block.py``): that step is left to the caller because the service's guard is async
(Redis) while this module stays synchronous and framework-free.

Unknown accounts get a *decoy* challenge, as Cognito does with PreventUserExistenceErrors: the
salt and USER_ID_FOR_SRP are derived from the username with a server key, so they are stable
across attempts like a real account's, and B is as random as a real one. Finishing a decoy
fails exactly like a wrong password, after the same amount of work.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from petshots_auth import srp
from petshots_auth.secret_block import (
    DEFAULT_TTL,
    InvalidSecretBlock,
    LoginState,
    OpenedBlock,
    SecretBlockSealer,
    derive_key,
)


class SrpAccount(NamedTuple):
    """What the login needs from an account record."""

    user_id_for_srp: str
    salt_hex: str
    verifier_hex: str


class ChallengeMismatch(InvalidSecretBlock):
    """The block was issued for another account than the one finishing the login."""


@dataclass(frozen=True)
class Challenge:
    """The PASSWORD_VERIFIER challenge for one login attempt."""

    salt_hex: str
    srp_b_hex: str
    secret_block: str
    user_id_for_srp: str
    block_id: str

    def parameters(self) -> dict[str, str]:
        """ChallengeParameters exactly as Cognito names them.

        USERNAME is the internal user name, which for an e-mail-as-username pool is the same
        opaque id as USER_ID_FOR_SRP; clients send it back as the challenge response USERNAME.
        """
        return {
            "SALT": self.salt_hex,
            "SRP_B": self.srp_b_hex,
            "SECRET_BLOCK": self.secret_block,
            "USER_ID_FOR_SRP": self.user_id_for_srp,
            "USERNAME": self.user_id_for_srp,
        }


def _utcnow() -> datetime:
    return datetime.now(UTC)


class SrpLoginServer:
    """Stateless SRP login for one user pool (all state travels in the SECRET_BLOCK)."""

    def __init__(
        self,
        *,
        pool_name: str,
        sealer: SecretBlockSealer,
        decoy_key: bytes,
        max_clock_skew: timedelta = srp.DEFAULT_MAX_CLOCK_SKEW,
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        if len(decoy_key) < 16:
            raise ValueError("decoy_key must be at least 16 bytes")
        self.pool_name = pool_name
        self._sealer = sealer
        self._decoy_key = decoy_key
        self._max_clock_skew = max_clock_skew
        self._clock = clock

    @classmethod
    def from_secret(
        cls,
        *,
        user_pool_id: str,
        secret: bytes | str,
        ttl: timedelta = DEFAULT_TTL,
        max_clock_skew: timedelta = srp.DEFAULT_MAX_CLOCK_SKEW,
        clock: Callable[[], datetime] = _utcnow,
    ) -> SrpLoginServer:
        """Build from one settings secret; sealing and decoy keys are derived separately."""
        pool_name = srp.pool_name_from_pool_id(user_pool_id)
        sealer = SecretBlockSealer(
            [derive_key(secret, purpose="srp-secret-block")],
            context=pool_name,
            ttl=ttl,
        )
        return cls(
            pool_name=pool_name,
            sealer=sealer,
            decoy_key=derive_key(secret, purpose="srp-decoy"),
            max_clock_skew=max_clock_skew,
            clock=clock,
        )

    def start(self, account: SrpAccount | None, *, username: str, srp_a_hex: str) -> Challenge:
        """Answer the client's SRP_A; ``account`` None means no such user (decoy challenge)."""
        srp_a = srp.parse_srp_a(srp_a_hex)
        if account is None:
            account = self._decoy_account(username)
        b, srp_b = srp.start(account.verifier_hex, srp_a)
        state = LoginState(user_id_for_srp=account.user_id_for_srp, srp_a=srp_a, srp_b=srp_b, b=b)
        secret_block, block_id = self._sealer.seal(state, now=self._clock())
        return Challenge(
            salt_hex=account.salt_hex,
            srp_b_hex=f"{srp_b:x}",
            secret_block=secret_block,
            user_id_for_srp=account.user_id_for_srp,
            block_id=block_id,
        )

    def open(self, secret_block: str) -> OpenedBlock:
        """Authenticate and age-check the echoed SECRET_BLOCK (claim its id next)."""
        return self._sealer.open(secret_block, now=self._clock())

    def finish(
        self,
        opened: OpenedBlock,
        account: SrpAccount | None,
        *,
        timestamp: str,
        signature: str,
    ) -> str:
        """Check the password claim; return the USER_ID_FOR_SRP that proved its password.

        ``account`` is looked up by the username the client sent with its answer; None (no
        such user) fails like a wrong password. Raises an ``SrpError`` subclass on failure:
        :class:`srp.PasswordClaimMismatch` is the one that means "wrong password".
        """
        state = opened.state
        if account is None:
            # Same work as a real check, against a verifier nobody knows the password of.
            account = SrpAccount(
                state.user_id_for_srp, "", srp.pad_hex(secrets.randbelow(srp.N - 1) + 1)
            )
        elif not hmac.compare_digest(
            account.user_id_for_srp.encode(), state.user_id_for_srp.encode()
        ):
            raise ChallengeMismatch("secret block belongs to another account")
        srp.verify(
            pool_name=self.pool_name,
            user_id_for_srp=state.user_id_for_srp,
            verifier_hex=account.verifier_hex,
            srp_a=state.srp_a,
            srp_b=state.srp_b,
            b=state.b,
            secret_block=opened.raw,
            timestamp=timestamp,
            signature_b64=signature,
            now=self._clock(),
            max_clock_skew=self._max_clock_skew,
        )
        return state.user_id_for_srp

    def _decoy_account(self, username: str) -> SrpAccount:
        def derive(label: str) -> bytes:
            message = f"{label}\0{username}".encode()
            return hmac.new(self._decoy_key, message, hashlib.sha256).digest()

        salt_int = int.from_bytes(derive("salt")[: srp.SALT_BYTES], "big") or 1
        user_id = str(uuid.UUID(bytes=derive("user-id")[:16], version=4))
        # B = k*v + g^b with v uniform mod N is itself uniform, like a real B; no need to spend
        # a modular exponentiation on a "real" verifier for a password that does not exist.
        verifier = srp.pad_hex(secrets.randbelow(srp.N - 1) + 1)
        return SrpAccount(user_id, srp.pad_hex(salt_int), verifier)
