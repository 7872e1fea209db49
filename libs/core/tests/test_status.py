"""SPEC §3.1 status rules: boundaries, month ends, leap days, and owner time zones."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from petshots_core.status import (
    Status,
    attention_sort_key,
    days_to_expiry,
    is_valid_timezone,
    owner_zone,
    pet_status,
    record_status,
    today_in,
)

TODAY = date(2026, 11, 27)


@pytest.mark.parametrize(
    ("offset", "expected"),
    [
        (-400, Status.EXPIRED),
        (-1, Status.EXPIRED),
        (0, Status.DUE_SOON),  # expires today: still valid today
        (1, Status.DUE_SOON),
        (29, Status.DUE_SOON),
        (30, Status.DUE_SOON),  # "within 30 days" includes the 30th
        (31, Status.CURRENT),
        (365, Status.CURRENT),
    ],
)
def test_boundaries_with_default_window(offset: int, expected: Status) -> None:
    assert record_status(TODAY + timedelta(days=offset), TODAY) is expected


def test_no_expiry() -> None:
    assert record_status(None, TODAY) is Status.NO_EXPIRY
    assert days_to_expiry(None, TODAY) is None


@pytest.mark.parametrize("window", [0, 7, 14, 60, 365])
def test_configurable_window(window: int) -> None:
    assert record_status(TODAY + timedelta(days=window), TODAY, window) is Status.DUE_SOON
    assert record_status(TODAY + timedelta(days=window + 1), TODAY, window) is Status.CURRENT
    assert record_status(TODAY - timedelta(days=1), TODAY, window) is Status.EXPIRED


def test_negative_window_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        record_status(TODAY, TODAY, -1)


@pytest.mark.parametrize(
    ("today", "expires", "days", "status"),
    [
        # month ends
        (date(2026, 1, 31), date(2026, 3, 2), 30, Status.DUE_SOON),
        (date(2026, 1, 31), date(2026, 3, 3), 31, Status.CURRENT),
        (date(2026, 4, 30), date(2026, 5, 31), 31, Status.CURRENT),
        (date(2026, 12, 31), date(2027, 1, 1), 1, Status.DUE_SOON),
        (date(2027, 1, 1), date(2026, 12, 31), -1, Status.EXPIRED),
        # leap days
        (date(2028, 2, 28), date(2028, 2, 29), 1, Status.DUE_SOON),
        (date(2028, 2, 29), date(2028, 2, 29), 0, Status.DUE_SOON),
        (date(2028, 3, 1), date(2028, 2, 29), -1, Status.EXPIRED),
        (date(2028, 1, 30), date(2028, 2, 29), 30, Status.DUE_SOON),
        (date(2027, 1, 30), date(2027, 3, 1), 30, Status.DUE_SOON),  # no Feb 29 in 2027
        (date(2028, 1, 30), date(2028, 3, 1), 31, Status.CURRENT),  # Feb 29 counts
    ],
)
def test_calendar_edges(today: date, expires: date, days: int, status: Status) -> None:
    assert days_to_expiry(expires, today) == days
    assert record_status(expires, today) is status


@pytest.mark.parametrize(
    ("instant", "zone", "local_date"),
    [
        # 2026-11-27 11:00 UTC is already the 28th in Auckland (UTC+13 in summer)
        (datetime(2026, 11, 27, 11, 0, tzinfo=UTC), "Pacific/Auckland", date(2026, 11, 28)),
        # ... and still the 26th at 03:00 UTC in Los Angeles (UTC-8)
        (datetime(2026, 11, 27, 3, 0, tzinfo=UTC), "America/Los_Angeles", date(2026, 11, 26)),
        (datetime(2026, 11, 27, 3, 0, tzinfo=UTC), "UTC", date(2026, 11, 27)),
        # Kiribati is UTC+14; Pago Pago UTC-11: the same instant, two days apart
        (datetime(2026, 11, 27, 10, 30, tzinfo=UTC), "Pacific/Kiritimati", date(2026, 11, 28)),
        (datetime(2026, 11, 27, 10, 30, tzinfo=UTC), "Pacific/Pago_Pago", date(2026, 11, 26)),
        # half-hour and 45-minute zones around midnight
        (datetime(2026, 11, 27, 18, 29, tzinfo=UTC), "Asia/Kolkata", date(2026, 11, 27)),
        (datetime(2026, 11, 27, 18, 30, tzinfo=UTC), "Asia/Kolkata", date(2026, 11, 28)),
        (datetime(2026, 11, 27, 18, 15, tzinfo=UTC), "Asia/Kathmandu", date(2026, 11, 28)),
        # DST transition day in Europe (clocks back on 2026-10-25)
        (datetime(2026, 10, 24, 22, 30, tzinfo=UTC), "Europe/Berlin", date(2026, 10, 25)),
        (datetime(2026, 10, 25, 22, 59, tzinfo=UTC), "Europe/Berlin", date(2026, 10, 25)),
        (datetime(2026, 10, 25, 23, 0, tzinfo=UTC), "Europe/Berlin", date(2026, 10, 26)),
    ],
)
def test_today_in_owner_zone(instant: datetime, zone: str, local_date: date) -> None:
    assert today_in(zone, instant) == local_date


def test_same_instant_different_status_by_zone() -> None:
    """A record expiring on the 27th is expired in Auckland while due today in LA."""
    instant = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    expires = date(2026, 11, 27)
    assert record_status(expires, today_in("Pacific/Auckland", instant)) is Status.EXPIRED
    assert record_status(expires, today_in("America/Los_Angeles", instant)) is Status.DUE_SOON


def test_naive_now_is_rejected() -> None:
    with pytest.raises(ValueError):
        today_in("UTC", datetime(2026, 1, 1))


@pytest.mark.parametrize("name", ["", "Mars/Olympus", "../../etc/passwd", "UTC\x00", None])
def test_unknown_zone_falls_back_to_utc(name: str | None) -> None:
    assert str(owner_zone(name)) == "UTC"
    if name is not None:
        assert not is_valid_timezone(name)


def test_pet_status_is_most_urgent() -> None:
    assert pet_status([]) is Status.NO_EXPIRY
    assert pet_status([Status.NO_EXPIRY, Status.CURRENT]) is Status.CURRENT
    assert pet_status([Status.CURRENT, Status.DUE_SOON]) is Status.DUE_SOON
    assert pet_status([Status.DUE_SOON, Status.EXPIRED, Status.CURRENT]) is Status.EXPIRED


def test_attention_order() -> None:
    items = [
        (Status.DUE_SOON, date(2026, 12, 1)),
        (Status.EXPIRED, date(2026, 11, 1)),
        (Status.DUE_SOON, date(2026, 11, 28)),
        (Status.EXPIRED, date(2025, 1, 1)),
    ]
    ordered = sorted(items, key=lambda i: attention_sort_key(*i))
    assert ordered == [
        (Status.EXPIRED, date(2025, 1, 1)),
        (Status.EXPIRED, date(2026, 11, 1)),
        (Status.DUE_SOON, date(2026, 11, 28)),
        (Status.DUE_SOON, date(2026, 12, 1)),
    ]


def test_colours_and_words() -> None:
    assert [s.colour for s in Status] == ["red", "amber", "green", "grey"]
    assert all(s.word for s in Status)


@given(
    today=st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
    offset=st.integers(min_value=-5000, max_value=5000),
    window=st.integers(min_value=0, max_value=365),
)
def test_status_agrees_with_day_arithmetic(today: date, offset: int, window: int) -> None:
    expires = today + timedelta(days=offset)
    status = record_status(expires, today, window)
    days = days_to_expiry(expires, today)
    assert days == offset
    expected = (
        Status.EXPIRED if offset < 0 else Status.DUE_SOON if offset <= window else Status.CURRENT
    )
    assert status is expected
