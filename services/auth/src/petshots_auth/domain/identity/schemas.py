"""Wire types of sign-up, confirmation, SRP login, tokens and password reset."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

EmailText = Annotated[
    str, msgspec.Meta(min_length=1, max_length=320, description="E-mail address (the user name)")
]
Password = Annotated[
    str,
    msgspec.Meta(
        min_length=1,
        max_length=256,
        description="At least 8 characters with upper- and lower-case letters and a digit",
    ),
]
Code = Annotated[
    str, msgspec.Meta(pattern=r"^[0-9]{6}$", description="The 6-digit code from the e-mail")
]
Opaque = Annotated[str, msgspec.Meta(min_length=1, max_length=8192)]
SrpHex = Annotated[str, msgspec.Meta(min_length=1, max_length=1024, pattern=r"^[0-9a-fA-F]+$")]
Timestamp = Annotated[
    str, msgspec.Meta(min_length=1, max_length=64, description="e.g. 'Thu Nov 7 11:18:24 UTC 2026'")
]


class SignUp(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    email: EmailText
    password: Password
    # Required when the CAPTCHA is on (`captcha_site_key` in /auth/config is not null).
    captcha_token: Annotated[str, msgspec.Meta(max_length=4096)] | None = None


class SignUpAccepted(msgspec.Struct, kw_only=True):
    status: Literal["confirmation_required"] = "confirmation_required"


class Confirm(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    email: EmailText
    code: Code


class Confirmed(msgspec.Struct, kw_only=True):
    status: Literal["confirmed"] = "confirmed"


class EmailOnly(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    email: EmailText


class Accepted(msgspec.Struct, kw_only=True):
    status: Literal["accepted"] = "accepted"


class LoginStart(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    email: EmailText
    srp_a: SrpHex


class ChallengeParameters(msgspec.Struct, kw_only=True):
    """Cognito's PASSWORD_VERIFIER challenge parameters, under Cognito's names."""

    SALT: str
    SRP_B: str
    SECRET_BLOCK: str
    USER_ID_FOR_SRP: str
    USERNAME: str


class LoginChallenge(msgspec.Struct, kw_only=True):
    session: str
    challenge_name: Literal["PASSWORD_VERIFIER"] = "PASSWORD_VERIFIER"
    challenge_parameters: ChallengeParameters


class LoginFinish(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    session: Opaque
    email: EmailText
    timestamp: Timestamp
    secret_block: Opaque
    signature: Annotated[str, msgspec.Meta(min_length=1, max_length=128)]


class Tokens(msgspec.Struct, kw_only=True):
    access_token: str
    id_token: str
    refresh_token: str
    expires_in: int
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105 - a token type, not a secret


class Refresh(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    refresh_token: Opaque


class RefreshedTokens(msgspec.Struct, kw_only=True):
    access_token: str
    id_token: str
    expires_in: int
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105 - a token type, not a secret


class ResetPassword(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    email: EmailText
    code: Code
    password: Password


class PasswordReset(msgspec.Struct, kw_only=True):
    status: Literal["password_reset"] = "password_reset"


class PublicConfig(msgspec.Struct, kw_only=True):
    """What the browser needs for SRP and for the CAPTCHA widget."""

    identity_provider: Literal["local", "cognito"]
    user_pool_id: str
    client_id: str
    region: str | None
    captcha_site_key: str | None
