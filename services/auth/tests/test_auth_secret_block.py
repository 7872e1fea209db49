"""Sealing the SRP state into SECRET_BLOCK: confidentiality, integrity, expiry, single use."""

from __future__ import annotations

import base64
import secrets
from datetime import UTC, datetime, timedelta

import pytest

from petshots_auth import srp
from petshots_auth.secret_block import (
    InvalidSecretBlock,
    LoginState,
    MemoryReplayGuard,
    SecretBlockExpired,
    SecretBlockSealer,
    derive_key,
)

NOW = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)
KEY = derive_key("a settings secret of some length")


def state(user_id: str = "6f1c2a9e-5d0b-4c61-9a8e-0d1f7b2c3e4a") -> LoginState:
    return LoginState(
        user_id_for_srp=user_id,
        srp_a=secrets.randbelow(srp.N),
        srp_b=srp.N - 1,  # the largest value must fit the fixed-width field
        b=secrets.randbits(srp.EPHEMERAL_BITS),
    )


def sealer(*keys: bytes, context: str = "Pool") -> SecretBlockSealer:
    return SecretBlockSealer(list(keys) or [KEY], context=context)


def test_round_trip() -> None:
    original = state()
    block, block_id = sealer().seal(original, now=NOW)
    opened = sealer().open(block, now=NOW + timedelta(minutes=1))
    assert opened.state == original
    assert opened.block_id == block_id and len(block_id) == 32
    assert opened.issued_at == NOW
    assert opened.expires_at == NOW + timedelta(minutes=3)
    assert opened.raw == base64.b64decode(block)


def test_each_block_is_unique_and_hides_the_secret_exponent() -> None:
    s = state()
    one, id_one = sealer().seal(s, now=NOW)
    two, id_two = sealer().seal(s, now=NOW)
    assert one != two and id_one != id_two
    for block in (one, two):
        raw = base64.b64decode(block)
        assert s.b.to_bytes(32, "big") not in raw
        assert s.user_id_for_srp.encode() not in raw
    assert str(s.b) not in repr(s)


def test_every_flipped_bit_is_detected() -> None:
    raw = bytearray(base64.b64decode(sealer().seal(state(), now=NOW)[0]))
    for index in (0, 1, 12, 13, 200, len(raw) - 17, len(raw) - 1):
        tampered = bytearray(raw)
        tampered[index] ^= 0x40
        with pytest.raises(InvalidSecretBlock):
            sealer().open(base64.b64encode(bytes(tampered)).decode(), now=NOW)


@pytest.mark.parametrize(
    "block",
    ["", "not base64!", "AAAA", base64.b64encode(b"\x02" + bytes(600)).decode(), "A" * 5000],
)
def test_garbage_is_refused(block: str) -> None:
    with pytest.raises(InvalidSecretBlock):
        sealer().open(block, now=NOW)


def test_truncated_block_is_refused() -> None:
    raw = base64.b64decode(sealer().seal(state(), now=NOW)[0])
    with pytest.raises(InvalidSecretBlock):
        sealer().open(base64.b64encode(raw[:-40]).decode(), now=NOW)


def test_foreign_key_or_context_cannot_open() -> None:
    block, _ = sealer().seal(state(), now=NOW)
    with pytest.raises(InvalidSecretBlock):
        sealer(derive_key("another secret, same length..")).open(block, now=NOW)
    with pytest.raises(InvalidSecretBlock):
        sealer(context="OtherPool").open(block, now=NOW)


def test_key_rotation_opens_blocks_sealed_with_a_previous_key() -> None:
    new = derive_key("the new secret after rotation")
    old_block, _ = sealer(KEY).seal(state(), now=NOW)
    new_block, _ = sealer(new, KEY).seal(state(), now=NOW)
    assert sealer(new, KEY).open(old_block, now=NOW)
    with pytest.raises(InvalidSecretBlock):
        sealer(KEY).open(new_block, now=NOW)  # sealed with keys[0], the new key


def test_expiry() -> None:
    block, _ = sealer().seal(state(), now=NOW)
    sealer().open(block, now=NOW + timedelta(minutes=2, seconds=59))
    with pytest.raises(SecretBlockExpired):
        sealer().open(block, now=NOW + timedelta(minutes=3))
    short = SecretBlockSealer([KEY], context="Pool", ttl=timedelta(seconds=10))
    with pytest.raises(SecretBlockExpired):
        short.open(block, now=NOW + timedelta(seconds=11))


def test_block_from_the_future_is_refused() -> None:
    block, _ = sealer().seal(state(), now=NOW + timedelta(minutes=2))
    sealer().open(block, now=NOW + timedelta(minutes=1, seconds=45))  # small drift is fine
    with pytest.raises(InvalidSecretBlock):
        sealer().open(block, now=NOW)


def test_bad_configuration_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one"):
        SecretBlockSealer([], context="Pool")
    with pytest.raises(ValueError, match="32 bytes"):
        SecretBlockSealer([b"short"], context="Pool")
    with pytest.raises(ValueError, match="positive"):
        SecretBlockSealer([KEY], context="Pool", ttl=timedelta(0))
    with pytest.raises(ValueError, match="16 bytes"):
        derive_key("too short")


def test_derive_key_separates_purposes() -> None:
    assert derive_key("x" * 16) == derive_key(b"x" * 16)
    assert derive_key("x" * 16, purpose="a") != derive_key("x" * 16, purpose="b")


def test_memory_replay_guard_claims_once_until_expiry() -> None:
    guard = MemoryReplayGuard()
    until = NOW + timedelta(minutes=3)
    assert guard.claim("id-1", until, now=NOW)
    assert not guard.claim("id-1", until, now=NOW + timedelta(minutes=1))
    assert guard.claim("id-2", until, now=NOW)
    # Once the block has expired its id is forgotten (the block can no longer open anyway).
    assert guard.claim("id-1", until, now=until)
    assert len(guard._claimed) == 1
