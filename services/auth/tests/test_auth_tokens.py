"""Forged tokens against this service's own keys → 401 at every service; genuine ones work.

The records service runs in-process with its JWKS URL pointing at a live instance of this
auth service over HTTP, so it verifies our tokens exactly as it verifies Cognito's.
"""

from __future__ import annotations

import base64
import json
import time
import uuid
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from litestar import Litestar
from litestar.testing import AsyncTestClient

from petshots_auth.app import KEYS_DIR
from petshots_auth.keys import KEY_FILE_NAME, KeySet
from petshots_auth.settings import AuthSettings

AUTH_OWNER_ROUTES = [
    ("GET", "/auth/me", None),
    ("GET", "/auth/verify", None),
    ("GET", "/auth/me/settings", None),
    (
        "PUT",
        "/auth/me/settings",
        {
            "reminders_enabled": False,
            "reminder_thresholds_days": [1],
            "timezone": "UTC",
            "due_soon_days": 1,
        },
    ),
    ("POST", "/auth/logout", {"refresh_token": "x" * 43}),
    ("DELETE", "/auth/me", None),
]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def forged_catalogue(
    keyset: KeySet, issuer: str, client_id: str, sub: uuid.UUID, id_token: str
) -> dict[str, str]:
    """Every way a token must fail, crafted against this service's published keys."""
    now = int(time.time())
    key, kid = keyset.active_key, keyset.kid
    good: dict[str, Any] = {
        "sub": str(sub),
        "iss": issuer,
        "client_id": client_id,
        "token_use": "access",
        "scope": "aws.cognito.signin.user.admin",
        "auth_time": now,
        "iat": now,
        "exp": now + 3600,
        "jti": str(uuid.uuid4()),
        "username": str(sub),
    }

    def sign(claims: dict[str, Any], headers: dict[str, Any] | None = None, k: Any = key) -> str:
        return jwt.encode(
            {k_: v for k_, v in claims.items() if v is not None},
            k,
            algorithm="RS256",
            headers={"kid": kid, **(headers or {})},
        )

    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header_none = _b64(json.dumps({"alg": "none", "typ": "JWT", "kid": kid}).encode())
    header_hs = _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": kid}).encode())
    payload = _b64(json.dumps(good).encode())
    import hashlib
    import hmac

    hs_sig = _b64(hmac.new(public_pem, f"{header_hs}.{payload}".encode(), hashlib.sha256).digest())
    genuine = sign(good)
    h, _, s = genuine.split(".")
    tampered_claims = {**good, "sub": str(uuid.uuid4())}
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return {
        "signed_by_another_key": sign(good, k=other_key),
        "expired": sign({**good, "iat": now - 7200, "exp": now - 3600}),
        "alg_none": f"{header_none}.{payload}.",
        "hs256_with_public_key": f"{header_hs}.{payload}.{hs_sig}",
        "rs512_same_key": jwt.encode(good, key, algorithm="RS512", headers={"kid": kid}),
        "wrong_issuer": sign({**good, "iss": "https://evil.example/auth"}),
        "wrong_client_id": sign({**good, "client_id": "someone-else"}),
        "id_token": id_token,
        "unknown_kid": sign(good, headers={"kid": "not-a-known-kid"}),
        "no_kid": jwt.encode(good, key, algorithm="RS256"),
        "missing_exp": sign({**good, "exp": None}),
        "missing_token_use": sign({**good, "token_use": None}),
        "sub_not_uuid": sign({**good, "sub": "admin"}),
        "tampered_payload": f"{h}.{_b64(json.dumps(tampered_claims).encode())}.{s}",
        "garbage": "not.a.jwt",
    }


@pytest.fixture(scope="module")
def keyset(auth_settings: AuthSettings, app: Litestar) -> KeySet:
    return KeySet.load(Path(auth_settings.state_dir) / KEYS_DIR / KEY_FILE_NAME)


def records_operations(client: AsyncTestClient[Litestar]) -> list[tuple[str, str]]:
    schema = client.app.openapi_schema.to_schema()
    ops = []
    for path, item in schema["paths"].items():
        for method in item:
            filled = path
            for name in ("pet_id", "doc_id"):
                filled = filled.replace("{" + name + "}", str(uuid.uuid4()))
            ops.append((method.upper(), filled))
    return sorted(ops)


async def test_genuine_tokens_work_at_every_service(
    client: AsyncTestClient[Litestar], records_client: AsyncTestClient[Litestar], signed_up: Any
) -> None:
    owner = await signed_up()
    assert (await client.get("/auth/me", headers=owner.headers)).status_code == 200
    r = await records_client.get("/api/pets", headers=owner.headers)
    assert r.status_code == 200, r.text
    assert r.json() == []
    created = await records_client.post("/api/pets", headers=owner.headers, json={"name": "Ollie"})
    assert created.status_code == 201, created.text


async def test_forged_tokens_are_refused_everywhere(
    client: AsyncTestClient[Litestar],
    records_client: AsyncTestClient[Litestar],
    signed_up: Any,
    keyset: KeySet,
    auth_settings: AuthSettings,
) -> None:
    owner = await signed_up()
    catalogue = forged_catalogue(
        keyset, auth_settings.token_issuer, auth_settings.client_id, owner.sub, owner.id_token
    )
    records_ops = records_operations(records_client)
    assert len(records_ops) >= 10
    for name, token in catalogue.items():
        headers = {"Authorization": f"Bearer {token}"}
        for method, path, body in AUTH_OWNER_ROUTES:
            r = await client.request(method, path, headers=headers, json=body)
            assert r.status_code == 401, (name, method, path, r.status_code)
        for method, path in records_ops:
            r = await records_client.request(method, path, headers=headers, json={})
            assert r.status_code == 401, (name, method, path, r.status_code)
    # The owner is untouched by all of it.
    assert (await client.get("/auth/me", headers=owner.headers)).status_code == 200


async def test_tokens_from_before_a_key_rotation_still_verify(
    auth_settings: AuthSettings, signed_up: Any, tmp_path: Path
) -> None:
    """A rotated key set signs with a new key and still publishes the previous one."""
    owner = await signed_up()
    path = Path(auth_settings.state_dir) / KEYS_DIR / KEY_FILE_NAME
    rotated = KeySet.load(path).rotated()
    key_file = tmp_path / "keys.json"
    rotated.save(key_file)
    from litestar.testing import AsyncTestClient as Client

    from petshots_auth.app import create_app

    app = create_app(auth_settings.model_copy(update={"signing_key_file": str(key_file)}))
    async with Client(app=app) as rotated_client:
        jwks = (await rotated_client.get("/auth/.well-known/jwks.json")).json()
        assert [k["kid"] for k in jwks["keys"]] == [rotated.kid, KeySet.load(path).kid]
        assert (await rotated_client.get("/auth/me", headers=owner.headers)).status_code == 200
