"""Cognito SRP login against the local provider, driven by pycognito's client code.

pycognito's ``AWSSRP`` is the independent client: it computes SRP_A, the session key and the
PASSWORD_CLAIM_SIGNATURE exactly as it does against a real User Pool. Nothing here re-derives
the client math.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pycognito.aws_srp import AWSSRP

from petshots_auth import srp
from petshots_auth.secret_block import (
    InvalidSecretBlock,
    MemoryReplayGuard,
    SecretBlockExpired,
    SecretBlockSealer,
    derive_key,
)
from petshots_auth.srp_login import ChallengeMismatch, SrpAccount, SrpLoginServer

POOL_ID = "eu-west-1_PetshotsLocal"
POOL_NAME = "PetshotsLocal"
CLIENT_ID = "petshots-web"
SECRET = "test-secret-for-srp-blocks-0123456789"
EMAIL = "owner@example.com"
PASSWORD = "Correct-Horse-9"


class Clock:
    """A server clock the tests can move; starts at the real time (pycognito uses that)."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset


def make_account(password: str = PASSWORD, *, salt: bytes | None = None) -> SrpAccount:
    user_id = str(uuid.uuid4())
    salt_hex, verifier_hex = srp.make_verifier(POOL_NAME, user_id, password, salt=salt)
    return SrpAccount(user_id, salt_hex, verifier_hex)


def make_server(clock: Clock | None = None, ttl: timedelta | None = None) -> SrpLoginServer:
    return SrpLoginServer.from_secret(
        user_pool_id=POOL_ID,
        secret=SECRET,
        clock=clock or Clock(),
        **({"ttl": ttl} if ttl else {}),
    )


def client(password: str = PASSWORD, username: str = EMAIL) -> AWSSRP:
    # client=object(): pycognito must not build a boto3 client; only its SRP math is used.
    return AWSSRP(
        username=username, password=password, pool_id=POOL_ID, client_id=CLIENT_ID, client=object()
    )


@dataclass
class Attempt:
    server: SrpLoginServer
    guard: MemoryReplayGuard
    clock: Clock

    def login(
        self,
        account: SrpAccount | None,
        password: str = PASSWORD,
        *,
        finish_as: SrpAccount | None = None,
        edit_challenge: Callable[[dict[str, str]], None] = lambda _: None,
        edit_answer: Callable[[dict[str, str]], None] = lambda _: None,
        before_finish: Callable[[], None] = lambda: None,
    ) -> str:
        c = client(password)
        auth_params = c.get_auth_params()
        challenge = self.server.start(account, username=EMAIL, srp_a_hex=auth_params["SRP_A"])
        params = challenge.parameters()
        edit_challenge(params)
        answer: dict[str, str] = c.process_challenge(params, auth_params)
        edit_answer(answer)
        before_finish()
        return self.finish(answer, finish_as or account)

    def finish(self, answer: dict[str, str], account: SrpAccount | None) -> str:
        opened = self.server.open(answer["PASSWORD_CLAIM_SECRET_BLOCK"])
        if not self.guard.claim(opened.block_id, opened.expires_at, now=self.clock()):
            raise InvalidSecretBlock("replayed")
        return self.server.finish(
            opened,
            account,
            timestamp=answer["TIMESTAMP"],
            signature=answer["PASSWORD_CLAIM_SIGNATURE"],
        )


@pytest.fixture
def attempt() -> Attempt:
    clock = Clock()
    return Attempt(make_server(clock), MemoryReplayGuard(), clock)


def test_right_password_logs_in(attempt: Attempt) -> None:
    account = make_account()
    assert attempt.login(account) == account.user_id_for_srp


def test_wrong_password_fails(attempt: Attempt) -> None:
    with pytest.raises(srp.PasswordClaimMismatch):
        attempt.login(make_account(), password="Correct-Horse-8")


@pytest.mark.parametrize(
    "salt",
    [
        bytes(16),  # replaced below: all-zero salts are refused
        b"\x00\x00\x07" + b"\x11" * 13,  # leading zero bytes and an odd number of hex digits
        b"\x80" + b"\x00" * 15,  # high bit set: padded hex needs a leading 00 byte
        b"\xff" * 16,
        b"\x0f" + b"\xab" * 15,
    ],
)
def test_salts_of_every_shape_work(attempt: Attempt, salt: bytes) -> None:
    if not any(salt):
        with pytest.raises(ValueError, match="zero"):
            make_account(salt=salt)
        return
    account = make_account(salt=salt)
    assert account.salt_hex == srp.pad_hex(int(account.salt_hex, 16))  # canonical form
    assert attempt.login(account) == account.user_id_for_srp


@pytest.mark.parametrize("password", ["Pässwörd-1 ✓", "with:colons:1A", "x" * 256, "Aa1 "])
def test_any_password_text_works(attempt: Attempt, password: str) -> None:
    assert attempt.login(make_account(password), password)


