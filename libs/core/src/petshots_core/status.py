"""Record and pet status rules (SPEC §3.1) as pure functions.

"Today" is the calendar date in the owner's time zone, so an owner in Auckland sees a record
expire a day before an owner in Los Angeles does at the same UTC instant.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Iterable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

DEFAULT_TIMEZONE = "UTC"


class Status(enum.StrEnum):
    EXPIRED = "expired"
    DUE_SOON = "due_soon"
    CURRENT = "current"
    NO_EXPIRY = "no_expiry"

    @property
    def urgency(self) -> int:
        """Lower is more urgent: expired > due_soon > current > no_expiry."""
        return _URGENCY[self]

    @property
    def colour(self) -> str:
        return _COLOURS[self]

    @property
    def word(self) -> str:
        return _WORDS[self]


_URGENCY = {Status.EXPIRED: 0, Status.DUE_SOON: 1, Status.CURRENT: 2, Status.NO_EXPIRY: 3}
_COLOURS = {
    Status.EXPIRED: "red",
    Status.DUE_SOON: "amber",
    Status.CURRENT: "green",
    Status.NO_EXPIRY: "grey",
}
_WORDS = {
    Status.EXPIRED: "Expired",
    Status.DUE_SOON: "Due soon",
    Status.CURRENT: "Current",
    Status.NO_EXPIRY: "No expiry",
}


@functools.cache
def _known_timezones() -> frozenset[str]:
    return frozenset(available_timezones())


def is_valid_timezone(name: str) -> bool:
    # Membership in the IANA list rejects path tricks ("../etc/passwd") and odd files that
    # ZoneInfo would otherwise try to open from the tz database directory.
    return name in _known_timezones()


def owner_zone(name: str | None) -> ZoneInfo:
    """The owner's zone; an unknown or empty name falls back to UTC rather than failing."""
    if name and is_valid_timezone(name):
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return ZoneInfo(DEFAULT_TIMEZONE)


def today_in(zone: str | ZoneInfo | None, now: datetime | None = None) -> date:
    """The calendar date in ``zone`` at the instant ``now`` (aware; defaults to the clock)."""
    tz = zone if isinstance(zone, ZoneInfo) else owner_zone(zone)
    instant = now if now is not None else datetime.now(UTC)
    if instant.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return instant.astimezone(tz).date()


def days_to_expiry(expires_on: date | None, today: date) -> int | None:
    """Whole days from ``today`` to ``expires_on``; negative once expired, None without expiry."""
    if expires_on is None:
        return None
    return (expires_on - today).days


def record_status(expires_on: date | None, today: date, due_soon_days: int = 30) -> Status:
    """Status of one record. A record expiring today is still valid today, hence due soon."""
    if due_soon_days < 0:
        raise ValueError("due_soon_days must be >= 0")
    days = days_to_expiry(expires_on, today)
    if days is None:
        return Status.NO_EXPIRY
    if days < 0:
        return Status.EXPIRED
    if days <= due_soon_days:
        return Status.DUE_SOON
    return Status.CURRENT


def pet_status(statuses: Iterable[Status]) -> Status:
    """The most urgent of a pet's record statuses; a pet with no records reads as no_expiry."""
    return min(statuses, key=lambda s: s.urgency, default=Status.NO_EXPIRY)


def attention_sort_key(status: Status, expires_on: date | None) -> tuple[int, date]:
    """Most urgent first: expired before due soon, then the earliest expiry date first."""
    return (status.urgency, expires_on or date.max)


def needs_attention(status: Status) -> bool:
    return status in (Status.EXPIRED, Status.DUE_SOON)
