"""Building blocks the per-kind suites are made of, one function per kind of rule.

Each function returns Great Expectations 1.x expectations for the columns of a flattened
frame (see ``expectations.flatten``), so a suite reads as a list of rules:
``required(...) + integers(...) + on_the_hour(...) + ...``.
"""

from __future__ import annotations

from collections.abc import Iterable

import great_expectations as gx
from great_expectations.expectations import Expectation

from expectations.flatten import (
    AS_INT,
    AS_NUMBER,
    DATE_FOLDER,
    DROPPED_FIELDS,
    FILE,
    LATEST_DAY,
    OFFSET_IN_HOUR,
    PII,
    RECORD_DATE,
    RECORD_DAY,
    TOKENS_PER_CALL,
)

TEAM_ID = r"^t_[0-9a-f]{16}$"
ARTIFACT_KEY = r"^a_[0-9a-f]{16}$"
HASHED_ID = r"^h_[0-9a-f]{16}$"
DATE = r"^\d{4}-\d{2}-\d{2}$"
ISO_HOUR = r"^\d{4}-\d{2}-\d{2}T\d{2}:00:00Z$"
JIRA_HOUR = r"^\d{4}-\d{2}-\d{2}T\d{2}:00:00\.000\+0000$"
UNIX_INTEGER = r"^\d+$"

# Plausibility: no single model call uses more tokens than this (the largest context windows
# hold about 1M tokens); a count above it is a unit or export error, not usage.
MAX_TOKENS_PER_CALL = 10_000_000
# Nothing tpsp measures happened before 2020.
EARLIEST_DAY = 20200101


def suite(name: str, *groups: list[Expectation]) -> gx.ExpectationSuite:
    """A suite holding the expectations of every group, in order."""
    built = gx.ExpectationSuite(name=f"landing.{name}")
    for group in groups:
        for expectation in group:
            built.add_expectation(expectation)
    return built


def columns_present(columns: Iterable[str]) -> list[Expectation]:
    """The file has every listed column (checked per file); other columns may exist."""
    return [
        gx.expectations.ExpectTableColumnsToMatchSet(column_set=sorted(columns), exact_match=False),
        gx.expectations.ExpectTableRowCountToBeBetween(min_value=1),
    ]


def not_null(columns: Iterable[str]) -> list[Expectation]:
    return [gx.expectations.ExpectColumnValuesToNotBeNull(column=column) for column in columns]


def of_type(columns: Iterable[str], *type_list: str) -> list[Expectation]:
    return [
        gx.expectations.ExpectColumnValuesToBeInTypeList(column=column, type_list=list(type_list))
        for column in columns
    ]


def strings(columns: Iterable[str]) -> list[Expectation]:
    return of_type(columns, "str")


def booleans(columns: Iterable[str]) -> list[Expectation]:
    return of_type(columns, "bool")


def counts(columns: Iterable[str]) -> list[Expectation]:
    """Integer-typed (or integer strings) and not negative."""
    columns = list(columns)
    return of_type(columns, "int") + [
        gx.expectations.ExpectColumnValuesToBeBetween(column=column + AS_INT, min_value=0)
        for column in columns
    ]


def amounts(columns: Iterable[str]) -> list[Expectation]:
    """Numbers (integer or decimal) and not negative."""
    columns = list(columns)
    return of_type(columns, "int", "float") + [
        gx.expectations.ExpectColumnValuesToBeBetween(column=column + AS_NUMBER, min_value=0)
        for column in columns
    ]


def at_least_zero(columns: Iterable[str]) -> list[Expectation]:
    return [
        gx.expectations.ExpectColumnValuesToBeBetween(column=column, min_value=0)
        for column in columns
    ]


def matching(columns: Iterable[str], regex: str) -> list[Expectation]:
    return [
        gx.expectations.ExpectColumnValuesToMatchRegex(column=column, regex=regex)
        for column in columns
    ]


def one_of(columns: Iterable[str], values: Iterable[str]) -> list[Expectation]:
    return [
        gx.expectations.ExpectColumnValuesToBeInSet(column=column, value_set=sorted(values))
        for column in columns
    ]


def unix_on_the_hour(columns: Iterable[str]) -> list[Expectation]:
    """Unix timestamps (seconds or nanoseconds, integer or integer string) on the hour."""
    columns = list(columns)
    return matching(columns, UNIX_INTEGER) + [
        gx.expectations.ExpectColumnValuesToBeInSet(column=column + OFFSET_IN_HOUR, value_set=[0])
        for column in columns
    ]


def in_date_folder() -> list[Expectation]:
    """The record's UTC date is the day folder the file was landed in."""
    return [
        gx.expectations.ExpectColumnValuesToMatchRegex(column=DATE_FOLDER, regex=DATE),
        gx.expectations.ExpectColumnPairValuesToBeEqual(
            column_A=RECORD_DATE, column_B=DATE_FOLDER, ignore_row_if="either_value_is_missing"
        ),
    ]


def unique_in_file(natural_key: Iterable[str]) -> list[Expectation]:
    """No two records of one file share the natural key."""
    return [gx.expectations.ExpectCompoundColumnsToBeUnique(column_list=[FILE, *natural_key])]


def equal(column_a: str, column_b: str) -> list[Expectation]:
    return [
        gx.expectations.ExpectColumnPairValuesToBeEqual(
            column_A=column_a, column_B=column_b, ignore_row_if="either_value_is_missing"
        )
    ]


def nothing_dropped_left() -> list[Expectation]:
    """No field the contract drops (identities, free text) is still there with a value."""
    return [gx.expectations.ExpectColumnValuesToBeNull(column=DROPPED_FIELDS)]


def no_pii() -> list[Expectation]:
    """No email address, IP address or URL with a host in any landed field, including the
    fields no rule maps: the ``_pii`` column names each such field and value."""
    return [gx.expectations.ExpectColumnValuesToBeNull(column=PII)]


def dated_between(latest_day: int) -> list[Expectation]:
    """Records dated from 2020 on, and no timestamp of a record after ``latest_day``
    (``YYYYMMDD``: tomorrow, as seen by the gate)."""
    return [
        gx.expectations.ExpectColumnValuesToBeBetween(
            column=RECORD_DAY, min_value=EARLIEST_DAY, max_value=latest_day
        ),
        gx.expectations.ExpectColumnValuesToBeBetween(column=LATEST_DAY, max_value=latest_day),
    ]


def plausible_calls() -> list[Expectation]:
    """No model call above ``MAX_TOKENS_PER_CALL`` tokens, where the kind can tell."""
    return [
        gx.expectations.ExpectColumnValuesToBeBetween(
            column=TOKENS_PER_CALL, max_value=MAX_TOKENS_PER_CALL
        )
    ]