def test_many_fresh_logins_all_succeed(attempt: Attempt) -> None:
    # Random a, b and salts exercise the padding rules on values with and without the high bit.
    for _ in range(20):
        account = make_account()
        assert attempt.login(account) == account.user_id_for_srp


def test_block_for_another_account_is_refused(attempt: Attempt) -> None:
    other = make_account()
    with pytest.raises(ChallengeMismatch):
        attempt.login(make_account(), finish_as=other)


def test_client_signing_with_a_wrong_user_id_fails(attempt: Attempt) -> None:
    def wrong_user_id(params: dict[str, str]) -> None:
        params["USER_ID_FOR_SRP"] = str(uuid.uuid4())

    with pytest.raises(srp.PasswordClaimMismatch):
        attempt.login(make_account(), edit_challenge=wrong_user_id)


def test_unknown_user_gets_a_stable_decoy_and_cannot_log_in(attempt: Attempt) -> None:
    a_param = client().get_auth_params()["SRP_A"]
    first = attempt.server.start(None, username=EMAIL, srp_a_hex=a_param)
    again = attempt.server.start(None, username=EMAIL, srp_a_hex=a_param)
    other = attempt.server.start(None, username="else@example.com", srp_a_hex=a_param)
    assert (first.salt_hex, first.user_id_for_srp) == (again.salt_hex, again.user_id_for_srp)
    assert first.srp_b_hex != again.srp_b_hex
    assert (first.salt_hex, first.user_id_for_srp) != (other.salt_hex, other.user_id_for_srp)
    uuid.UUID(first.user_id_for_srp)  # looks like a real account's id
    assert first.salt_hex == srp.pad_hex(int(first.salt_hex, 16))
    with pytest.raises(srp.PasswordClaimMismatch):
        attempt.login(None)


def test_decoy_does_not_depend_on_process_randomness() -> None:
    a_param = client().get_auth_params()["SRP_A"]
    one = make_server().start(None, username=EMAIL, srp_a_hex=a_param)
    two = make_server().start(None, username=EMAIL, srp_a_hex=a_param)
    assert (one.salt_hex, one.user_id_for_srp) == (two.salt_hex, two.user_id_for_srp)


def test_tampered_secret_block_is_refused(attempt: Attempt) -> None:
    def tamper(params: dict[str, str]) -> None:
        raw = bytearray(base64.b64decode(params["SECRET_BLOCK"]))
        raw[40] ^= 0x01
        params["SECRET_BLOCK"] = base64.b64encode(bytes(raw)).decode()

    # The client signs over the tampered block, so only the block's own MAC can catch it.
    with pytest.raises(InvalidSecretBlock):
        attempt.login(make_account(), edit_challenge=tamper)


def test_secret_block_swapped_in_the_answer_is_refused(attempt: Attempt) -> None:
    account = make_account()
    c = client()
    other = attempt.server.start(account, username=EMAIL, srp_a_hex=c.get_auth_params()["SRP_A"])

    def swap(answer: dict[str, str]) -> None:
        answer["PASSWORD_CLAIM_SECRET_BLOCK"] = other.secret_block

    # A genuine block of the same account, but not the one the signature covers.
    with pytest.raises(srp.PasswordClaimMismatch):
        attempt.login(account, edit_answer=swap)


def test_garbage_signature_is_refused(attempt: Attempt) -> None:
    def garbage(answer: dict[str, str]) -> None:
        answer["PASSWORD_CLAIM_SIGNATURE"] = "not base64!"

    with pytest.raises(srp.PasswordClaimMismatch):
        attempt.login(make_account(), edit_answer=garbage)


def test_a_secret_block_is_single_use(attempt: Attempt) -> None:
    account = make_account()
    answers: list[dict[str, str]] = []
    attempt.login(account, edit_answer=answers.append)
    with pytest.raises(InvalidSecretBlock, match="replayed"):
        attempt.finish(answers[0], account)


def test_expired_secret_block_is_refused() -> None:
    clock = Clock()
    attempt = Attempt(make_server(clock), MemoryReplayGuard(), clock)

    def later() -> None:
        clock.offset = timedelta(minutes=3, seconds=1)

    with pytest.raises(SecretBlockExpired):
        attempt.login(make_account(), before_finish=later)


@pytest.mark.parametrize("client_ahead", [timedelta(minutes=6), -timedelta(minutes=6)])
def test_timestamp_too_far_from_the_server_clock_is_refused(client_ahead: timedelta) -> None:
    # The server clock differs from the client's (real) clock; the block itself stays valid.
    clock = Clock()
    clock.offset = -client_ahead
    attempt = Attempt(make_server(clock, ttl=timedelta(hours=1)), MemoryReplayGuard(), clock)
    with pytest.raises(srp.InvalidTimestamp):
        attempt.login(make_account())


