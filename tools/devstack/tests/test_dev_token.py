"""Dev tokens from ``petshots-dev token`` verify against the dev JWKS like Cognito tokens."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import jwt

from petshots_devstack.addresses import TOKEN_CLIENT_ID, TOKEN_ISSUER
from petshots_devstack.dev_keys import ensure_dev_key, mint_access_token


def _verify(token: str, jwks_path: Path) -> dict[str, Any]:
    keys = jwt.PyJWKSet.from_json(jwks_path.read_text())
    kid = jwt.get_unverified_header(token)["kid"]
    key = next(k for k in keys.keys if k.key_id == kid)
    claims: dict[str, Any] = jwt.decode(
        token,
        key,
        algorithms=["RS256"],
        issuer=TOKEN_ISSUER,
        options={"require": ["sub", "iss", "exp", "iat", "jti", "client_id", "token_use"]},
    )
    return claims


def test_token_verifies_against_the_dev_jwks(tmp_path: Path) -> None:
    key = ensure_dev_key(tmp_path)
    sub = uuid.uuid4()
    claims = _verify(mint_access_token(key, sub=sub), key.jwks_path)
    assert claims["sub"] == claims["username"] == str(sub)
    assert claims["client_id"] == TOKEN_CLIENT_ID
    assert claims["token_use"] == "access"
    assert claims["scope"] == "aws.cognito.signin.user.admin"
    assert claims["exp"] - claims["iat"] == 3600
    assert claims["auth_time"] == claims["iat"]


def test_the_key_is_made_once_and_kept_private(tmp_path: Path) -> None:
    first = ensure_dev_key(tmp_path)
    again = ensure_dev_key(tmp_path)
    assert first.kid == again.kid
    key_file = tmp_path / "signing-key.pem"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    (jwk,) = json.loads(first.jwks_path.read_text())["keys"]
    assert jwk.keys() == {"alg", "e", "kid", "kty", "n", "use"}
    assert jwk["kid"] == first.kid


def test_cli_prints_a_token_for_the_given_subject(tmp_path: Path) -> None:
    (tmp_path / "uv.lock").touch()  # makes tmp_path the "repository" whose .petshots/ is used
    sub = str(uuid.uuid4())
    result = subprocess.run(
        [str(Path(sys.executable).parent / "petshots-dev"), "token", "--sub", sub],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    claims = _verify(result.stdout.strip(), tmp_path / ".petshots" / "dev-keys" / "jwks.json")
    assert claims["sub"] == sub
