"""The SRP building blocks: constants, padding, timestamps, verifier and the low-level checks."""

from __future__ import annotations

import base64
import secrets
from datetime import UTC, datetime, timedelta

import pytest
from pycognito import aws_srp
from pycognito.aws_srp import AWSSRP

from petshots_auth import srp

POOL_ID = "us-east-1_AbCdEf123"
POOL_NAME = "AbCdEf123"
USER_ID = "6f1c2a9e-5d0b-4c61-9a8e-0d1f7b2c3e4a"


def test_group_matches_the_cognito_clients() -> None:
    client = AWSSRP("u", "p", POOL_ID, "c", client=object())
    assert srp.N == client.big_n == aws_srp.hex_to_long(aws_srp.N_HEX)
    assert client.val_g == srp.G
    assert client.val_k == srp.K
    assert srp.N.bit_length() == 3072


@pytest.mark.parametrize(
    "value",
    [0, 1, 2, 0x7F, 0x80, 0xFF, 0x100, 0x0FFF, 0x8000, srp.N, srp.N - 1, *range(1, 300, 7)],
)
def test_pad_hex_matches_the_client(value: int) -> None:
    assert srp.pad_hex(value) == aws_srp.pad_hex(value)


def test_pad_hex_matches_the_client_on_random_values() -> None:
    for bits in (8, 15, 16, 127, 128, 255, 256, 3071, 3072):
        for _ in range(20):
            value = secrets.randbits(bits)
            assert srp.pad_hex(value) == aws_srp.pad_hex(value)


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 11, 27, 11, 18, 24, tzinfo=UTC),
        datetime(2026, 3, 1, 0, 0, 0, tzinfo=UTC),  # single-digit day: not zero-padded
        datetime(2024, 2, 29, 23, 59, 59, tzinfo=UTC),
        datetime(2030, 1, 7, 9, 5, 3, tzinfo=UTC),
    ],
)
def test_timestamp_format_matches_the_client(moment: datetime) -> None:
    naive = moment.replace(tzinfo=None)  # pycognito formats a naive UTC datetime
    expected = AWSSRP.get_cognito_formatted_timestamp(naive)
    assert srp.format_timestamp(moment) == expected
    assert srp.parse_timestamp(expected) == moment


def test_timestamp_format_converts_to_utc() -> None:
    moment = datetime(2026, 3, 1, 1, 30, tzinfo=UTC).astimezone(
        datetime(2026, 1, 1, tzinfo=UTC).astimezone().tzinfo
    )
    assert srp.format_timestamp(moment) == "Sun Mar 1 01:30:00 UTC 2026"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Fri Nov 27 11:18:24 2026",
        "Fri Nov 27 11:18:24 GMT 2026",
        "Thu Nov 27 11:18:24 UTC 2026",  # 2026-11-27 is a Friday
        "Fri Foo 27 11:18:24 UTC 2026",
        "Mon Feb 30 11:18:24 UTC 2026",
        "Fri Nov 27 25:18:24 UTC 2026",
        "Fri Nov 27 11:18:24 UTC 2026 ",
        "fri nov 27 11:18:24 UTC 2026",
        "Fri Nov 127 11:18:24 UTC 2026",
    ],
)
def test_malformed_timestamps_are_refused(text: str) -> None:
    with pytest.raises(srp.InvalidTimestamp):
        srp.parse_timestamp(text)


def test_zero_padded_day_still_parses() -> None:
    # Old clients (warrant) zero-pad the day; the signature covers the string as sent either way.
    assert srp.parse_timestamp("Sat Mar 07 10:00:00 UTC 2026") == datetime(
        2026, 3, 7, 10, tzinfo=UTC
    )


def test_pool_name_from_pool_id() -> None:
    assert srp.pool_name_from_pool_id("us-east-1_AbC123") == "AbC123"
    for bad in ("nounderscore", "_x", "us-east-1_", "a_b_c"):
        with pytest.raises(ValueError, match="user pool id"):
            srp.pool_name_from_pool_id(bad)


