"""Tokens: ≥ 128 bits from a CSPRNG, never derived from ids, stored only hashed and sealed."""

from __future__ import annotations

import base64
import hashlib
import uuid
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from petshots_core.local_secrets import MissingSecret
from petshots_passport.settings import PassportSettings
from petshots_passport.tokens import (
    SealError,
    TokenSealer,
    is_token_shaped,
    new_token,
    token_hash,
)


def test_a_hundred_thousand_tokens_never_collide_and_carry_at_least_128_bits() -> None:
    tokens = [new_token() for _ in range(100_000)]
    assert len(set(tokens)) == len(tokens)
    assert len({token_hash(t) for t in tokens}) == len(tokens)
    for token in tokens:
        assert is_token_shaped(token), token
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        assert len(raw) * 8 >= 128
        assert len(raw) * 8 == 192
    # Every URL-safe symbol shows up in every position range: no fixed or id-derived part.
    for position in (0, 15, 31):
        assert len({t[position] for t in tokens}) == 64


def test_token_shape_check_rejects_everything_else() -> None:
    good = new_token()
    for bad in ["", good[:-1], good + "A", good[:-1] + ".", good[:-1] + "/", "x" * 32 + "\n"]:
        assert not is_token_shaped(bad), bad


def test_sealed_tokens_open_only_with_the_key_for_their_own_row() -> None:
    sealer = TokenSealer(b"k" * 48)
    token, passport_id = new_token(), uuid.uuid4()
    sealed = sealer.seal(token, passport_id)
    assert token.encode() not in sealed
    assert sealer.open(sealed, passport_id) == token
    # Same token sealed twice: different bytes (random nonce).
    assert sealer.seal(token, passport_id) != sealed
    with pytest.raises(SealError):
        sealer.open(sealed, uuid.uuid4())  # copied onto another row
    with pytest.raises(SealError):
        TokenSealer(b"q" * 48).open(sealed, passport_id)  # another key
    tampered = sealed[:-1] + bytes([sealed[-1] ^ 1])
    with pytest.raises(SealError):
        sealer.open(tampered, passport_id)
    with pytest.raises(SealError):
        sealer.open(b"\x02" + sealed[1:], passport_id)


def test_sealing_key_is_required_in_production_and_must_be_long(tmp_path: Path) -> None:
    prod = PassportSettings(env="production", state_dir=str(tmp_path))
    with pytest.raises(MissingSecret):
        TokenSealer.from_settings(prod)
    short = prod.model_copy(update={"passport_sealing_key": SecretStr("too-short")})
    with pytest.raises(MissingSecret):
        TokenSealer.from_settings(short)
    good = prod.model_copy(update={"passport_sealing_key": SecretStr("s" * 40)})
    TokenSealer.from_settings(good)
    # Locally a key is generated once and reused: QR codes survive a restart.
    local = PassportSettings(env="local", state_dir=str(tmp_path))
    first = TokenSealer.from_settings(local)
    sealed = first.seal("A" * 32, uuid.UUID(int=1))
    assert TokenSealer.from_settings(local).open(sealed, uuid.UUID(int=1)) == "A" * 32


async def test_the_database_holds_no_usable_token(person: Any, db: AsyncEngine) -> None:
    pet = await person.records.new_pet("Ollie")
    passport = await person.new_passport(pet["id"])
    token = person.token_of(passport)
    async with db.connect() as conn:
        row = (
            await conn.execute(
                text("SELECT * FROM passports WHERE id = :id"), {"id": uuid.UUID(passport["id"])}
            )
        ).one()
    assert row.token_hash == hashlib.sha256(token.encode()).digest()
    dumped = repr(tuple(row)).encode() + b"".join(
        v for v in row if isinstance(v, bytes | memoryview)
    )
    assert token.encode() not in dumped
    assert str(row.id) not in token and str(row.pet_id) not in token
