"""Turn a landed file into a flat frame the suites can check.

Every suite's ``flatten(path)`` returns one row per record at the natural-key grain of
``docs/landing_contract.md``. Landed fields keep their vendor names (nested JSON fields as
dotted paths such as ``fields.created``) and their values as landed: timestamps stay strings,
integer fields hold Python ints when the landed value is an integer or an integer string
(OTLP/JSON encodes 64-bit integers as strings) and the value's JSON text otherwise, so a type
expectation names the bad value. Every cell is a scalar and every column has ``object`` dtype,
so frames of many files concatenate without changing how a value is checked.

Derived columns (where an expectation needs a computed value) are named after their source:

* ``<field>__as_int`` / ``<field>__as_number``: the numeric value, null when not numeric;
* ``<field>__offset_in_hour``: seconds or nanoseconds past the hour of a Unix timestamp;
* ``_record_date``: the UTC date of the record, ``_date_folder``: the landed day folder;
* ``_record_day`` / ``_latest_day``: the record's date and its latest timestamp's date as
  ``YYYYMMDD`` integers, for the "not before 2020, not in the future" bounds;
* ``_tokens_per_call``: tokens of one model call (or the largest call of an aggregate row),
  where the kind can tell, for the plausibility bound;
* ``_dropped_fields``: fields the contract drops that are still present with a value;
* ``_unknown_fields``: fields the landing contract does not know (schema drift): the landing
  views never read them, and the gate reports them as a warning, not a failure;
* ``_unmapped_text``: every other string in the record and its envelope;
* ``_pii``: ``field: value`` of every field (``_unmapped_text`` included) holding an email
  address, an IP address or a URL with a host (``tpsp.pii``), or null.
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from tpsp.anonymize.parquet import PARQUET_EXT, read_documents, read_table
from tpsp.pii import find_pii

FILE = "_file"
DATE_FOLDER = "_date_folder"
RECORD_DATE = "_record_date"
DROPPED_FIELDS = "_dropped_fields"
UNKNOWN_FIELDS = "_unknown_fields"
UNMAPPED_TEXT = "_unmapped_text"
UNCACHED_INPUT_TOKENS = "_uncached_input_tokens"
RECORD_DAY = "_record_day"
LATEST_DAY = "_latest_day"
TOKENS_PER_CALL = "_tokens_per_call"
PII = "_pii"

AS_INT = "__as_int"
AS_NUMBER = "__as_number"
OFFSET_IN_HOUR = "__offset_in_hour"

SECONDS_PER_HOUR = 3_600
NANOS_PER_HOUR = 3_600 * 1_000_000_000

_INTEGER_TEXT = re.compile(r"-?\d+")
_ABSENT = object()


class ShapeError(ValueError):
    """The file parses but does not have its source kind's landed shape."""


# -- reading ------------------------------------------------------------------------------


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def read_jsonl(path: Path) -> list[Any]:
    """The documents of a JSON-lines file, or of its Parquet form (``--format parquet``)."""
    if path.suffix == f".{PARQUET_EXT}":
        return _from_parquet(read_documents, path)
    objects = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                objects.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ShapeError(f"line {number}: {exc}") from exc
    return objects


def read_csv(path: Path) -> tuple[list[str], list[dict[str, Any]]]:
    """The header and the rows of a CSV file, or of its Parquet form; empty cells are null."""
    if path.suffix == f".{PARQUET_EXT}":
        header, cells = _from_parquet(read_table, path)
        return header, [dict(zip(header, row, strict=True)) for row in cells]
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle, restkey="_extra_cells")
        rows = [{key: (value or None) for key, value in row.items()} for row in reader]
        return list(reader.fieldnames or []), rows


def _from_parquet(reader: Callable[[Path], Any], path: Path) -> Any:
    try:
        return reader(path)
    except duckdb.Error as exc:
        raise ShapeError(f"not a readable Parquet file: {exc}") from exc


def require(value: Any, kind: type, what: str) -> Any:
    """``value`` when it has the JSON type ``kind``, else a ShapeError naming ``what``."""
    if not isinstance(value, kind):
        names = {dict: "an object", list: "an array"}
        raise ShapeError(f"{what} is not {names.get(kind, kind.__name__)}")
    return value


