"""Purpose-bound signed links: one accepted spelling, one purpose, one deployment."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from petshots_core.settings import Settings
from petshots_core.signed_links import UNSUBSCRIBE, InvalidLink, LinkSigner, unsubscribe_url

SECRET = b"a-test-link-signing-secret-0123456789"


def test_round_trip_and_shape() -> None:
    signer = LinkSigner(SECRET, UNSUBSCRIBE)
    sub = uuid.uuid4()
    token = signer.sign(sub)
    assert token.startswith("v1.") and len(token) < 80
    assert all(c.isalnum() or c in "._-" for c in token)
    assert signer.verify(token) == sub
    assert str(sub) not in token


def test_purposes_and_secrets_do_not_mix() -> None:
    sub = uuid.uuid4()
    token = LinkSigner(SECRET, UNSUBSCRIBE).sign(sub)
    with pytest.raises(InvalidLink):
        LinkSigner(SECRET, "password-reset").verify(token)
    with pytest.raises(InvalidLink):
        LinkSigner(b"another-secret-of-another-deployment", UNSUBSCRIBE).verify(token)


def test_every_tampered_character_is_refused() -> None:
    signer = LinkSigner(SECRET, UNSUBSCRIBE)
    token = signer.sign(uuid.uuid4())
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    for i, ch in enumerate(token):
        if ch == ".":
            continue
        for other in (alphabet[(alphabet.index(ch) + 1) % 64] if ch in alphabet else "A",):
            forged = token[:i] + other + token[i + 1 :]
            with pytest.raises(InvalidLink):
                signer.verify(forged)


@pytest.mark.parametrize(
    "bad", ["", "v1", "v1..", "v2.AAAA.AAAA", "v1.!!!!.AAAA", "v1.AAAA.AAAA.AAAA", "x" * 500]
)
def test_garbage_is_refused(bad: str) -> None:
    with pytest.raises(InvalidLink):
        LinkSigner(SECRET, UNSUBSCRIBE).verify(bad)


def test_expiry() -> None:
    signer = LinkSigner(SECRET, "email-change")
    now = datetime(2026, 5, 1, 12, tzinfo=UTC)
    sub = uuid.uuid4()
    token = signer.sign(sub, expires_at=now + timedelta(hours=1))
    assert signer.verify(token, now=now) == sub
    with pytest.raises(InvalidLink):
        signer.verify(token, now=now + timedelta(hours=1))


def test_short_secrets_and_odd_purposes_are_refused() -> None:
    with pytest.raises(ValueError):
        LinkSigner(b"short", UNSUBSCRIBE)
    with pytest.raises(ValueError):
        LinkSigner(SECRET, "Bad Purpose")


def test_unsubscribe_url_from_settings(tmp_path: Path) -> None:
    settings = Settings(
        env="test", state_dir=str(tmp_path), public_base_url="https://petshots.example/"
    )
    sub = uuid.uuid4()
    url = unsubscribe_url(settings, sub)
    parts = urlsplit(url)
    assert (
        f"{parts.scheme}://{parts.netloc}{parts.path}"
        == "https://petshots.example/auth/unsubscribe"
    )
    token = parse_qs(parts.query)["t"][0]
    # The locally generated secret is persisted: a second signer verifies the first one's link.
    assert LinkSigner.from_settings(settings, UNSUBSCRIBE).verify(token) == sub
    assert (tmp_path / "secrets" / "link_signing_secret").stat().st_mode & 0o077 == 0


def test_production_needs_the_secret(tmp_path: Path) -> None:
    from petshots_core.local_secrets import MissingSecret

    with pytest.raises(MissingSecret):
        LinkSigner.from_settings(Settings(env="production", state_dir=str(tmp_path)), UNSUBSCRIBE)
    configured = Settings(env="production", link_signing_secret=SECRET.decode())
    sub = uuid.uuid4()
    assert (
        LinkSigner(SECRET, UNSUBSCRIBE).verify(
            LinkSigner.from_settings(configured, UNSUBSCRIBE).sign(sub)
        )
        == sub
    )
