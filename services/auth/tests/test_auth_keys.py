"""RS256 key set: loading, persistence, rotation, JWKS and RFC 7638 thumbprints."""

from __future__ import annotations

import base64
import json
import stat
import threading
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from petshots_auth.keys import (
    KEY_FILE_NAME,
    KeySet,
    KeySetError,
    keys_from_pems,
    rotate_file,
    rsa_thumbprint,
)

# RFC 7638 §3.1 example key and its thumbprint.
RFC7638_N = (
    "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECP"
    "ebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY"
    "368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0f"
    "M4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"
)
RFC7638_E = "AQAB"
RFC7638_KID = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"


def _b64_int(text: str) -> int:
    return int.from_bytes(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)), "big")


@pytest.fixture(scope="module")
def private_keys() -> list[rsa.RSAPrivateKey]:
    return [rsa.generate_private_key(public_exponent=65537, key_size=2048) for _ in range(3)]


def pem(key: rsa.RSAPrivateKey | rsa.RSAPublicKey) -> str:
    if isinstance(key, rsa.RSAPrivateKey):
        return key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,  # "BEGIN RSA PRIVATE KEY" works too
            serialization.NoEncryption(),
        ).decode()
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def test_rfc7638_thumbprint_example() -> None:
    public = rsa.RSAPublicNumbers(_b64_int(RFC7638_E), _b64_int(RFC7638_N)).public_key()
    assert rsa_thumbprint(public) == RFC7638_KID


def test_jwks_has_public_members_only(private_keys: list[rsa.RSAPrivateKey]) -> None:
    keyset = KeySet(private_keys[0], [private_keys[1]])
    jwks = keyset.jwks()
    assert [k["kid"] for k in jwks["keys"]] == [
        keyset.kid,
        rsa_thumbprint(private_keys[1].public_key()),
    ]
    for jwk in jwks["keys"]:
        assert set(jwk) == {"kty", "kid", "use", "alg", "n", "e"}
        assert (jwk["kty"], jwk["use"], jwk["alg"], jwk["e"]) == ("RSA", "sig", "RS256", "AQAB")
        assert "=" not in jwk["n"]
    first = jwks["keys"][0]
    assert _b64_int(first["n"]) == private_keys[0].public_key().public_numbers().n
    json.dumps(jwks)  # serialisable as is


def test_from_pem_first_block_is_active(private_keys: list[rsa.RSAPrivateKey]) -> None:
    text = pem(private_keys[0]) + "\n" + pem(private_keys[1].public_key()) + pem(private_keys[2])
    keyset = KeySet.from_pem(text)
    assert keyset.kid == rsa_thumbprint(private_keys[0].public_key())
    assert len(keyset.verification_keys) == 3
    assert keyset.public_key(rsa_thumbprint(private_keys[2].public_key())) is not None
    assert keyset.public_key("unknown") is None
    assert keys_from_pems([pem(k) for k in private_keys]).kid == keyset.kid


def test_repeated_keys_are_listed_once(private_keys: list[rsa.RSAPrivateKey]) -> None:
    keyset = KeySet(
        private_keys[0], [private_keys[0], private_keys[1], private_keys[1].public_key()]
    )
    assert len(keyset.jwks()["keys"]) == 2


def test_from_setting_accepts_json_and_pem(private_keys: list[rsa.RSAPrivateKey]) -> None:
    original = KeySet(private_keys[0], [private_keys[1]])
    from_json = KeySet.from_setting(original.to_json())
    from_pem = KeySet.from_setting(pem(private_keys[0]) + pem(private_keys[1]))
    assert from_json.jwks() == from_pem.jwks() == original.jwks()
    stored = json.loads(original.to_json())
    assert "PRIVATE" in stored["active"]
    assert all("PRIVATE" not in p for p in stored["previous"])  # retired keys never sign again


def test_from_setting_accepts_pem_with_escaped_newlines(
    private_keys: list[rsa.RSAPrivateKey],
) -> None:
    one_line = pem(private_keys[0]).replace("\n", "\\n")
    assert "\n" not in one_line
    assert KeySet.from_setting(one_line).kid == rsa_thumbprint(private_keys[0].public_key())


@pytest.mark.parametrize(
    "value",
    [
        "",
        "not a key",
        "{}",
        '{"active": 1}',
        '{"active": "x", "previous": "y"}',
        "{not json",
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----",
    ],
)
def test_bad_settings_are_refused(value: str) -> None:
    with pytest.raises(KeySetError):
        KeySet.from_setting(value)


def test_public_key_cannot_be_active(private_keys: list[rsa.RSAPrivateKey]) -> None:
    with pytest.raises(KeySetError, match="first PEM block"):
        KeySet.from_pem(pem(private_keys[0].public_key()) + pem(private_keys[0]))


def test_non_rsa_and_small_keys_are_refused() -> None:
    ec_pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    with pytest.raises(KeySetError, match="only RSA"):
        KeySet.from_pem(ec_pem.decode())
    small = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    with pytest.raises(KeySetError, match="2048"):
        KeySet.from_pem(pem(small))
    with pytest.raises(KeySetError, match="2048"):
        KeySet(small)


def test_encrypted_pem_is_refused(private_keys: list[rsa.RSAPrivateKey]) -> None:
    encrypted = private_keys[0].private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"pw"),
    )
    with pytest.raises(KeySetError):
        KeySet.from_pem(encrypted.decode())


def test_rotation_keeps_the_previous_key_for_verification(
    private_keys: list[rsa.RSAPrivateKey],
) -> None:
    first = KeySet(private_keys[0])
    second = first.rotated(new_active=private_keys[1])
    third = second.rotated(new_active=private_keys[2])
    assert [k.kid for k in second.verification_keys] == [second.kid, first.kid]
    # Default: one previous key, so the JWKS never grows beyond two keys.
    assert [k.kid for k in third.verification_keys] == [third.kid, second.kid]
    kept = second.rotated(new_active=private_keys[2], keep_previous=2)
    assert [k.kid for k in kept.verification_keys] == [kept.kid, second.kid, first.kid]
    assert len(first.rotated(keep_previous=0).verification_keys) == 1
    with pytest.raises(ValueError, match="keep_previous"):
        first.rotated(keep_previous=-1)


def test_load_or_create_persists_privately(tmp_path: Path) -> None:
    directory = tmp_path / ".petshots" / "keys"
    created = KeySet.load_or_create(directory)
    path = directory / KEY_FILE_NAME
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    assert KeySet.load_or_create(directory).jwks() == created.jwks()
    assert KeySet.load(path).kid == created.kid
    assert [p.name for p in directory.iterdir()] == [KEY_FILE_NAME]  # no temp files left


def test_concurrent_first_start_agrees_on_one_key(tmp_path: Path) -> None:
    results: list[str] = []

    def start() -> None:
        results.append(KeySet.load_or_create(tmp_path).kid)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(results)) == 1
    assert [p.name for p in tmp_path.iterdir()] == [KEY_FILE_NAME]


def test_rotate_file(tmp_path: Path) -> None:
    original = KeySet.load_or_create(tmp_path)
    path = tmp_path / KEY_FILE_NAME
    rotated = rotate_file(path)
    assert rotated.kid != original.kid
    assert [k.kid for k in KeySet.load(path).verification_keys] == [rotated.kid, original.kid]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