def test_timestamp_within_the_skew_is_accepted() -> None:
    clock = Clock()
    clock.offset = timedelta(minutes=4)
    attempt = Attempt(make_server(clock, ttl=timedelta(hours=1)), MemoryReplayGuard(), clock)
    account = make_account()
    assert attempt.login(account) == account.user_id_for_srp


@pytest.mark.parametrize(
    "srp_a_hex",
    [
        "0",
        "00",
        srp.N_HEX,  # A = N
        f"{2 * srp.N:x}",  # A = 2N
        f"{srp.N + 5:x}",  # above N: never sent by an honest client
        "",
        "xyz",
        "-1",
        "0x2",
        " 2",
        "2_0",
        "1" * 2000,
    ],
)
def test_unsafe_or_malformed_srp_a_is_refused(attempt: Attempt, srp_a_hex: str) -> None:
    with pytest.raises(srp.InvalidSrpA):
        attempt.server.start(make_account(), username=EMAIL, srp_a_hex=srp_a_hex)
    with pytest.raises(srp.InvalidSrpA):
        attempt.server.start(None, username=EMAIL, srp_a_hex=srp_a_hex)


def test_pycognito_full_flow_against_a_cognito_shaped_fake_client(attempt: Attempt) -> None:
    """pycognito's own authenticate_user() loop, with our server behind boto3's method names."""
    account = make_account()
    accounts = {EMAIL: account}

    class FakeCognito:
        def initiate_auth(self, **kwargs: Any) -> dict[str, Any]:
            assert kwargs["AuthFlow"] == "USER_SRP_AUTH"
            params = kwargs["AuthParameters"]
            challenge = attempt.server.start(
                accounts.get(params["USERNAME"]),
                username=params["USERNAME"],
                srp_a_hex=params["SRP_A"],
            )
            return {
                "ChallengeName": "PASSWORD_VERIFIER",
                "ChallengeParameters": challenge.parameters(),
            }

        def respond_to_auth_challenge(self, **kwargs: Any) -> dict[str, Any]:
            answer = kwargs["ChallengeResponses"]
            by_id = {a.user_id_for_srp: a for a in accounts.values()}
            user_id = attempt.finish(answer, by_id.get(answer["USERNAME"]))
            return {"AuthenticationResult": {"AccessToken": f"token-for-{user_id}"}}

    ok = AWSSRP(EMAIL, PASSWORD, POOL_ID, CLIENT_ID, client=FakeCognito())
    result = ok.authenticate_user()
    assert result["AuthenticationResult"]["AccessToken"] == f"token-for-{account.user_id_for_srp}"
    bad = AWSSRP(EMAIL, "Wrong-Password-1", POOL_ID, CLIENT_ID, client=FakeCognito())
    with pytest.raises(srp.PasswordClaimMismatch):
        bad.authenticate_user()


def test_server_key_rotation_keeps_in_flight_logins(attempt: Attempt) -> None:
    old_key, new_key = derive_key("old-secret-0123456789"), derive_key("new-secret-0123456789")
    clock = attempt.clock
    old = SrpLoginServer(
        pool_name=POOL_NAME,
        sealer=SecretBlockSealer([old_key], context=POOL_NAME),
        decoy_key=b"d" * 32,
        clock=clock,
    )
    new = SrpLoginServer(
        pool_name=POOL_NAME,
        sealer=SecretBlockSealer([new_key, old_key], context=POOL_NAME),
        decoy_key=b"d" * 32,
        clock=clock,
    )
    account = make_account()
    c = client()
    auth_params = c.get_auth_params()
    challenge = old.start(account, username=EMAIL, srp_a_hex=auth_params["SRP_A"])
    answer = c.process_challenge(challenge.parameters(), auth_params)
    opened = new.open(answer["PASSWORD_CLAIM_SECRET_BLOCK"])
    assert (
        new.finish(
            opened,
            account,
            timestamp=answer["TIMESTAMP"],
            signature=answer["PASSWORD_CLAIM_SIGNATURE"],
        )
        == account.user_id_for_srp
    )


def test_other_pool_cannot_open_our_blocks(attempt: Attempt) -> None:
    other = SrpLoginServer.from_secret(user_pool_id="eu-west-1_Other", secret=SECRET)
    challenge = attempt.server.start(
        make_account(), username=EMAIL, srp_a_hex=client().get_auth_params()["SRP_A"]
    )
    with pytest.raises(InvalidSecretBlock):
        other.open(challenge.secret_block)


def test_srp_a_with_a_leading_zero_byte_is_accepted(attempt: Attempt) -> None:
    account = make_account()
    c = client()
    auth_params = c.get_auth_params()
    padded = "00" + auth_params["SRP_A"]
    challenge = attempt.server.start(account, username=EMAIL, srp_a_hex=padded)
    answer = c.process_challenge(challenge.parameters(), auth_params)
    assert attempt.finish(answer, account) == account.user_id_for_srp
