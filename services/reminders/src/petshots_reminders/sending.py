"""Sending one owner's digest at most once — the protocol (docs/reminders.md explains it).

1. Claim: create or lock the owner's digest row for the run date (``FOR UPDATE``). A row
   already ``sent``/``empty``/``failed``/``uncertain`` means done: skip. A row found in
   ``sending`` means a worker died past the point of no return: the mail may have been
   delivered, so it is settled as ``uncertain`` and its ledger rows written — never sent
   again. Otherwise the due items are computed. The transaction stays open, the row locked.
2. Send: the provider gets the message short of the step that makes it deliverable (SMTP:
   all of DATA but the end-of-data mark). Then the row becomes ``sending`` (items stored)
   and the claim commits — the point of no return is recorded before it is passed — and
   the last step follows, with a Message-ID derived from the digest id.
3. Settle (one transaction, after the provider accepted): ledger rows for every threshold the
   items cross, ``next_remind_on`` recomputed, the row ``sent``; commit.

A crash before the commit in 2 rolls the claim back: the row is ``pending`` again, nothing
was delivered (an SMTP transaction without its end-of-data mark is discarded), and the
retry sends it. A crash after the provider accepted leaves ``sending``: the retry settles
it without a second mail. A digest can only be lost by a crash between that commit and the
end-of-data mark leaving the process — no I/O happens in between (with SES, whose API has
no such split, the window is the API call). Another worker meeting the locked row waits for
the outcome instead of guessing. A refused send (SMTP 4xx/5xx, SES error) is known not to
have been delivered, so the row goes back to ``pending`` for a retry with backoff, or to
``failed`` when permanent or out of attempts; a hand-over whose answer never came is
settled ``uncertain`` at once.
"""

from __future__ import annotations

import enum
import json
import uuid
from dataclasses import dataclass

import structlog
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from petshots_core.mail import Email, MailSender, MailSendError, MailSendUncertain, sender_domain
from petshots_core.models import DigestState
from petshots_core.signed_links import unsubscribe_url
from petshots_reminders.clock import RunClock
from petshots_reminders.digest import OWNER, DueItem, compose, due_items
from petshots_reminders.settings import RemindersSettings

log = structlog.get_logger(__name__)


class Outcome(enum.StrEnum):
    SENT = "sent"
    SKIPPED = "skipped"
    RETRY = "retry"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class SendResult:
    outcome: Outcome
    attempts: int = 0
    reason: str | None = None


class CrashAfterSend(Exception):
    """Test hook: raised after the provider accepted, before the ledger is written."""


_CLAIM_ROW = text(
    """
    INSERT INTO reminder_digests (id, owner_id, run_date, state)
    VALUES (:id, :owner, :run_date, 'pending')
    ON CONFLICT (owner_id, run_date) DO NOTHING
    """
)
_LOCK_ROW = text(
    "SELECT id, state, items, attempts FROM reminder_digests"
    " WHERE owner_id = :owner AND run_date = :run_date FOR UPDATE"
)
_SET_STATE = text("UPDATE reminder_digests SET state = :state, last_error = :error WHERE id = :id")
_COUNT_ATTEMPT = text(
    "UPDATE reminder_digests SET attempts = attempts + 1 WHERE id = :id RETURNING attempts"
)
_MARK_SENDING = text(
    """
    UPDATE reminder_digests
    SET state = 'sending', items = CAST(:items AS jsonb), attempts = attempts + 1,
        claimed_at = now(), message_id = :message_id
    WHERE id = :id
    RETURNING attempts
    """
)
_LEDGER = text(
    """
    INSERT INTO reminder_ledger (document_id, threshold_days, expires_on, digest_id)
    SELECT :doc, t, :expires_on, :digest FROM unnest(CAST(:crossed AS smallint[])) AS t
    WHERE EXISTS (SELECT 1 FROM documents WHERE id = :doc)
    ON CONFLICT DO NOTHING
    """
)
_RECOMPUTE = text(
    """
    UPDATE documents d
    SET next_remind_on = petshots_next_remind_on(d.id, d.expires_on, o.reminder_thresholds_days)
    FROM owners o
    WHERE o.id = d.owner_id AND d.id = ANY(:docs) AND d.state = 'ready'
    """
)
_MARK_SENT = text(
    "UPDATE reminder_digests SET state = :state, sent_at = now(), provider_id = :provider"
    " WHERE id = :id"
)


def _message_id(digest_id: uuid.UUID, settings: RemindersSettings) -> str:
    return f"<digest-{digest_id}@{sender_domain(settings.mail_from)}>"


async def _settle(
    conn: AsyncConnection,
    digest_id: uuid.UUID,
    items: list[DueItem],
    state: DigestState,
    provider_id: str | None,
) -> None:
    # The digest row first: the ledger's foreign key to it would otherwise take a share lock
    # that a waiting worker's FOR UPDATE blocks us from upgrading (a deadlock).
    await conn.execute(_MARK_SENT, {"id": digest_id, "state": state.value, "provider": provider_id})
    for item in items:
        await conn.execute(
            _LEDGER,
            {
                "doc": item.document_id,
                "expires_on": item.expires_on,
                "digest": digest_id,
                "crossed": list(item.crossed),
            },
        )
    await conn.execute(_RECOMPUTE, {"docs": [i.document_id for i in items]})


