"""SIGKILL the reminders worker mid-batch, 20 times: no owner gets two digests, and no owner's
digest is lost.

Each round starts a fresh worker on the same queue, waits until it is sending, lets it run a
random few milliseconds more and SIGKILLs its process group (no shutdown handler runs). Then
one last worker drains the queue, including the jobs the killed workers held (arq hands them
out again once their in-progress marks expire). Every mail the sink received is counted per
address, and the digest rows are checked against the mails.
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections import Counter
from pathlib import Path

import asyncpg

from petshots_devstack.waiting import wait_until
from petshots_testkit.mail import MailSink
from petshots_testkit.processes import PrivatePostgres, PrivateRedis, worker_service

from .conftest import DATABASE, insert_owners
from .test_redis_outage import digests_to, enqueue_now

KILLS = 20
OWNERS = 300
# arq re-offers a killed worker's jobs after job_timeout + 10 s; a shorter timeout would
# have arq cancel jobs that are merely slow on a loaded machine.
JOB_TIMEOUT_S = 5
# A digest can only be lost when a kill lands between the commit of 'sending' and the SMTP
# end-of-data mark leaving the process: no I/O in between, but on a loaded machine the
# process may wait for a CPU right there. Measured here: 1 to 5 lost per 20 kills (more as
# the load average rises from 2 to 11); the protocol before the window was narrowed lost
# ~4 per kill (docs/performance.md).
MAX_LOST = KILLS // 2


async def digest_states(dsn: str, owners: list[uuid.UUID]) -> Counter[str]:
    conn = await asyncpg.connect(dsn, timeout=10)
    try:
        rows = await conn.fetch(
            "SELECT state, count(*) AS n FROM reminder_digests WHERE owner_id = ANY($1::uuid[])"
            " GROUP BY state",
            owners,
        )
    finally:
        await conn.close()
    return Counter({row["state"]: row["n"] for row in rows})


async def uncertain_addresses(dsn: str, owners: list[uuid.UUID]) -> set[str]:
    conn = await asyncpg.connect(dsn, timeout=10)
    try:
        rows = await conn.fetch(
            "SELECT o.email FROM reminder_digests g JOIN owners o ON o.id = g.owner_id"
            " WHERE g.owner_id = ANY($1::uuid[]) AND g.state = 'uncertain'",
            owners,
        )
    finally:
        await conn.close()
    return {row["email"] for row in rows}


def test_sigkill_mid_batch(
    private_pg: PrivatePostgres,
    private_redis: PrivateRedis,
    smtp_sink: MailSink,
    base_env: dict[str, str],
    fault_logs: Path,
) -> None:
    dsn = private_pg.dsn(DATABASE)
    seeded = asyncio.run(insert_owners(dsn, OWNERS))
    owners = [owner_id for owner_id, _, _, _ in seeded]
    addresses = {email for _, email, _, _ in seeded}
    env = {
        **base_env,
        "PETSHOTS_SMTP_HOST": smtp_sink.host,
        "PETSHOTS_SMTP_PORT": str(smtp_sink.port),
        "PETSHOTS_REMINDERS_JOB_TIMEOUT_S": str(JOB_TIMEOUT_S),
    }
    enqueue_now(env)
    rng = random.Random()
    sent_before_kill: list[int] = []

    def mails() -> int:  # cheap progress: files only, parsed once at the end
        return sum(1 for _ in smtp_sink.directory.glob("*.eml"))

    for round_no in range(KILLS):
        worker = worker_service(env, fault_logs, name=f"reminders-kill-{round_no:02d}")
        worker.start()
        try:
            seen = mails()

            def sending(before: int = seen) -> bool:
                return mails() >= before + 3

            # Sending: at least a few new digests out, then a random moment inside the batch.
            wait_until(
                sending,
                timeout_s=60,
                what=f"round {round_no}: the worker sending",
                poll_s=0.01,
            )
            time.sleep(rng.uniform(0.0, 0.15))
            worker.kill()
        finally:
            worker.stop()
        sent_before_kill.append(mails())
    # Every kill landed mid-batch: owners were still waiting for their digest.
    assert sent_before_kill[-1] < len(addresses), sent_before_kill

    final = worker_service(env, fault_logs, name="reminders-kill-drain")
    final.start()
    try:
        final.wait_healthy()

        def settled() -> bool:
            states = asyncio.run(digest_states(dsn, owners))
            return sum(states.values()) == OWNERS and not (
                states["pending"] or states["preparing"] or states["sending"]
            )

        wait_until(settled, timeout_s=120, what="every digest settled", poll_s=0.5)
        time.sleep(0.5)
    finally:
        final.stop()

    counts = digests_to(smtp_sink, addresses)
    states = asyncio.run(digest_states(dsn, owners))
    uncertain = asyncio.run(uncertain_addresses(dsn, owners))
    duplicates = {a: n for a, n in counts.items() if n > 1}
    missing = addresses - set(counts)
    print(
        f"\nworker SIGKILLed {KILLS} times mid-batch ({OWNERS} owners): "
        f"mails {sum(counts.values())}, duplicates {len(duplicates)}, missing {len(missing)}; "
        f"digest rows {dict(states)}; uncertain rows with a mail {len(uncertain - missing)}, "
        f"without {len(uncertain & missing)}; sent before each kill {sent_before_kill}"
    )
    assert not duplicates, duplicates
    # Every missing digest is one the protocol settled as uncertain (never silently lost) ...
    assert missing <= uncertain, missing - uncertain
    # ... and only a kill inside the commit -> end-of-data window loses one. Exactly-once
    # is impossible with a provider that takes no idempotency key (docs/reminders.md).
    assert len(missing) <= MAX_LOST, f"{len(missing)} owners got no digest (settled uncertain)"
