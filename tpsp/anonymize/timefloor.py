"""Timestamps floored to the hour in UTC, in each vendor's own notation."""

import re
from datetime import UTC, date, datetime

NANOS_PER_HOUR = 3_600 * 1_000_000_000
SECONDS_PER_HOUR = 3_600

_FRACTION = re.compile(r"(\.\d{1,6})\d*")
_COMPACT_OFFSET = re.compile(r"([+-]\d{2})(\d{2})$")


def floor_datetime(moment: datetime) -> datetime:
    """The UTC hour that contains ``moment``; a naive datetime is read as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def parse_iso(value: str) -> datetime:
    """An ISO 8601 timestamp with ``Z``, ``+01:00`` or Jira's ``+0100``; naive means UTC."""
    text = value.strip()
    if not text:
        raise ValueError("empty timestamp")
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    text = _COMPACT_OFFSET.sub(r"\1:\2", text)
    text = _FRACTION.sub(r"\1", text, count=1)
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def floor_iso(value: str) -> datetime:
    return floor_datetime(parse_iso(value))


def format_iso_z(moment: datetime) -> str:
    """``2026-03-02T09:00:00Z`` (GitHub, Anthropic)."""
    return floor_datetime(moment).strftime("%Y-%m-%dT%H:%M:%SZ")


def format_jira(moment: datetime) -> str:
    """``2026-03-02T09:00:00.000+0000`` (Jira's own format, in UTC)."""
    return floor_datetime(moment).strftime("%Y-%m-%dT%H:%M:%S.000+0000")


def floor_unix_nanos(value: int) -> int:
    if value < 0:
        raise ValueError("negative timestamp")
    return value - value % NANOS_PER_HOUR


def floor_unix_seconds(value: int) -> int:
    if value < 0:
        raise ValueError("negative timestamp")
    return value - value % SECONDS_PER_HOUR


def day_of_unix_nanos(value: int) -> date:
    return datetime.fromtimestamp(value // 1_000_000_000, tz=UTC).date()


def day_of_unix_seconds(value: int) -> date:
    return datetime.fromtimestamp(value, tz=UTC).date()
