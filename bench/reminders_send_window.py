"""The one window where a crash can lose a digest: the provider call (docs/reminders.md).

    uv run python bench/reminders_send_window.py [--sends 300]

Sends digests to a real SMTP sink on loopback and prints how long the provider call takes
(p50/p99/max): a worker killed inside that window loses that owner's digest for the day
(the protocol never risks a duplicate instead). Against SES the same window is one HTTPS
round trip to the regional endpoint.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from petshots_core.mail import Email, SmtpSender
from petshots_core.settings import Settings
from petshots_testkit.mail import mail_sink


async def measure(sends: int, port: int) -> list[float]:
    sender = SmtpSender(Settings(smtp_host="127.0.0.1", smtp_port=port))
    durations = []
    for i in range(sends):
        email = Email(
            to=f"owner{i}@example.test",
            subject="Ollie's Rabies expires in 7 days",
            text="These vaccination records need your attention.\n" * 20,
            html="<p>These vaccination records need your attention.</p>" * 20,
            unsubscribe_url="https://petshots.test/auth/unsubscribe?t=x",
        )
        started = time.perf_counter()
        await sender.send(email)
        durations.append((time.perf_counter() - started) * 1000)
    return durations


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sends", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, mail_sink(Path(tmp)) as sink:
        durations = sorted(asyncio.run(measure(args.sends, sink.port)))
    p50, p99 = statistics.median(durations), durations[int(len(durations) * 0.99) - 1]
    print(
        f"provider call (SMTP, loopback) over {len(durations)} sends: "
        f"p50 {p50:.2f} ms, p99 {p99:.2f} ms, max {durations[-1]:.2f} ms"
    )


if __name__ == "__main__":
    main()
