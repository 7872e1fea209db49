"""RFC 8058 unsubscribe: GET shows a button and changes nothing; POST turns reminders off."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from petshots_auth.settings import AuthSettings
from petshots_core.signed_links import LinkSigner, unsubscribe_url


async def reminders_on(db: AsyncEngine, sub: uuid.UUID) -> bool:
    async with db.connect() as conn:
        value = (
            await conn.execute(
                text("SELECT reminders_enabled FROM owners WHERE id = :id"), {"id": sub}
            )
        ).scalar_one()
    return bool(value)


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


async def test_get_changes_nothing_post_turns_reminders_off(
    client: AsyncTestClient[Litestar], signed_up: Any, db: AsyncEngine, auth_settings: AuthSettings
) -> None:
    owner = await signed_up()
    url = unsubscribe_url(auth_settings, owner.sub)
    assert url.startswith(f"{auth_settings.public_base_url}/auth/unsubscribe?t=")

    page = await client.get(path_of(url))
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["referrer-policy"] == "no-referrer"
    assert '<form method="post"' in page.text and "<button" in page.text
    assert await reminders_on(db, owner.sub)

    # A mail provider's one-click POST: form body, no cookies, no Authorization header.
    client.cookies.clear()
    r = await client.post(
        path_of(url),
        content=b"List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )
    assert r.status_code == 200, r.text
    assert "location" not in r.headers
    assert not await reminders_on(db, owner.sub)
    # Idempotent.
    again = await client.post(path_of(url), content=b"List-Unsubscribe=One-Click")
    assert again.status_code == 200


def tampered(token: str) -> str:
    flip = "A" if token[-1] != "A" else "B"
    return token[:-1] + flip


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_bad_links_are_404(
    client: AsyncTestClient[Litestar],
    signed_up: Any,
    db: AsyncEngine,
    auth_settings: AuthSettings,
    method: str,
) -> None:
    owner = await signed_up()
    token = parse_qs(urlsplit(unsubscribe_url(auth_settings, owner.sub)).query)["t"][0]
    foreign = LinkSigner(b"another-deployment-secret-0123456789", "unsubscribe").sign(owner.sub)
    other_purpose = LinkSigner.from_settings(auth_settings, "password-reset").sign(owner.sub)
    unknown_owner = LinkSigner.from_settings(auth_settings, "unsubscribe").sign(uuid.uuid4())
    for bad in [tampered(token), foreign, other_purpose, unknown_owner, "", "v1.x.y", token + "x"]:
        r = await client.request(method, "/auth/unsubscribe", params={"t": bad})
        assert r.status_code == 404, (bad, r.status_code)
    r = await client.request(method, "/auth/unsubscribe")
    assert r.status_code == 404
    assert await reminders_on(db, owner.sub)
