"""The embedded identity provider: accounts in Postgres, codes by e-mail, Cognito-style SRP.

What it stores per account is an SRP verifier (``v = g^x mod N``) and its salt, never the
password; sign-up and reset receive the password once, derive the verifier and drop it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from datetime import UTC, datetime, timedelta
from typing import Final

import structlog
from redis.exceptions import RedisError
from sqlalchemy import delete, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from petshots_auth import emails, srp
from petshots_auth.backends.base import (
    AuthTokens,
    InvalidCode,
    InvalidRefreshToken,
    LoginChallenge,
    NotConfirmed,
    ProviderUnavailable,
    SignUpOutcome,
    WrongCredentials,
)
from petshots_auth.keys import KeySet
from petshots_auth.login_session import (
    InvalidLoginSession,
    LoginSession,
    LoginSessionSealer,
    block_binding,
)
from petshots_auth.owners import (
    live_refresh_token,
    revoke_all_refresh_tokens,
    revoke_refresh_token,
    store_refresh_token,
)
from petshots_auth.secret_block import derive_key
from petshots_auth.settings import AuthSettings
from petshots_auth.srp_login import SrpAccount, SrpLoginServer
from petshots_auth.throttle import RedisReplayGuard
from petshots_auth.tokens import Identity, TokenIssuer, new_refresh_token
from petshots_core.mail import Email, MailSender, MailSendError
from petshots_core.models import IdentityCode, LocalIdentity, Owner, new_storage_prefix, utcnow

log = structlog.get_logger(__name__)

CONFIRM = "confirm"
RESET = "reset"


class LocalBackend:
    name: Final = "local"

    def __init__(
        self,
        settings: AuthSettings,
        *,
        secret: bytes,
        keyset: KeySet,
        mailer: MailSender,
        replay_guard: RedisReplayGuard,
    ) -> None:
        self.settings = settings
        self.keyset = keyset
        self.srp = SrpLoginServer.from_secret(user_pool_id=settings.user_pool_id, secret=secret)
        self.sessions = LoginSessionSealer(secret)
        self.issuer = TokenIssuer(
            keyset,
            issuer=settings.token_issuer,
            client_id=settings.client_id,
            access_ttl=timedelta(seconds=settings.access_token_ttl_s),
            id_ttl=timedelta(seconds=settings.access_token_ttl_s),
        )
        self._code_key = derive_key(secret, purpose="email-codes")
        self._mailer = mailer
        self._guard = replay_guard

    # --- helpers ---

    def public_config(self) -> dict[str, str | None]:
        return {"user_pool_id": self.settings.user_pool_id, "region": None}

    async def _identity(
        self, db: AsyncSession, email: str, *, lock: bool = False
    ) -> LocalIdentity | None:
        stmt = select(LocalIdentity).where(col(LocalIdentity.email) == email)
        if lock:
            stmt = stmt.with_for_update()
        return (await db.execute(stmt)).scalar_one_or_none()

    def _verifier(self, sub: uuid.UUID, password: str) -> srp.Verifier:
        return srp.make_verifier(self.srp.pool_name, str(sub), password)

    def _code_hash(self, sub: uuid.UUID, purpose: str, code: str) -> bytes:
        message = f"{sub}:{purpose}:{code}".encode()
        return hmac.new(self._code_key, message, hashlib.sha256).digest()

    async def _new_code(self, db: AsyncSession, sub: uuid.UUID, purpose: str) -> str:
        code = f"{secrets.randbelow(10**6):06d}"
        ttl = (
            self.settings.confirm_code_ttl_s
            if purpose == CONFIRM
            else self.settings.reset_code_ttl_s
        )
        await db.execute(
            text(
                "INSERT INTO identity_codes"
                " (sub, purpose, code_hash, attempts, created_at, expires_at)"
                " VALUES (:sub, :purpose, :hash, 0, now(), now() + make_interval(secs => :ttl))"
                " ON CONFLICT (sub, purpose) DO UPDATE SET code_hash = EXCLUDED.code_hash,"
                " attempts = 0, created_at = now(), expires_at = EXCLUDED.expires_at"
            ),
            {
                "sub": sub,
                "purpose": purpose,
                "hash": self._code_hash(sub, purpose, code),
                "ttl": ttl,
            },
        )
        return code

    async def _use_code(self, db: AsyncSession, sub: uuid.UUID, purpose: str, code: str) -> None:
        """Spend a correct code, or count a wrong attempt (committed) and raise InvalidCode."""
        row = (
            await db.execute(
                select(IdentityCode)
                .where(col(IdentityCode.sub) == sub, col(IdentityCode.purpose) == purpose)
                .with_for_update()
            )
        ).scalar_one_or_none()
        if (
            row is None
            or row.expires_at <= utcnow()
            or row.attempts >= self.settings.code_max_attempts
        ):
            raise InvalidCode()
        if not hmac.compare_digest(row.code_hash, self._code_hash(sub, purpose, code)):
            row.attempts += 1
            await db.commit()  # the failed attempt must count although the request fails
            raise InvalidCode()
        await db.delete(row)

    async def _send(self, mail: Email) -> None:
        try:
            await self._mailer.send(mail)
        except MailSendError as exc:
            # The account is saved; the owner can ask for the code again.
            log.error("identity_mail_failed", reason=exc.reason, permanent=exc.permanent)

    # --- sign-up and confirmation ---

    async def sign_up(self, db: AsyncSession, email: str, password: str) -> SignUpOutcome:
        existing = await self._identity(db, email, lock=True)
        if existing is not None and existing.email_verified:
            self._verifier(uuid.uuid4(), password)  # the same work as a real sign-up
            return SignUpOutcome.EXISTS
        if existing is not None:
            # Nobody has proven this address yet: the newest sign-up replaces the password and
            # gets a fresh code. Only whoever reads the mailbox can finish either of them.
            sub = existing.sub
            verifier = self._verifier(sub, password)
            existing.srp_salt, existing.srp_verifier = verifier
            existing.password_changed_at = utcnow()
        else:
            sub = uuid.uuid4()
            verifier = self._verifier(sub, password)
            try:
                async with db.begin_nested():
                    db.add(
                        Owner(
                            id=sub,
                            email=email,
                            storage_prefix=new_storage_prefix(),
                            due_soon_days=self.settings.due_soon_days_default,
                        )
                    )
                    await db.flush()
                    db.add(
                        LocalIdentity(
                            sub=sub,
                            email=email,
                            srp_salt=verifier.salt_hex,
                            srp_verifier=verifier.verifier_hex,
                        )
                    )
                    await db.flush()
            except IntegrityError:
                return SignUpOutcome.EXISTS  # a concurrent sign-up won the race
        code = await self._new_code(db, sub, CONFIRM)
        await db.commit()
        await self._send(emails.confirmation_code(email, code, self.settings.public_base_url))
        return SignUpOutcome.CREATED

    async def confirm(self, db: AsyncSession, email: str, code: str) -> None:
        identity = await self._identity(db, email, lock=True)
        if identity is None or identity.email_verified:
            raise InvalidCode()
        await self._use_code(db, identity.sub, CONFIRM, code)
        identity.email_verified = True
        await db.flush()

    async def resend_code(self, db: AsyncSession, email: str) -> None:
        identity = await self._identity(db, email, lock=True)
        if identity is None or identity.email_verified:
            return
        code = await self._new_code(db, identity.sub, CONFIRM)
        await db.commit()
        await self._send(emails.confirmation_code(email, code, self.settings.public_base_url))

    # --- SRP login ---

    async def login_start(self, db: AsyncSession, email: str, srp_a: str) -> LoginChallenge:
        identity = await self._identity(db, email)
        account = (
            SrpAccount(str(identity.sub), identity.srp_salt, identity.srp_verifier)
            if identity is not None
            else None
        )
        challenge = self.srp.start(account, username=email, srp_a_hex=srp_a)
        session = self.sessions.seal(
            LoginSession(
                email=email,
                user_id_for_srp=challenge.user_id_for_srp,
                block_binding=block_binding(challenge.secret_block),
                decoy=account is None,
            )
        )
        return LoginChallenge(session=session, challenge_parameters=challenge.parameters())

    async def login_finish(
        self,
        db: AsyncSession,
        *,
        session: str,
        email: str,
        timestamp: str,
        secret_block: str,
        signature: str,
    ) -> AuthTokens:
        try:
            login = self.sessions.open_for(session, email=email, secret_block=secret_block)
        except InvalidLoginSession as exc:
            raise WrongCredentials() from exc
        try:
            opened = self.srp.open(secret_block)
        except srp.SrpError as exc:
            raise WrongCredentials() from exc
        try:
            fresh = await self._guard.claim(
                opened.block_id, int(opened.expires_at.timestamp() * 1000)
            )
        except (RedisError, OSError) as exc:
            raise ProviderUnavailable() from exc  # no replay protection, no login
        if not fresh:
            raise WrongCredentials()
        identity = None if login.decoy else await self._identity(db, email)
        account = (
            SrpAccount(str(identity.sub), identity.srp_salt, identity.srp_verifier)
            if identity is not None
            else None
        )
        try:
            self.srp.finish(opened, account, timestamp=timestamp, signature=signature)
        except srp.SrpError as exc:
            raise WrongCredentials() from exc
        assert identity is not None  # finish() always fails without an account
        if not identity.email_verified:
            raise NotConfirmed()
        now = datetime.now(UTC)
        issued = self.issuer.issue(self._token_identity(identity), auth_time=now)
        refresh = new_refresh_token()
        await store_refresh_token(
            db,
            refresh,
            sub=identity.sub,
            origin_jti=issued.origin_jti,
            auth_time=now,
            ttl=timedelta(seconds=self.settings.refresh_token_ttl_s),
        )
        return AuthTokens(
            access_token=issued.access_token,
            id_token=issued.id_token,
            expires_in=issued.expires_in,
            sub=identity.sub,
            refresh_token=refresh,
        )

    @staticmethod
    def _token_identity(identity: LocalIdentity) -> Identity:
        # Like a Cognito pool with e-mail as the username: the user name is the opaque sub.
        return Identity(
            sub=str(identity.sub),
            username=str(identity.sub),
            email=identity.email,
            email_verified=identity.email_verified,
        )

    # --- refresh and logout ---

    async def refresh(self, db: AsyncSession, refresh_token: str) -> AuthTokens:
        row = await live_refresh_token(db, refresh_token)
        if row is None:
            raise InvalidRefreshToken()
        identity = await db.get(LocalIdentity, row.sub)
        if identity is None or not identity.email_verified:
            raise InvalidRefreshToken()
        issued = self.issuer.issue(
            self._token_identity(identity), auth_time=row.auth_time, origin_jti=row.origin_jti
        )
        return AuthTokens(
            access_token=issued.access_token,
            id_token=issued.id_token,
            expires_in=issued.expires_in,
            sub=identity.sub,
        )

    async def revoke(self, db: AsyncSession, refresh_token: str, sub: uuid.UUID) -> None:
        await revoke_refresh_token(db, refresh_token, sub)

    # --- forgotten password ---

    async def forgot_password(self, db: AsyncSession, email: str) -> None:
        identity = await self._identity(db, email, lock=True)
        if identity is None:
            return
        code = await self._new_code(db, identity.sub, RESET)
        await db.commit()
        await self._send(emails.reset_code(email, code, self.settings.public_base_url))

    async def reset_password(self, db: AsyncSession, email: str, code: str, password: str) -> None:
        identity = await self._identity(db, email, lock=True)
        if identity is None:
            raise InvalidCode()
        await self._use_code(db, identity.sub, RESET, code)
        identity.srp_salt, identity.srp_verifier = self._verifier(identity.sub, password)
        identity.password_changed_at = utcnow()
        # Reading the code proves the address, exactly as the confirmation code would.
        identity.email_verified = True
        await db.execute(
            delete(IdentityCode).where(
                col(IdentityCode.sub) == identity.sub, col(IdentityCode.purpose) == CONFIRM
            )
        )
        await revoke_all_refresh_tokens(db, identity.sub)
        await db.flush()

    # --- account ---

    async def email_of(self, db: AsyncSession, sub: uuid.UUID) -> tuple[str | None, bool]:
        identity = await db.get(LocalIdentity, sub)
        if identity is None:
            return None, False
        return identity.email, identity.email_verified

    async def delete_identity(self, db: AsyncSession, sub: uuid.UUID) -> None:
        # Same transaction as the owner's rows: the identity goes first, all of it commits
        # together (codes and refresh tokens cascade).
        await db.execute(delete(LocalIdentity).where(col(LocalIdentity.sub) == sub))
