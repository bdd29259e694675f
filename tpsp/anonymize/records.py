"""Typed access to fields of raw records; a bad value raises ``RecordError``."""

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

_INTEGER_TEXT = re.compile(r"-?\d+")


class RecordError(ValueError):
    """A raw record lacks a field or holds a value of the wrong type; names the field only."""


def dig(record: Any, dotted: str) -> Any:
    """``record["a"]["b"]`` for ``"a.b"``; None when any step is missing or null."""
    value = record
    for part in dotted.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def as_mapping(value: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise RecordError(f"{what} is not an object")
    return value


def as_list(value: Any, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise RecordError(f"{what} is not a list")
    return value


def as_int(value: Any, what: str, *, default: int | None = None) -> int:
    """An integer; JSON numbers and OTLP's string-encoded integers both accepted.

    A negative count is kept: judging values is the quality gates' job, not the anonymizer's.
    """
    if value is None:
        if default is None:
            raise RecordError(f"{what} is missing")
        return default
    if isinstance(value, bool):
        raise RecordError(f"{what} is not an integer")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        if not _INTEGER_TEXT.fullmatch(value.strip()):
            raise RecordError(f"{what} is not an integer")
        value = int(value.strip())
    if not isinstance(value, int):
        raise RecordError(f"{what} is not an integer")
    return value


def as_optional_int(value: Any, what: str) -> int | None:
    return None if value is None else as_int(value, what)


def as_count(value: Any, what: str) -> int:
    """A non-negative integer, for values the anonymizer computes with (timestamps)."""
    number = as_int(value, what)
    if number < 0:
        raise RecordError(f"{what} is negative")
    return number


def as_decimal(value: Any, what: str) -> Decimal:
    """A decimal string or JSON number, read exactly (money: amounts add up to the cent)."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise RecordError(f"{what} is not a decimal string")
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise RecordError(f"{what} is not a decimal string") from exc
    if not amount.is_finite():
        raise RecordError(f"{what} is not a finite number")
    return amount


def as_text(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise RecordError(f"{what} is missing or not text")
    return value


def as_optional_text(value: Any, what: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise RecordError(f"{what} is not text")
    return value
