"""One-click unsubscribe (RFC 8058) from a signed per-owner link; no login, no cookies."""

from __future__ import annotations

import uuid
from html import escape
from urllib.parse import quote

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from petshots_core.signed_links import InvalidLink, LinkSigner

# The token is a bearer credential in the URL: keep it out of caches and referrers.
HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
        "base-uri 'none'; frame-ancestors 'none'"
    ),
}

_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>{title} · Petshots</title>
<style>body{{font-family:system-ui,sans-serif;max-width:30rem;margin:3rem auto;padding:0 1rem}}
button{{font-size:1rem;padding:.6rem 1.2rem}}</style></head><body>
<h1>{title}</h1>{body}</body></html>"""


def page(title: str, body: str) -> str:
    return _PAGE.format(title=escape(title), body=body)


def subject(signer: LinkSigner, token: str | None) -> uuid.UUID | None:
    if not token:
        return None
    try:
        return signer.verify(token)
    except InvalidLink:
        return None


async def owner_exists(db: AsyncSession, sub: uuid.UUID) -> bool:
    row = (await db.execute(text("SELECT 1 FROM owners WHERE id = :id"), {"id": sub})).first()
    return row is not None


async def turn_reminders_off(db: AsyncSession, sub: uuid.UUID) -> bool:
    row = (
        await db.execute(
            text("UPDATE owners SET reminders_enabled = false WHERE id = :id RETURNING id"),
            {"id": sub},
        )
    ).first()
    return row is not None


def confirm_page(token: str) -> str:
    action = "/auth/unsubscribe?t=" + quote(token, safe="")
    return page(
        "Stop reminder e-mails?",
        "<p>You will no longer get e-mails about vaccination records that are about to "
        "expire. You can turn them on again in your settings.</p>"
        f'<form method="post" action="{escape(action)}"><button type="submit">'
        "Unsubscribe</button></form>",
    )


def done_page() -> str:
    return page(
        "You are unsubscribed",
        "<p>Petshots will not send you reminder e-mails any more. You can turn them on "
        "again in your settings.</p>",
    )


def invalid_page() -> str:
    return page(
        "This link does not work",
        "<p>The unsubscribe link is not valid. You can turn reminders off in your settings.</p>",
    )
