"""Hard bounces and complaints → the suppression list the planner respects.

Production: SES configuration-set events → SNS → SQS; the worker polls the queue. Anything
that speaks ``BounceQueue`` works (tests use an in-memory queue with the same messages).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import anyio.to_thread
import structlog
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from petshots_core.aws import client_on_first_call

log = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class QueuedMessage:
    receipt: str
    body: str


class BounceQueue(Protocol):
    async def receive(self, max_messages: int) -> Sequence[QueuedMessage]: ...
    async def delete(self, receipt: str) -> None: ...


_WAIT_S = 1  # long poll per receive
_CONNECT_TIMEOUT_S = 2.0
_READ_MARGIN_S = 5.0


class SqsBounceQueue:
    def __init__(self, url: str, *, region: str, endpoint_url: str | None = None) -> None:
        self.url = url
        # Bounded, unlike botocore's 60 s defaults: a hung queue must not stall the poll loop.
        # The read timeout leaves room for the long poll (WaitTimeSeconds) on top.
        self._sqs = client_on_first_call(
            "sqs",
            region=region,
            endpoint_url=endpoint_url,
            connect_timeout=_CONNECT_TIMEOUT_S,
            read_timeout=_WAIT_S + _READ_MARGIN_S,
            retries={"max_attempts": 2, "mode": "standard"},
        )

    async def receive(self, max_messages: int) -> Sequence[QueuedMessage]:
        def call() -> list[QueuedMessage]:
            res = self._sqs.receive_message(
                QueueUrl=self.url,
                MaxNumberOfMessages=min(max_messages, 10),
                WaitTimeSeconds=_WAIT_S,
            )
            return [QueuedMessage(m["ReceiptHandle"], m["Body"]) for m in res.get("Messages", [])]

        return await anyio.to_thread.run_sync(call)

    async def delete(self, receipt: str) -> None:
        await anyio.to_thread.run_sync(
            lambda: self._sqs.delete_message(QueueUrl=self.url, ReceiptHandle=receipt)
        )


def suppressions_from_event(body: str) -> list[tuple[str, str, str]]:
    """(email, reason, detail) for each recipient a permanent bounce or complaint names.

    Accepts the SES event JSON itself or wrapped in an SNS notification; anything else —
    transient bounces, deliveries, garbage — yields nothing.
    """
    try:
        event: Any = json.loads(body)
        if isinstance(event, dict) and event.get("Type") == "Notification":
            event = json.loads(event.get("Message", ""))
    except (ValueError, TypeError):
        return []
    if not isinstance(event, dict):
        return []
    kind = event.get("eventType") or event.get("notificationType")
    if kind == "Bounce":
        bounce = event.get("bounce") or {}
        if bounce.get("bounceType") != "Permanent":
            return []
        recipients = bounce.get("bouncedRecipients") or []
        reason, detail = "bounce", str(bounce.get("bounceSubType", ""))[:500]
    elif kind == "Complaint":
        recipients = (event.get("complaint") or {}).get("complainedRecipients") or []
        reason, detail = "complaint", ""
    else:
        return []
    found = []
    for recipient in recipients:
        address = recipient.get("emailAddress") if isinstance(recipient, dict) else None
        if isinstance(address, str) and "@" in address and len(address) <= 320:
            found.append((address.strip().lower(), reason, detail))
    return found


_SUPPRESS = text(
    "INSERT INTO email_suppressions (email, reason, detail) VALUES (:email, :reason, :detail)"
    " ON CONFLICT (email) DO NOTHING"
)


async def ingest_bounces(engine: AsyncEngine, queue: BounceQueue, *, max_batches: int = 10) -> int:
    """Drain up to ``max_batches`` receives; a message is deleted only once it is recorded."""
    added = 0
    for _ in range(max_batches):
        messages = await queue.receive(10)
        if not messages:
            break
        for message in messages:
            rows = suppressions_from_event(message.body)
            if rows:
                async with engine.begin() as conn:
                    for email, reason, detail in rows:
                        await conn.execute(
                            _SUPPRESS, {"email": email, "reason": reason, "detail": detail}
                        )
                added += len(rows)
            await queue.delete(message.receipt)
    if added:
        log.info("suppressions_added", count=added)
    return added
