"""Redis goes away: owner pages and passport pages keep answering (the passport rate limit
fails open and says so in the log), and the reminders worker picks up again when Redis is
back — without sending anyone a second digest."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import httpx

from petshots_devstack.waiting import wait_until
from petshots_testkit.mail import MailSink
from petshots_testkit.processes import PrivatePostgres, PrivateRedis, worker_service

from .conftest import DATABASE, SeededOwner, Stack, insert_owners

OWNERS = 240
ANSWER_BOUND_S = 1.0


def enqueue_now(env: dict[str, str]) -> None:
    """What the daily cron does: plan today's run and queue one job per due owner."""
    script = Path(sys.executable).parent / "petshots-reminders"
    subprocess.run(
        [str(script), "enqueue-now"], env=env, check=True, timeout=60, capture_output=True
    )


def digests_to(sink: MailSink, addresses: set[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for message in sink.messages():
        to = str(message["To"])
        if to in addresses:
            counts[to] += 1
    return counts


def test_redis_outage(
    stack: Stack,
    private_redis: PrivateRedis,
    private_pg: PrivatePostgres,
    owner: SeededOwner,
    passport_token: str,
    smtp_sink: MailSink,
    base_env: dict[str, str],
    fault_logs: Path,
) -> None:
    seeded = asyncio.run(insert_owners(private_pg.dsn(DATABASE), OWNERS))
    addresses = {email for _, email, _, _ in seeded}
    env = {
        **base_env,
        "PETSHOTS_SMTP_HOST": smtp_sink.host,
        "PETSHOTS_SMTP_PORT": str(smtp_sink.port),
    }
    worker = worker_service(env, fault_logs, name="reminders-redis-outage")
    pages = [
        (stack.records.base_url + "/api/dashboard", owner.headers),
        (stack.records.base_url + f"/api/pets/{owner.pet_ids[0]}", owner.headers),
        (stack.passport.base_url + f"/p/{passport_token}", {}),
        (stack.passport.base_url + f"/p/{passport_token}.json", {}),
    ]
    worker.start()
    try:
        worker.wait_healthy()
        worker_pid = worker.pid
        enqueue_now(env)
        # Mid-batch: some digests are out, most are still queued.
        wait_until(
            lambda: sum(digests_to(smtp_sink, addresses).values()) >= 20,
            timeout_s=60,
            what="first digests",
            poll_s=0.05,
        )
        private_redis.stop()
        outage_started = time.monotonic()
        try:
            for _ in range(3):
                for url, headers in pages:
                    started = time.monotonic()
                    res = httpx.get(url, headers=headers, timeout=10)
                    took = time.monotonic() - started
                    assert res.status_code == 200, (url, res.status_code, res.text[:300])
                    assert took < ANSWER_BOUND_S, (url, took)
            assert "passport_rate_limit_unavailable_fail_open" in stack.passport.log_text()
            # Let the worker meet the outage for a while: it must ride it out, not exit.
            time.sleep(max(0.0, 3.0 - (time.monotonic() - outage_started)))
            assert worker.alive(), worker.log_text()[-3000:]
        finally:
            private_redis.start()  # empty: the queue died with it (no persistence)

        # The next plan (tomorrow's cron, or an operator's enqueue-now) re-queues whoever is
        # still due; the digest rows keep everyone already mailed from a second mail.
        enqueue_now(env)
        wait_until(
            lambda: set(digests_to(smtp_sink, addresses)) == addresses,
            timeout_s=90,
            what="every owner's digest after Redis came back",
            poll_s=0.05,
        )
        time.sleep(1.0)  # a late duplicate would land now
        counts = digests_to(smtp_sink, addresses)
        duplicates = {a: n for a, n in counts.items() if n > 1}
        assert not duplicates, duplicates
        assert set(counts) == addresses
        assert worker.alive() and worker.pid == worker_pid, "the worker was restarted"
        for url, headers in pages:
            assert httpx.get(url, headers=headers, timeout=10).status_code == 200
    finally:
        worker.stop()
