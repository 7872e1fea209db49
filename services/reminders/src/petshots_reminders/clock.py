"""The instant a run plans for. Every owner's "today" is derived from it in their own zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time


@dataclass(frozen=True, slots=True)
class RunClock:
    run_date: date  # the UTC date of the run: the digest's idempotency day
    instant: datetime  # aware; owners' local dates are computed from it

    @classmethod
    def now(cls) -> RunClock:
        instant = datetime.now(UTC)
        return cls(instant.date(), instant)

    @classmethod
    def for_day(cls, day: date, at: time) -> RunClock:
        """``run-once --today D``: plan as the cron would at its hour on day D."""
        return cls(day, datetime.combine(day, at, tzinfo=UTC))

    def to_job(self) -> tuple[str, str]:
        return self.run_date.isoformat(), self.instant.isoformat()

    @classmethod
    def from_job(cls, run_date: str, instant: str) -> RunClock:
        return cls(date.fromisoformat(run_date), datetime.fromisoformat(instant))