def test_make_verifier_is_random_salted_and_keeps_no_password() -> None:
    one = srp.make_verifier(POOL_NAME, USER_ID, "Secret-Pass-1")
    two = srp.make_verifier(POOL_NAME, USER_ID, "Secret-Pass-1")
    assert one.salt_hex != two.salt_hex
    assert one.verifier_hex != two.verifier_hex
    assert "Secret-Pass-1" not in repr(one)
    assert 0 < int(one.verifier_hex, 16) < srp.N
    fixed = srp.make_verifier(POOL_NAME, USER_ID, "Secret-Pass-1", salt=b"\x01" * 16)
    assert fixed == srp.make_verifier(POOL_NAME, USER_ID, "Secret-Pass-1", salt=b"\x01" * 16)
    assert fixed.salt_hex == "01" * 16


def _client_answer(
    password: str, verifier: srp.Verifier, secret_block: bytes
) -> tuple[int, int, int, dict[str, str]]:
    """Run pycognito's client against a bare server session (no sealing)."""
    client = AWSSRP("owner@example.com", password, POOL_ID, "client", client=object())
    srp_a = srp.parse_srp_a(client.get_auth_params()["SRP_A"])
    b, srp_b = srp.start(verifier.verifier_hex, srp_a)
    params = {
        "SALT": verifier.salt_hex,
        "SRP_B": f"{srp_b:x}",
        "SECRET_BLOCK": base64.b64encode(secret_block).decode(),
        "USER_ID_FOR_SRP": USER_ID,
        "USERNAME": USER_ID,
    }
    answer: dict[str, str] = client.process_challenge(params, {"USERNAME": "owner@example.com"})
    return srp_a, b, srp_b, answer


def test_low_level_verify_accepts_the_right_password_only() -> None:
    verifier = srp.make_verifier(POOL_NAME, USER_ID, "Right-Pass-1")
    block = secrets.token_bytes(64)

    def check(
        password: str,
        *,
        signed_block: bytes = block,
        user_id: str = USER_ID,
        pool_name: str = POOL_NAME,
        clock_offset: timedelta = timedelta(0),
    ) -> None:
        srp_a, b, srp_b, answer = _client_answer(password, verifier, block)
        srp.verify(
            pool_name=pool_name,
            user_id_for_srp=user_id,
            verifier_hex=verifier.verifier_hex,
            srp_a=srp_a,
            srp_b=srp_b,
            b=b,
            secret_block=signed_block,
            timestamp=answer["TIMESTAMP"],
            signature_b64=answer["PASSWORD_CLAIM_SIGNATURE"],
            now=datetime.now(UTC) + clock_offset,
            max_clock_skew=timedelta(minutes=1),
        )

    check("Right-Pass-1")
    with pytest.raises(srp.PasswordClaimMismatch):
        check("Wrong-Pass-1")
    # The right password, but not the block, user id or pool the client signed.
    with pytest.raises(srp.PasswordClaimMismatch):
        check("Right-Pass-1", signed_block=block + b"x")
    with pytest.raises(srp.PasswordClaimMismatch):
        check("Right-Pass-1", user_id=USER_ID.upper())
    with pytest.raises(srp.PasswordClaimMismatch):
        check("Right-Pass-1", pool_name="Other")
    with pytest.raises(srp.InvalidTimestamp):
        check("Right-Pass-1", clock_offset=timedelta(minutes=2))


def test_zero_u_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(srp, "_compute_u", lambda _a, _b: 0)
    with pytest.raises(srp.PasswordClaimMismatch, match="u is zero"):
        srp.session_key(srp_a=5, srp_b=7, b=3, verifier_hex="0b")


def test_start_never_hands_out_a_b_giving_zero_u(monkeypatch: pytest.MonkeyPatch) -> None:
    real = srp._compute_u
    calls: list[int] = []

    def first_zero(srp_a: int, srp_b: int) -> int:
        calls.append(srp_b)
        return 0 if len(calls) == 1 else real(srp_a, srp_b)

    monkeypatch.setattr(srp, "_compute_u", first_zero)
    _, srp_b = srp.start("0b", 5)
    assert len(calls) == 2 and srp_b == calls[1]


@pytest.mark.parametrize("srp_a", [0, srp.N, 3 * srp.N])
def test_low_level_functions_refuse_a_multiple_of_n(srp_a: int) -> None:
    with pytest.raises(srp.InvalidSrpA):
        srp.start("0b", srp_a)
    with pytest.raises(srp.InvalidSrpA):
        srp.session_key(srp_a=srp_a, srp_b=7, b=3, verifier_hex="0b")