@dataclass(frozen=True, slots=True)
class _Claimed:
    digest_id: uuid.UUID
    items: list[DueItem]
    email: Email
    message_id: str


async def _claim(
    conn: AsyncConnection,
    settings: RemindersSettings,
    owner_id: uuid.UUID,
    clock: RunClock,
) -> SendResult | _Claimed:
    """Step 1 inside the caller's open transaction: a result when there is nothing to send."""
    await conn.execute(
        _CLAIM_ROW, {"id": uuid.uuid4(), "owner": owner_id, "run_date": clock.run_date}
    )
    row = (
        await conn.execute(_LOCK_ROW, {"owner": owner_id, "run_date": clock.run_date})
    ).one_or_none()
    if row is None:  # the owner was deleted in between (cascade)
        return SendResult(Outcome.SKIPPED, reason="owner gone")
    digest_id: uuid.UUID = row.id
    if row.state == DigestState.SENDING:
        items = [DueItem.from_json(raw) for raw in row.items or []]
        await _settle(conn, digest_id, items, DigestState.UNCERTAIN, None)
        log.warning("digest_uncertain_settled", digest_id=str(digest_id))
        return SendResult(Outcome.SKIPPED, row.attempts, "settled after a crash mid-send")
    if row.state != DigestState.PENDING:
        return SendResult(Outcome.SKIPPED, row.attempts, f"already {row.state}")
    owner = (await conn.execute(OWNER, {"owner": owner_id, "instant": clock.instant})).one_or_none()
    if owner is None:
        return SendResult(Outcome.SKIPPED, reason="owner gone")
    if not (owner.reminders_enabled and owner.email and owner.verified) or owner.suppressed:
        await conn.execute(_SET_STATE, {"id": digest_id, "state": "empty", "error": None})
        return SendResult(Outcome.SKIPPED, row.attempts, "not to be mailed")
    items = await due_items(conn, owner_id, owner.today)
    if not items:
        await conn.execute(_SET_STATE, {"id": digest_id, "state": "empty", "error": None})
        return SendResult(Outcome.SKIPPED, row.attempts, "nothing due")
    message_id = _message_id(digest_id, settings)
    try:
        email = compose(
            items,
            to=owner.email,
            base_url=settings.public_base_url,
            unsubscribe_url=unsubscribe_url(settings, owner_id),
            message_id=message_id,
        )
    except ValueError as exc:  # an address no provider would take
        await conn.execute(_SET_STATE, {"id": digest_id, "state": "failed", "error": str(exc)})
        return SendResult(Outcome.FAILED, row.attempts, "unusable address")
    return _Claimed(digest_id, items, email, message_id)


async def send_digest(
    engine: AsyncEngine,
    sender: MailSender,
    settings: RemindersSettings,
    owner_id: uuid.UUID,
    clock: RunClock,
    *,
    crash_after_send: bool = False,
) -> SendResult:
    """Run the claim → send → settle protocol for one owner and run date."""
    # An error or a cancellation before the hand-over leaves this block with the claim
    # uncommitted: closing the connection rolls it back (shielded from cancellation), so the
    # row is pending again.
    async with engine.connect() as conn:
        claimed = await _claim(conn, settings, owner_id, clock)
        if isinstance(claimed, SendResult):
            await conn.commit()
            return claimed
        digest_id, items = claimed.digest_id, claimed.items
        attempts = 0

        async def point_of_no_return() -> None:
            nonlocal attempts
            attempts = (
                await conn.execute(
                    _MARK_SENDING,
                    {
                        "id": digest_id,
                        "items": json.dumps([i.to_json() for i in items]),
                        "message_id": claimed.message_id,
                    },
                )
            ).scalar_one()
            await conn.commit()

        try:
            sent = await sender.send(claimed.email, commit=point_of_no_return)
        except MailSendError as exc:
            if conn.in_transaction():  # refused before the hand-over: the claim is still open
                attempts = (await conn.execute(_COUNT_ATTEMPT, {"id": digest_id})).scalar_one()
                await conn.commit()
            final = exc.permanent or attempts >= settings.reminders_max_attempts
            # The same connection: a job never holds two of the pool's at once.
            await conn.execute(
                _SET_STATE,
                {
                    "id": digest_id,
                    "state": "failed" if final else "pending",
                    "error": exc.reason[:500],
                },
            )
            await conn.commit()
            log.warning(
                "digest_send_refused",
                digest_id=str(digest_id),
                reason=exc.reason,
                permanent=exc.permanent,
                attempts=attempts,
            )
            return SendResult(Outcome.FAILED if final else Outcome.RETRY, attempts, exc.reason)
        except MailSendUncertain as exc:
            # Handed over, answer lost: it may have been delivered. Never sent again.
            await _settle(conn, digest_id, items, DigestState.UNCERTAIN, None)
            await conn.commit()
            log.warning("digest_uncertain_settled", digest_id=str(digest_id), reason=exc.reason)
            return SendResult(Outcome.SKIPPED, attempts, "answer lost after the hand-over")

    if crash_after_send:
        raise CrashAfterSend
    async with engine.begin() as conn:
        await _settle(conn, digest_id, items, DigestState.SENT, sent.provider_id)
    log.info("digest_sent", digest_id=str(digest_id), items=len(items))
    return SendResult(Outcome.SENT, attempts)
