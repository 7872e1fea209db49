"""Failures stay with their owner; the worker runs the same protocol through real arq/Redis."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator, Sequence
from datetime import date, time, timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from arq.connections import RedisSettings, create_pool
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import WatchError

from petshots_core.signed_links import UNSUBSCRIBE, LinkSigner
from petshots_devstack.waiting import free_port
from petshots_reminders.bounces import QueuedMessage, ingest_bounces, suppressions_from_event
from petshots_reminders.cli import run_once
from petshots_reminders.clock import RunClock
from petshots_reminders.planner import enqueue_digests
from petshots_reminders.sending import Outcome
from petshots_reminders.settings import RemindersSettings
from petshots_reminders.worker import build_worker, is_redis_outage
from petshots_testkit.mail import MailSink
from petshots_testkit.seed import Seed

TODAY = date(2026, 11, 27)


class PickySmtp:
    """A real SMTP server that refuses some recipients: 550 (for good) or 451 (try later)."""

    def __init__(self, refuse: dict[str, str]) -> None:
        self.refuse = refuse
        self.accepted: list[EmailMessage] = []

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        parsed = BytesParser(policy=policy.default).parsebytes(envelope.original_content or b"")
        self.accepted.append(parsed)
        return "250 Accepted"


@pytest.fixture
def picky(rsettings: RemindersSettings) -> Iterator[tuple[PickySmtp, RemindersSettings]]:
    handler = PickySmtp({})
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, rsettings.model_copy(update={"smtp_port": port})
    finally:
        controller.stop()


async def test_one_owners_failure_does_not_stop_the_others(
    seed: Seed, picky: tuple[PickySmtp, RemindersSettings]
) -> None:
    server, settings = picky
    addresses = []
    for _ in range(3):
        owner, address = await seed.owner()
        await seed.doc(owner, await seed.pet(owner), "Rabies", TODAY + timedelta(days=7))
        addresses.append(address)
    gone, flaky, fine = addresses
    server.refuse = {gone: "550 5.1.1 no such mailbox", flaky: "451 4.3.0 try again later"}
    clock = RunClock.for_day(TODAY, time(9))
    counts = await run_once(settings, clock)
    assert counts[Outcome.SENT] == 1
    assert counts[Outcome.FAILED] + counts[Outcome.RETRY] == 2
    assert [str(m["To"]) for m in server.accepted] == [fine]
    # The transient one is retried (same day, same digest) and goes through once it clears;
    # the permanent one stays failed and is not retried.
    server.refuse = {gone: "550 5.1.1 no such mailbox"}
    counts = await run_once(settings, clock)
    assert counts[Outcome.SENT] == 1
    assert sorted(str(m["To"]) for m in server.accepted) == sorted([fine, flaky])
    states = await seed_states(seed)
    assert sorted(states.values()) == ["failed", "sent", "sent"]


async def seed_states(seed: Seed) -> dict[str, str]:
    from sqlalchemy import text

    async with seed.engine.connect() as conn:
        rows = await conn.execute(
            text(
                "SELECT o.email, g.state FROM reminder_digests g JOIN owners o ON o.id = g.owner_id"
            )
        )
        return {r[0]: r[1] for r in rows}


async def test_retries_are_bounded(seed: Seed, picky: tuple[PickySmtp, RemindersSettings]) -> None:
    server, settings = picky
    owner, address = await seed.owner()
    await seed.doc(owner, await seed.pet(owner), "Rabies", TODAY + timedelta(days=7))
    server.refuse = {address: "451 4.3.0 try again later"}
    clock = RunClock.for_day(TODAY, time(9))
    outcomes = []
    for _ in range(settings.reminders_max_attempts + 2):
        counts = await run_once(settings, clock)
        outcomes.append(next((o for o, n in counts.items() if n), None))
    attempts = settings.reminders_max_attempts
    # retried with backoff up to the bound, then failed, then left alone (not planned again)
    assert outcomes == [Outcome.RETRY] * (attempts - 1) + [Outcome.FAILED, None, None]
    assert (await seed_states(seed))[address] == "failed"
    assert server.accepted == []


class MemoryQueue:
    """The SNS → SQS queue's contract, in memory (the test double the issue allows)."""

    def __init__(self, bodies: list[str]) -> None:
        self.messages = {str(i): body for i, body in enumerate(bodies)}

    async def receive(self, max_messages: int) -> Sequence[QueuedMessage]:
        return [QueuedMessage(k, v) for k, v in list(self.messages.items())[:max_messages]]

    async def delete(self, receipt: str) -> None:
        self.messages.pop(receipt, None)


def sns(event: dict[str, Any]) -> str:
    return json.dumps({"Type": "Notification", "Message": json.dumps(event)})


