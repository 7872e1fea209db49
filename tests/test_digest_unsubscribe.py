"""Across services: the digest's one-click unsubscribe link, POSTed to the auth service as a
mail client would (no cookies, no token), turns the owner's reminders off for good."""

from __future__ import annotations

import uuid
from datetime import date, time, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from petshots_auth.app import create_app as create_auth_app
from petshots_core.mail import create_sender
from petshots_core.settings import Settings
from petshots_reminders.clock import RunClock
from petshots_reminders.sending import Outcome, send_digest
from petshots_reminders.settings import RemindersSettings
from petshots_testkit.mail import MailSink


async def test_one_click_unsubscribe_from_a_digest(
    settings: Settings, smtp_sink: MailSink, tmp_path: Path
) -> None:
    shared = settings.model_dump() | {
        "state_dir": str(tmp_path),  # both services find the same generated link secret
        "smtp_host": smtp_sink.host,
        "smtp_port": smtp_sink.port,
        "public_base_url": "https://petshots.test",
    }
    rsettings = RemindersSettings(**shared)
    engine = create_async_engine(settings.database_url)
    owner = uuid.uuid4()
    address = f"owner-{owner.hex[:10]}@example.test"
    expires = date(2026, 12, 4)
    try:
        async with engine.begin() as conn:
            await conn.execute(
                text("INSERT INTO owners (id, email, storage_prefix) VALUES (:o, :e, :p)"),
                {"o": owner, "e": address, "p": owner.hex},
            )
            await conn.execute(
                text(
                    "INSERT INTO pets (id, owner_id, name, species) VALUES (:p, :o, 'Ollie', 'dog')"
                ),
                {"p": owner, "o": owner},
            )
            await conn.execute(
                text(
                    "INSERT INTO documents (id, owner_id, pet_id, label, expires_on, filename,"
                    " content_type, size_bytes, object_key, state) VALUES (:d, :o, :o, 'Rabies',"
                    " :e, 'c.pdf', 'application/pdf', 9, :k, 'ready')"
                ),
                {"d": uuid.uuid4(), "o": owner, "e": expires, "k": f"users/{owner.hex}/docs/1"},
            )
        sender = create_sender(rsettings)
        day = RunClock.for_day(date(2026, 11, 27), time(9))
        result = await send_digest(engine, sender, rsettings, owner, day)
        assert result.outcome is Outcome.SENT
        [mail] = smtp_sink.to(address)
        link = urlsplit(str(mail["List-Unsubscribe"]).strip("<>"))
        async with AsyncTestClient(app=create_auth_app(Settings(**shared))) as auth:
            page = await auth.get(f"{link.path}?{link.query}")
            assert page.status_code == 200  # a page with a button; nothing changes yet
            async with engine.connect() as conn:
                enabled = (
                    await conn.execute(
                        text("SELECT reminders_enabled FROM owners WHERE id = :o"), {"o": owner}
                    )
                ).scalar_one()
            assert enabled is True
            done = await auth.post(
                f"{link.path}?{link.query}",
                content=b"List-Unsubscribe=One-Click",
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )
            assert done.status_code == 200
        async with engine.connect() as conn:
            enabled = (
                await conn.execute(
                    text("SELECT reminders_enabled FROM owners WHERE id = :o"), {"o": owner}
                )
            ).scalar_one()
        assert enabled is False
        later = RunClock.for_day(expires - timedelta(days=1), time(9))
        assert (
            await send_digest(engine, sender, rsettings, owner, later)
        ).outcome is Outcome.SKIPPED
        assert len(smtp_sink.to(address)) == 1
    finally:
        async with engine.begin() as conn:
            await conn.execute(text("DELETE FROM owners WHERE id = :o"), {"o": owner})
        await engine.dispose()
