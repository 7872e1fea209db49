from __future__ import annotations

import pytest
from pydantic import ValidationError

from petshots_core.settings import Settings


def test_prefix_and_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PETSHOTS_TOKEN_CLIENT_IDS", "web, mobile")
    monkeypatch.setenv("PETSHOTS_MAX_PETS_PER_OWNER", "5")
    settings = Settings()
    assert settings.token_client_ids == ["web", "mobile"]
    assert settings.max_pets_per_owner == 5
    monkeypatch.setenv("PETSHOTS_TOKEN_CLIENT_IDS", '["a","b"]')
    assert Settings().token_client_ids == ["a", "b"]


def test_limits_defaults_match_spec() -> None:
    s = Settings()
    assert (s.max_pets_per_owner, s.max_docs_per_pet) == (3, 20)
    assert s.max_doc_bytes == 20971520
    assert s.max_photo_bytes == 5 * 1024 * 1024
    assert (s.upload_policy_ttl_s, s.owner_download_ttl_s, s.passport_download_ttl_s) == (
        300,
        3600,
        300,
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PETSHOTS_JWKS_FETCH_TIMEOUT_S", "10"),  # must stay <= 3 s
        ("PETSHOTS_JWKS_MIN_REFRESH_INTERVAL_S", "1"),  # must stay >= 10 s
        ("PETSHOTS_TOKEN_CLIENT_IDS", ""),
        ("PETSHOTS_ENV", "staging-ish"),
    ],
)
def test_unsafe_values_are_refused(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError):
        Settings()
