"""Which records a run reminds, and that each (record, threshold, expiry) is mailed once."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from petshots_core.mail import Email, SentMail, create_sender
from petshots_core.mail.senders import CommitHook
from petshots_reminders.cli import run_once
from petshots_reminders.clock import RunClock
from petshots_reminders.sending import CrashAfterSend, Outcome, send_digest
from petshots_reminders.settings import RemindersSettings
from petshots_testkit.mail import MailSink
from petshots_testkit.seed import Seed

TODAY = date(2026, 11, 27)
NINE = time(9, 0)


def on(day: date) -> RunClock:
    return RunClock.for_day(day, NINE)


def subjects(sink: MailSink, address: str) -> list[str]:
    return [str(m["Subject"]) for m in sink.to(address)]


async def test_date_matrix_from_a_fresh_ledger(
    seed: Seed, rsettings: RemindersSettings, smtp_sink: MailSink
) -> None:
    owner, address = await seed.owner()
    pet = await seed.pet(owner)
    offsets = [61, 60, 45, 30, 8, 7, 1, 0, -1, -40]
    docs = {
        n: await seed.doc(owner, pet, f"Vaccine {n}", TODAY + timedelta(days=n)) for n in offsets
    }
    counts = await run_once(rsettings, on(TODAY))
    assert counts[Outcome.SENT] == 1
    [mail] = smtp_sink.to(address)
    body = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    listed = [n for n in offsets if f": Vaccine {n} " in body]
    assert listed == [60, 45, 30, 8, 7, 1, 0, -1, -40]  # 61 has crossed nothing yet
    # Most urgent first in the mail.
    assert body.index(": Vaccine -40 ") < body.index(": Vaccine -1 ") < body.index(": Vaccine 60 ")
    # The ledger settles every threshold each record has crossed, so none comes back later.
    expected = {
        61: [],
        60: [60],
        45: [60],
        30: [60, 30],
        8: [60, 30],
        7: [60, 30, 7],
        1: [60, 30, 7],
        0: [60, 30, 7, 0],
        -1: [60, 30, 7, 0],
        -40: [60, 30, 7, 0],
    }
    for n, doc in docs.items():
        assert [t for t, _ in await seed.ledger(doc)] == expected[n], n


async def test_day_by_day_each_threshold_once(
    seed: Seed, rsettings: RemindersSettings, smtp_sink: MailSink
) -> None:
    owner, address = await seed.owner()
    pet = await seed.pet(owner, "Ollie")
    expiry = TODAY + timedelta(days=70)
    await seed.doc(owner, pet, "Rabies", expiry)
    reminded: list[date] = []
    day = TODAY
    while day <= expiry + timedelta(days=3):
        before = len(smtp_sink.to(address))
        await run_once(rsettings, on(day))
        if len(smtp_sink.to(address)) > before:
            reminded.append(day)
        day += timedelta(days=1)
    assert reminded == [expiry - timedelta(days=t) for t in (60, 30, 7, 0)]
    assert subjects(smtp_sink, address) == [
        "Ollie's Rabies expires in 60 days",
        "Ollie's Rabies expires in 30 days",
        "Ollie's Rabies expires in 7 days",
        "Ollie's Rabies expires today",
    ]


async def test_running_twice_the_same_day_sends_nothing_more(
    seed: Seed, rsettings: RemindersSettings, smtp_sink: MailSink
) -> None:
    owner, address = await seed.owner()
    await seed.doc(owner, await seed.pet(owner), "Rabies", TODAY + timedelta(days=7))
    first = await run_once(rsettings, on(TODAY))
    second = await run_once(rsettings, on(TODAY))
    assert first[Outcome.SENT] == 1
    assert second[Outcome.SENT] == 0
    assert len(smtp_sink.to(address)) == 1


async def test_three_skipped_days_catch_up_in_one_mail(
    seed: Seed, rsettings: RemindersSettings, smtp_sink: MailSink
) -> None:
    owner, address = await seed.owner()
    pet = await seed.pet(owner, "Mia")
    doc = await seed.doc(owner, pet, "FVRCP", TODAY + timedelta(days=32))
    await run_once(rsettings, on(TODAY))  # 32 days left: the 60-day reminder
    assert subjects(smtp_sink, address) == ["Mia's FVRCP expires in 32 days"]
    # The job does not run for the next days; it resumes when 6 days are left: 30 and 7
    # were both crossed meanwhile. One mail, each threshold settled once.
    await run_once(rsettings, on(TODAY + timedelta(days=26)))
    assert subjects(smtp_sink, address)[1:] == ["Mia's FVRCP expires in 6 days"]
    assert [t for t, _ in await seed.ledger(doc)] == [60, 30, 7]
    for offset in range(27, 32):
        await run_once(rsettings, on(TODAY + timedelta(days=offset)))
    assert len(smtp_sink.to(address)) == 2
    await run_once(rsettings, on(TODAY + timedelta(days=32)))
    assert subjects(smtp_sink, address)[2] == "Mia's FVRCP expires today"


async def test_an_edited_expiry_is_reminded_again(
    seed: Seed, rsettings: RemindersSettings, smtp_sink: MailSink
) -> None:
    owner, address = await seed.owner()
    doc = await seed.doc(owner, await seed.pet(owner), "Rabies", TODAY + timedelta(days=7))
    await run_once(rsettings, on(TODAY))
    # The owner corrects the date: reminders start over for the new date.
    await seed.execute(
        "UPDATE documents SET expires_on = :e WHERE id = :d",
        e=TODAY + timedelta(days=30),
        d=doc,
    )
    await run_once(rsettings, on(TODAY))  # one digest per owner and day: today is done
    assert len(smtp_sink.to(address)) == 1
    await run_once(rsettings, on(TODAY + timedelta(days=1)))
    assert subjects(smtp_sink, address)[1] == "Ollie's Rabies expires in 29 days"
    assert (30, TODAY + timedelta(days=30)) in await seed.ledger(doc)


async def test_crash_after_the_provider_accepted_is_not_resent(
    seed: Seed, rsettings: RemindersSettings, smtp_sink: MailSink, engine: AsyncEngine
) -> None:
    owner, address = await seed.owner()
    doc = await seed.doc(owner, await seed.pet(owner), "Rabies", TODAY + timedelta(days=7))
    sender = create_sender(rsettings)
    with pytest.raises(CrashAfterSend):
        await send_digest(engine, sender, rsettings, owner, on(TODAY), crash_after_send=True)
    assert len(smtp_sink.to(address)) == 1  # delivered, but the ledger was never written
    retry = await send_digest(engine, sender, rsettings, owner, on(TODAY))
    assert retry.outcome is Outcome.SKIPPED
    assert [t for t, _ in await seed.ledger(doc)] == [60, 30, 7]
    await run_once(rsettings, on(TODAY + timedelta(days=1)))  # and nothing the next day
    assert len(smtp_sink.to(address)) == 1


class StuckBeforeTheHandOver:
    """A provider call that fails, or hangs until cancelled, before it hands anything over."""

    def __init__(self, how: str) -> None:
        self.how = how

    async def send(self, email: Email, *, commit: CommitHook | None = None) -> SentMail:
        if self.how == "error":
            raise RuntimeError("provider client bug")
        await asyncio.Event().wait()
        raise AssertionError("never woken")


@pytest.mark.parametrize("how", ["error", "cancelled"])
async def test_a_send_that_dies_before_the_hand_over_leaves_the_digest_to_send(
    seed: Seed,
    rsettings: RemindersSettings,
    smtp_sink: MailSink,
    engine: AsyncEngine,
    how: str,
) -> None:
    owner, address = await seed.owner()
    doc = await seed.doc(owner, await seed.pet(owner), "Rabies", TODAY + timedelta(days=7))
    stuck = send_digest(engine, StuckBeforeTheHandOver(how), rsettings, owner, on(TODAY))
    if how == "error":
        with pytest.raises(RuntimeError):
            await stuck
    else:
        task = asyncio.ensure_future(stuck)
        await asyncio.sleep(0.5)  # claimed, the row locked, the provider call under way
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    # The claim was rolled back: the row is pending, unlocked and uncounted, the ledger empty.
    assert await seed.ledger(doc) == []
    retry = await send_digest(engine, create_sender(rsettings), rsettings, owner, on(TODAY))
    assert (retry.outcome, retry.attempts) == (Outcome.SENT, 1)
    assert len(smtp_sink.to(address)) == 1


async def test_several_workers_at_once_send_one_mail(
    seed: Seed, rsettings: RemindersSettings, smtp_sink: MailSink, engine: AsyncEngine
) -> None:
    owners = [await seed.owner() for _ in range(5)]
    for owner, _ in owners:
        await seed.doc(owner, await seed.pet(owner), "Rabies", TODAY + timedelta(days=7))
    results = await asyncio.gather(*(run_once(rsettings, on(TODAY)) for _ in range(4)))
    assert sum(r[Outcome.SENT] for r in results) == 5
    for _, address in owners:
        assert len(smtp_sink.to(address)) == 1


@pytest.mark.parametrize("case", ["reminders_off", "suppressed", "unverified", "pending_record"])
async def test_owners_not_to_mail(
    seed: Seed, rsettings: RemindersSettings, smtp_sink: MailSink, case: str
) -> None:
    owner, address = await seed.owner(enabled=case != "reminders_off")
    pet = await seed.pet(owner)
    await seed.doc(
        owner,
        pet,
        "Rabies",
        TODAY + timedelta(days=7),
        state="pending" if case == "pending_record" else "ready",
    )
    if case == "suppressed":
        await seed.execute(
            "INSERT INTO email_suppressions (email, reason) VALUES (:e, 'bounce')", e=address
        )
    if case == "unverified":
        await seed.execute(
            "INSERT INTO local_identities (sub, email, srp_salt, srp_verifier, email_verified)"
            " VALUES (:s, :e, 'aa', 'bb', false)",
            s=owner,
            e=address,
        )
    counts = await run_once(rsettings, on(TODAY))
    assert counts[Outcome.SENT] == 0
    assert smtp_sink.messages() == []


async def test_days_left_in_each_owners_zone(
    seed: Seed, rsettings: RemindersSettings, smtp_sink: MailSink
) -> None:
    """At 09:00 UTC on 27 Nov it is 22:00 on the 27th in Auckland and 01:00 in Los Angeles:
    a record expiring on 4 Dec is 7 days away for both — but run at 12:00 UTC, Auckland is
    already on the 28th (6 days) while Los Angeles is on the 27th (7 days)."""
    expiry = date(2026, 12, 4)
    nz, nz_address = await seed.owner(timezone="Pacific/Auckland", thresholds=(6,))
    la, la_address = await seed.owner(timezone="America/Los_Angeles", thresholds=(6,))
    for owner in (nz, la):
        await seed.doc(owner, await seed.pet(owner, "Rex"), "DHPP", expiry)
    noon = RunClock(TODAY, datetime(2026, 11, 27, 12, 0, tzinfo=UTC))
    await run_once(rsettings, noon)
    assert subjects(smtp_sink, nz_address) == ["Rex's DHPP expires in 6 days"]
    assert subjects(smtp_sink, la_address) == []
    # The next UTC day at 09:00 it is the 28th in Los Angeles too.
    await run_once(rsettings, on(TODAY + timedelta(days=1)))
    assert subjects(smtp_sink, la_address) == ["Rex's DHPP expires in 6 days"]
    assert len(smtp_sink.to(nz_address)) == 1