async def test_bounces_and_complaints_suppress_future_mail(
    seed: Seed, rsettings: RemindersSettings, smtp_sink: MailSink
) -> None:
    bounced, b_addr = await seed.owner()
    complained, c_addr = await seed.owner()
    soft, s_addr = await seed.owner()
    for owner in (bounced, complained, soft):
        await seed.doc(owner, await seed.pet(owner), "Rabies", TODAY + timedelta(days=7))
    queue = MemoryQueue(
        [
            sns(
                {
                    "eventType": "Bounce",
                    "bounce": {
                        "bounceType": "Permanent",
                        "bounceSubType": "General",
                        "bouncedRecipients": [{"emailAddress": b_addr.upper()}],
                    },
                }
            ),
            sns(
                {
                    "eventType": "Complaint",
                    "complaint": {"complainedRecipients": [{"emailAddress": c_addr}]},
                }
            ),
            sns(
                {
                    "eventType": "Bounce",
                    "bounce": {
                        "bounceType": "Transient",
                        "bouncedRecipients": [{"emailAddress": s_addr}],
                    },
                }
            ),
            "not json at all",
            sns({"eventType": "Delivery"}),
        ]
    )
    assert await ingest_bounces(seed.engine, queue) == 2
    assert queue.messages == {}  # every message consumed, garbage included
    await run_once(rsettings, RunClock.for_day(TODAY, time(9)))
    assert [str(m["To"]) for m in smtp_sink.messages()] == [s_addr]


@pytest.mark.parametrize(
    "body", ["", "[]", '{"Type": "Notification", "Message": "{"}', '{"eventType": "Bounce"}']
)
def test_garbage_events_suppress_nobody(body: str) -> None:
    assert suppressions_from_event(body) == []


async def test_digest_mail_headers_and_unsubscribe_link(
    seed: Seed, rsettings: RemindersSettings, smtp_sink: MailSink
) -> None:
    owner, address = await seed.owner()
    pet = await seed.pet(owner, "Ollie")
    await seed.doc(owner, pet, "Rabies", TODAY + timedelta(days=7))
    await seed.doc(owner, await seed.pet(owner, "Mia"), "FVRCP", TODAY - timedelta(days=1))
    await run_once(rsettings, RunClock.for_day(TODAY, time(9)))
    [mail] = smtp_sink.to(address)
    assert mail["Subject"] == "2 vaccination records need attention"
    assert mail["From"] == "Petshots <no-reply@petshots.test>"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = str(mail["List-Unsubscribe"]).strip("<>")
    assert link.startswith("https://petshots.test/auth/unsubscribe?t=")
    token = parse_qs(urlsplit(link).query)["t"][0]
    assert LinkSigner.from_settings(rsettings, UNSUBSCRIBE).verify(token) == owner
    text_part = mail.get_body(("plain",))
    html_part = mail.get_body(("html",))
    assert text_part is not None and html_part is not None
    text_body = text_part.get_content()
    assert text_body.index("Mia: FVRCP expired yesterday") < text_body.index(
        "Ollie: Rabies expires in 7 days"
    )
    assert f"https://petshots.test/pets/{pet}" in text_body
    assert f"https://petshots.test/pets/{pet}" in html_part.get_content()


async def test_the_arq_worker_sends_planned_digests_once(
    seed: Seed, rsettings: RemindersSettings, smtp_sink: MailSink
) -> None:
    addresses = []
    for _ in range(4):
        owner, address = await seed.owner()
        await seed.doc(owner, await seed.pet(owner), "Rabies", TODAY + timedelta(days=30))
        addresses.append(address)
    queue = f"petshots-test-{uuid.uuid4().hex[:8]}"
    redis = RedisSettings.from_dsn(rsettings.redis_url)
    arq = await create_pool(redis, default_queue_name=queue)
    try:
        clock = RunClock.for_day(TODAY, time(9))
        assert await enqueue_digests(seed.engine, arq, clock) == 4
        assert await enqueue_digests(seed.engine, arq, clock) == 4  # same job ids: no new jobs
        worker = build_worker(
            rsettings,
            burst=True,
            queue_name=queue,
            handle_signals=False,
            cron_jobs=[],
            redis_pool=arq,
            poll_delay=0.05,
        )
        await worker.main()
        assert worker.jobs_complete == 4
        assert worker.jobs_failed == 0
        assert sorted(str(m["To"]) for m in smtp_sink.messages()) == sorted(addresses)
        # Planned again after sending: nobody is due any more.
        assert await enqueue_digests(seed.engine, arq, clock) == 0
    finally:
        await arq.aclose()


def test_a_connection_lost_while_watching_is_an_outage_to_ride_out() -> None:
    """redis-py turns a connection error met during WATCH (arq claiming a job) into WatchError;
    the worker must wait for Redis then, not exit (a flaky tests/faults run caught it)."""

    def watch_error_from(cause: BaseException) -> WatchError:
        try:
            try:
                raise cause
            except type(cause):
                raise WatchError("A ConnectionError occurred on while watching")  # noqa: B904
        except WatchError as exc:
            return exc

    assert is_redis_outage(RedisConnectionError("refused"))
    assert is_redis_outage(ConnectionRefusedError())
    assert is_redis_outage(watch_error_from(RedisConnectionError("refused")))
    assert not is_redis_outage(WatchError("a watched key changed"))
    assert not is_redis_outage(watch_error_from(ValueError("not Redis")))
