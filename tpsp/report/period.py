"""Quarters as the report names them (`2026Q3`) and the months inside them."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from tpsp.errors import InputError

_QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*Q([1-4])\s*$", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> "Quarter":
        match = _QUARTER.match(text)
        if match is None:
            raise InputError(
                f"period {text!r} is not a quarter",
                hint="write the quarter as YYYYQn, e.g. --period 2026Q3",
            )
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def containing(cls, day: date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> date:
        """Last day of the quarter."""
        following = date(self.year + 1, 1, 1) if self.number == 4 else self.next().start
        return following - timedelta(days=1)

    @property
    def months(self) -> tuple[date, date, date]:
        first = self.start.month
        return tuple(date(self.year, first + offset, 1) for offset in range(3))  # type: ignore[return-value]

    def next(self) -> "Quarter":
        return (
            Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        )

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"


def latest_complete_quarter(quarters: list[Quarter], data_through: date) -> Quarter | None:
    """The latest quarter whose last day the data reaches.

    The first quarter of a history may start mid-quarter; it still counts as complete, since
    later data cannot fill its beginning. The quarter the data is still in never does.
    """
    complete = [quarter for quarter in quarters if quarter.end <= data_through]
    return max(complete, default=None)
