"""Identity rules on top of either backend: validation, CAPTCHA, throttling, no enumeration."""

from __future__ import annotations

import re
import unicodedata

import structlog

from petshots_auth import emails
from petshots_auth.backends.base import SignUpOutcome, WrongCredentials
from petshots_auth.captcha import CaptchaOutcome
from petshots_auth.context import PublicCtx
from petshots_auth.domain.identity import schemas
from petshots_auth.errors import WRONG_CREDENTIALS, translated
from petshots_core.mail import MailSendError
from petshots_core.web.errors import ApiError

log = structlog.get_logger(__name__)

# Deliberately simple: one "@", a dot in the domain, no spaces or control characters. The
# real test of an address is the code we mail to it.
_EMAIL = re.compile(
    r"^[^@\s\x00-\x1f\x7f]{1,64}@[^@\s\x00-\x1f\x7f]{1,252}\.[^@\s\x00-\x1f\x7f.]{2,63}$"
)
MIN_PASSWORD = 8


def normalise_email(raw: str) -> str:
    """Trimmed, NFC, lower-cased; 422 when it cannot be an address (the same for everyone)."""
    email = unicodedata.normalize("NFC", raw.strip()).lower()
    if len(email) > 254 or not _EMAIL.match(email) or ".." in email.split("@", 1)[1]:
        raise ApiError(422, "invalid_email", "That is not a valid e-mail address.")
    return email


def check_password(password: str) -> None:
    """Cognito's policy for our pool: >= 8 characters with upper, lower and digit."""
    problems = []
    if len(password) < MIN_PASSWORD:
        problems.append(f"at least {MIN_PASSWORD} characters")
    if not any(c.isupper() for c in password):
        problems.append("an upper-case letter")
    if not any(c.islower() for c in password):
        problems.append("a lower-case letter")
    if not any(c.isdigit() for c in password):
        problems.append("a digit")
    if password != password.strip():
        problems.append("no leading or trailing spaces")
    if problems:
        raise ApiError(422, "weak_password", "The password needs " + ", ".join(problems) + ".")


async def sign_up(ctx: PublicCtx, data: schemas.SignUp) -> schemas.SignUpAccepted:
    svc = ctx.svc
    with translated():
        await svc.throttle.hit_public(ctx.address)
    email = normalise_email(data.email)
    check_password(data.password)
    if svc.captcha is not None:
        outcome = await svc.captcha.verify(data.captcha_token, ctx.address)
        if outcome is CaptchaOutcome.FAILED:
            raise ApiError(400, "captcha_failed", "The CAPTCHA was not solved; try again.")
        if outcome is CaptchaOutcome.UNAVAILABLE:
            raise ApiError(503, "captcha_unavailable", "Sign-up is unavailable; try again shortly.")
    with translated():
        outcome_ = await svc.backend.sign_up(ctx.db, email, data.password)
    if outcome_ is SignUpOutcome.EXISTS:
        # Same answer as a new account; the owner of the address hears about it by e-mail.
        try:
            await svc.mailer.send(emails.account_exists(email, svc.settings.public_base_url))
        except MailSendError as exc:
            log.error("identity_mail_failed", reason=exc.reason, permanent=exc.permanent)
    return schemas.SignUpAccepted()


async def confirm(ctx: PublicCtx, data: schemas.Confirm) -> schemas.Confirmed:
    with translated():
        await ctx.svc.throttle.hit_public(ctx.address)
        await ctx.svc.backend.confirm(ctx.db, normalise_email(data.email), data.code)
    return schemas.Confirmed()


async def resend_code(ctx: PublicCtx, data: schemas.EmailOnly) -> schemas.Accepted:
    with translated():
        await ctx.svc.throttle.hit_public(ctx.address)
        await ctx.svc.backend.resend_code(ctx.db, normalise_email(data.email))
    return schemas.Accepted()


async def login_start(ctx: PublicCtx, data: schemas.LoginStart) -> schemas.LoginChallenge:
    svc = ctx.svc
    email = normalise_email(data.email)
    with translated():
        await svc.throttle.hit_public(ctx.address)
        await svc.throttle.check_login(email, ctx.address)
        challenge = await svc.backend.login_start(ctx.db, email, data.srp_a)
    params = challenge.challenge_parameters
    return schemas.LoginChallenge(
        session=challenge.session,
        challenge_parameters=schemas.ChallengeParameters(
            SALT=params["SALT"],
            SRP_B=params["SRP_B"],
            SECRET_BLOCK=params["SECRET_BLOCK"],
            USER_ID_FOR_SRP=params["USER_ID_FOR_SRP"],
            USERNAME=params.get("USERNAME", params["USER_ID_FOR_SRP"]),
        ),
    )


async def login_finish(ctx: PublicCtx, data: schemas.LoginFinish) -> schemas.Tokens:
    svc = ctx.svc
    email = normalise_email(data.email)
    with translated():
        await svc.throttle.check_login(email, ctx.address)
        try:
            tokens = await svc.backend.login_finish(
                ctx.db,
                session=data.session,
                email=email,
                timestamp=data.timestamp,
                secret_block=data.secret_block,
                signature=data.signature,
            )
        except WrongCredentials as exc:
            await svc.throttle.login_failed(email, ctx.address)
            # The failure is committed by no one: nothing was written.
            raise WRONG_CREDENTIALS from exc
        await svc.throttle.login_succeeded(email)
    log.info("login_succeeded", sub=str(tokens.sub), provider=svc.backend.name)
    if tokens.refresh_token is None:
        raise ApiError(503, "identity_unavailable", "Sign-in is unavailable; try again shortly.")
    return schemas.Tokens(
        access_token=tokens.access_token,
        id_token=tokens.id_token,
        refresh_token=tokens.refresh_token,
        expires_in=tokens.expires_in,
    )


async def refresh(ctx: PublicCtx, data: schemas.Refresh) -> schemas.RefreshedTokens:
    with translated():
        tokens = await ctx.svc.backend.refresh(ctx.db, data.refresh_token)
    return schemas.RefreshedTokens(
        access_token=tokens.access_token, id_token=tokens.id_token, expires_in=tokens.expires_in
    )


async def forgot_password(ctx: PublicCtx, data: schemas.EmailOnly) -> schemas.Accepted:
    """Always 202, whatever the address: known, unknown, malformed or the provider down."""
    with translated():
        await ctx.svc.throttle.hit_public(ctx.address)
    try:
        email = normalise_email(data.email)
    except ApiError:
        return schemas.Accepted()
    try:
        await ctx.svc.backend.forgot_password(ctx.db, email)
    except Exception as exc:
        log.error("forgot_password_failed", error=type(exc).__name__)
        await ctx.db.rollback()
    return schemas.Accepted()


async def reset_password(ctx: PublicCtx, data: schemas.ResetPassword) -> schemas.PasswordReset:
    with translated():
        await ctx.svc.throttle.hit_public(ctx.address)
    email = normalise_email(data.email)
    check_password(data.password)
    with translated():
        await ctx.svc.backend.reset_password(ctx.db, email, data.code, data.password)
    return schemas.PasswordReset()


def public_config(ctx: PublicCtx) -> schemas.PublicConfig:
    svc = ctx.svc
    config = svc.backend.public_config()
    return schemas.PublicConfig(
        identity_provider=svc.backend.name,
        user_pool_id=config["user_pool_id"] or svc.settings.user_pool_id,
        client_id=svc.settings.client_id,
        region=config.get("region"),
        captcha_site_key=svc.settings.captcha_site_key,
    )