# -- picking fields -----------------------------------------------------------------------


def pluck(record: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted path; null when a parent is null, ``_ABSENT`` when missing."""
    value: Any = record
    for key in path.split("."):
        if value is None:
            return None
        if not isinstance(value, Mapping) or key not in value:
            return _ABSENT
        value = value[key]
    return value


def pick(record: Mapping[str, Any], paths: Iterable[str]) -> dict[str, Any]:
    """Columns named by their dotted path, for the paths present in the record."""
    row = {}
    for path in paths:
        value = pluck(record, path)
        if value is not _ABSENT:
            row[path] = scalar(value)
    return row


def scalar(value: Any) -> Any:
    """Nested values become their JSON text so every cell is a comparable scalar."""
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True)
    return value


def dropped_fields(record: Mapping[str, Any], paths: Iterable[str]) -> str | None:
    """The contract-dropped paths still present with a value, comma-joined, or null."""
    present = [path for path in paths if pluck(record, path) not in (_ABSENT, None)]
    return ",".join(sorted(present)) or None


def unknown_fields(record: Any, known: Iterable[str], prefix: str = "") -> list[str]:
    """Dotted paths in ``record`` that are neither ``known`` nor on the way to a known path,
    each reported behind ``prefix`` (where the record sits in its file)."""
    return [prefix + path for path in _unknown_paths(record, set(known), "")]


def _unknown_paths(record: Any, known: set[str], at: str) -> list[str]:
    if not isinstance(record, Mapping):
        return []
    found = []
    for key, value in record.items():
        path = f"{at}{key}"
        if path in known:
            continue
        if any(name.startswith(path + ".") for name in known):
            found.extend(_unknown_paths(value, known, path + "."))
        else:
            found.append(path)
    return found


def join_fields(fields: Iterable[str]) -> str | None:
    return ",".join(sorted(set(fields))) or None


def leftover_text(value: Any, mapped: Iterable[str] = (), prefix: str = "") -> list[str]:
    """Every string under ``value`` except at the ``mapped`` dotted paths."""
    mapped = set(mapped)
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [text for item in value for text in leftover_text(item, mapped, prefix)]
    if isinstance(value, Mapping):
        texts = []
        for key, item in value.items():
            path = f"{prefix}{key}"
            if path not in mapped:
                texts.extend(leftover_text(item, mapped, f"{path}."))
        return texts
    return []


def join_text(texts: Iterable[str]) -> str | None:
    joined = " | ".join(text for text in texts if text)
    return joined or None


# -- values -------------------------------------------------------------------------------


def as_int(value: Any) -> Any:
    """An int for integer values and integer strings; the JSON text of anything else."""
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    if isinstance(value, str) and _INTEGER_TEXT.fullmatch(value.strip()):
        return int(value)
    return value if isinstance(value, str) else json.dumps(value)


def as_number(value: Any) -> Any:
    """An int or float for numbers and numeric strings; the JSON text of anything else."""
    if value is None or (isinstance(value, int | float) and not isinstance(value, bool)):
        return value
    if isinstance(value, str):
        if _INTEGER_TEXT.fullmatch(value.strip()):
            return int(value)
        try:
            number = float(value)
        except ValueError:
            return value
        return number if math.isfinite(number) else value
    return json.dumps(value)


def numeric(value: Any) -> int | float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return None


def utc_date(unix_value: Any, per_second: int = 1) -> str | None:
    """The UTC date of a Unix timestamp counted in 1/``per_second`` seconds."""
    value = as_int(unix_value)
    if not isinstance(value, int):
        return None
    try:
        moment = datetime.fromtimestamp(value // per_second, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return moment.date().isoformat()


def iso_date(text: Any) -> str | None:
    """The date part of an ISO 8601 timestamp already in UTC."""
    if isinstance(text, str) and re.match(r"\d{4}-\d{2}-\d{2}", text):
        return text[:10]
    return None


def _pii(row: Mapping[str, Any]) -> str | None:
    """The fields of a row holding personal data, as ``field: value``, or None."""
    found = [
        f"{column}: {value}"
        for column, value in row.items()
        if isinstance(value, str)
        and (not column.startswith("_") or column == UNMAPPED_TEXT)
        and find_pii(value)
    ]
    return " | ".join(found) or None


def day_number(value: Any, unit: str = "iso") -> int | None:
    """A date as ``YYYYMMDD``: from an ISO text (``iso``) or Unix seconds (``s``) or
    nanoseconds (``ns``); None when the value is not one."""
    if unit == "iso":
        text = iso_date(value)
    else:
        text = utc_date(value, per_second=1_000_000_000 if unit == "ns" else 1)
    if text is None or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return None
    return int(text.replace("-", ""))


def uncached_input_tokens(row: Mapping[str, Any], total: str, *cached: str) -> int | None:
    """Input tokens minus the cached ones, for counts that include cached tokens."""
    values = [as_int(row.get(total))] + [as_int(row.get(column, 0)) for column in cached]
    if not all(isinstance(value, int) for value in values):
        return None
    return values[0] - sum(values[1:])


# -- the frame ----------------------------------------------------------------------------


def page_rows(
    path: Path,
    *,
    page_keys: Iterable[str],
    bucket_keys: Iterable[str],
    bucket_fields: Iterable[str],
    result_keys: Iterable[str],
    row: Callable[[dict[str, Any], dict[str, Any], list[str]], dict[str, Any]],
) -> list[dict[str, Any]]:
    """One row per result of each daily bucket of a paginated vendor report (OpenAI's and
    Anthropic's usage and cost pages): ``row(bucket, result, text around it)``, plus the
    fields of page, bucket and result that are not in their ``*_keys``."""
    page = require(read_json(path), dict, "the page")
    page_text = leftover_text(page, {"data"})
    page_unknown = unknown_fields(page, page_keys)
    rows = []
    for bucket in require(page.get("data"), list, "data"):
        bucket = require(bucket, dict, "a bucket")
        bucket_text = page_text + leftover_text(bucket, {*bucket_fields, "results"})
        unknown = page_unknown + unknown_fields(bucket, bucket_keys, "data.")
        for result in require(bucket.get("results"), list, "results"):
            result_row = row(bucket, require(result, dict, "a result"), bucket_text)
            result_row[UNKNOWN_FIELDS] = join_fields(
                unknown + unknown_fields(result, result_keys, "data.results.")
            )
            rows.append(result_row)
    return rows


def to_frame(
    rows: list[dict[str, Any]],
    path: Path,
    *,
    integers: Iterable[str] = (),
    numbers: Iterable[str] = (),
    unix_seconds: Iterable[str] = (),
    unix_nanos: Iterable[str] = (),
    iso_timestamps: Iterable[str] = (),
) -> pd.DataFrame:
    """The file's rows as an ``object`` frame with typed values and derived columns.

    ``iso_timestamps``, ``unix_seconds`` and ``unix_nanos`` name the record's timestamps:
    their latest date becomes ``_latest_day``; ``_record_date`` becomes ``_record_day``.
    """
    integers, numbers = list(integers), list(numbers)
    unix_seconds, unix_nanos = list(unix_seconds), list(unix_nanos)
    stamps = [(column, "iso") for column in iso_timestamps]
    stamps += [(column, "s") for column in unix_seconds] + [(column, "ns") for column in unix_nanos]
    offsets = [(column, SECONDS_PER_HOUR) for column in unix_seconds]
    offsets += [(column, NANOS_PER_HOUR) for column in unix_nanos]
    for row in rows:
        for column in integers:
            if column in row:
                row[column] = as_int(row[column])
                row[column + AS_INT] = numeric(row[column])
        for column in numbers:
            if column in row:
                row[column] = as_number(row[column])
                row[column + AS_NUMBER] = numeric(row[column])
        for column, unit in offsets:
            if column in row:
                value = as_int(row[column])
                row[column + OFFSET_IN_HOUR] = value % unit if isinstance(value, int) else None
        row[DATE_FOLDER] = path.parent.name
        row[PII] = _pii(row)
        row[RECORD_DAY] = day_number(row.get(RECORD_DATE))
        days = [day_number(row.get(column), unit) for column, unit in stamps]
        row[LATEST_DAY] = max((day for day in days if day is not None), default=None)
    return pd.DataFrame(rows, dtype=object)
