"""Calendar helpers: local working hours, UTC instants and vendor timestamp formats."""

import random
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

# Relative activity by weekday (Monday first): a working week with quiet weekends.
WEEKDAY_WEIGHT: tuple[float, ...] = (1.0, 1.05, 1.05, 1.0, 0.95, 0.1, 0.1)


@cache
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def day_weight(day: date) -> float:
    return WEEKDAY_WEIGHT[day.weekday()]


def is_weekend(day: date) -> bool:
    return day.weekday() >= 5


def date_range(start: date, end: date) -> list[date]:
    return [start + timedelta(days=offset) for offset in range((end - start).days + 1)]


def month_of(day: date) -> str:
    return day.strftime("%Y-%m")


def work_second(rng: random.Random, day: date) -> float:
    """A second of the local day when someone is at work: two daily peaks, a few late hours."""
    if is_weekend(day):
        return rng.uniform(10 * 3600, 18 * 3600)
    if rng.random() < 0.05:
        return rng.uniform(19.5 * 3600, 23 * 3600)
    while True:
        hour = rng.gauss(rng.choice((10.5, 15.0)), 1.6)
        if 8.0 <= hour <= 19.5:
            return hour * 3600


def local_instant(day: date, seconds: float, timezone: str) -> datetime:
    """The UTC instant of `seconds` after local midnight of `day` in `timezone`."""
    midnight = datetime.combine(day, time(0), tzinfo=zone(timezone))
    return (midnight + timedelta(seconds=seconds)).astimezone(UTC)


def utc_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


def iso_z(instant: datetime) -> str:
    """GitHub and Anthropic style: `2026-03-02T09:15:00Z`."""
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def jira_timestamp(instant: datetime, timezone: str) -> str:
    """Jira Cloud style in the firm's offset: `2026-03-02T10:15:00.000+0100`."""
    local = instant.astimezone(zone(timezone))
    return (
        local.strftime("%Y-%m-%dT%H:%M:%S.")
        + f"{local.microsecond // 1000:03d}"
        + (local.strftime("%z"))
    )


def unix_seconds(instant: datetime) -> int:
    return int(instant.timestamp())


def unix_nanos(instant: datetime) -> int:
    whole = int(instant.replace(microsecond=0).timestamp())
    return whole * 1_000_000_000 + instant.microsecond * 1000
