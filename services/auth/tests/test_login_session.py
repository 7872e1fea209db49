"""The sealed login session: what /auth/login/finish accepts back, for both backends."""

from __future__ import annotations

import base64

import pytest

from petshots_auth.login_session import (
    InvalidLoginSession,
    LoginSession,
    LoginSessionSealer,
    block_binding,
)

EMAIL = "ann@example.com"
BLOCK = base64.b64encode(b"secret block issued with the challenge").decode()


@pytest.fixture
def sealer() -> LoginSessionSealer:
    return LoginSessionSealer(b"k" * 32, ttl_s=180)


def sealed(sealer: LoginSessionSealer, *, now: float | None = None) -> str:
    session = LoginSession(
        email=EMAIL, user_id_for_srp="u-1", block_binding=block_binding(BLOCK), decoy=False
    )
    return sealer.seal(session, now=now)


def test_the_login_it_was_issued_for_opens_it(sealer: LoginSessionSealer) -> None:
    login = sealer.open_for(sealed(sealer), email=EMAIL, secret_block=BLOCK)
    assert (login.email, login.user_id_for_srp, login.decoy) == (EMAIL, "u-1", False)


def test_another_address_is_refused(sealer: LoginSessionSealer) -> None:
    with pytest.raises(InvalidLoginSession):
        sealer.open_for(sealed(sealer), email="eve@example.com", secret_block=BLOCK)


def test_another_logins_secret_block_is_refused(sealer: LoginSessionSealer) -> None:
    other = base64.b64encode(b"the block of a different challenge").decode()
    with pytest.raises(InvalidLoginSession):
        sealer.open_for(sealed(sealer), email=EMAIL, secret_block=other)


def test_an_expired_session_is_refused(sealer: LoginSessionSealer) -> None:
    value = sealed(sealer, now=1_000.0)
    assert sealer.open(value, now=1_179.0).email == EMAIL
    with pytest.raises(InvalidLoginSession, match="expired"):
        sealer.open(value, now=1_180.0)


@pytest.mark.parametrize(
    "value",
    ["", "%%%", "A" * 8193, base64.urlsafe_b64encode(b"\x02" + b"\x00" * 40).decode()],
    ids=["empty", "not-base64", "too-long", "unknown-version"],
)
def test_malformed_values_are_refused(sealer: LoginSessionSealer, value: str) -> None:
    with pytest.raises(InvalidLoginSession):
        sealer.open_for(value, email=EMAIL, secret_block=BLOCK)


def test_a_tampered_or_foreign_session_is_refused(sealer: LoginSessionSealer) -> None:
    raw = bytearray(base64.urlsafe_b64decode(sealed(sealer)))
    raw[-1] ^= 1
    with pytest.raises(InvalidLoginSession, match="not ours"):
        sealer.open(base64.urlsafe_b64encode(bytes(raw)).decode())
    foreign = LoginSessionSealer(b"x" * 32)
    with pytest.raises(InvalidLoginSession, match="not ours"):
        foreign.open(sealed(sealer))
