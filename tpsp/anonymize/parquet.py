"""Landed files in Parquet: the same records as the kind's JSON lines or CSV, typed.

``tpsp anonymize --format parquet`` lands the kinds whose volume grows with every call or
request in Parquet; the others (pages of daily aggregates, delivery exports) are small and
land in their JSON or CSV shape whatever the flag. A Parquet layout holds the kind's whole
landed shape, nothing less: OTLP documents keep every field the anonymizer writes (typed
as OTLP/JSON types them: 64-bit integers stay strings), CSV kinds keep every column as text.
The anonymizer reads each file it wrote back and refuses it unless it holds exactly the
records of the JSON or CSV it replaces, so the gates (which read Parquet through
``read_documents`` and ``read_table``) and the warehouse (``macros/landing/``) see the same
data in either format.
"""

import csv
import io
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from tpsp.anonymize.kinds import daily_totals, linear_issues, litellm_spend
from tpsp.errors import TpspError

PARQUET_EXT = "parquet"
LANDING_FORMATS = ("json", PARQUET_EXT)  # "json": each kind's own JSON or CSV shape

_OTLP_ATTRIBUTES = 'struct("key" varchar, "value" struct(stringValue varchar, intValue varchar))[]'
_RESOURCE = f"resource struct(attributes {_OTLP_ATTRIBUTES})"


@dataclass(frozen=True)
class JsonLayout:
    """A JSON-lines kind: one row per line, one column per top-level field."""

    columns: dict[str, str]  # field -> DuckDB type of its whole value


@dataclass(frozen=True)
class CsvLayout:
    """A CSV kind: one row per CSV row, every column text (empty cells null)."""

    columns: tuple[str, ...]


PARQUET_LAYOUTS: dict[str, JsonLayout | CsvLayout] = {
    "otel_genai_spans": JsonLayout(
        {
            "resourceSpans": f"""struct(
                {_RESOURCE},
                scopeSpans struct(spans struct(
                    attributes {_OTLP_ATTRIBUTES}, kind integer, "name" varchar,
                    spanId varchar, startTimeUnixNano varchar, status struct(code integer),
                    traceId varchar
                )[])[]
            )[]"""
        }
    ),
    "claude_code_otel": JsonLayout(
        {
            "resourceMetrics": f"""struct(
                {_RESOURCE},
                scopeMetrics struct(
                    scope struct("name" varchar),
                    metrics struct(
                        "name" varchar, unit varchar,
                        "sum" struct(
                            aggregationTemporality integer, isMonotonic boolean,
                            dataPoints struct(
                                asDouble double, asInt varchar,
                                attributes {_OTLP_ATTRIBUTES},
                                startTimeUnixNano varchar, timeUnixNano varchar
                            )[]
                        )
                    )[]
                )[]
            )[]"""
        }
    ),
    "litellm_spend": CsvLayout(litellm_spend.COLUMNS),
    "daily_totals": CsvLayout(daily_totals.COLUMNS),
    "linear_issues": CsvLayout(linear_issues.COLUMNS),
}


class ParquetLayoutError(TpspError):
    """A landed document does not fit its kind's Parquet layout without losing data."""


def _connect() -> duckdb.DuckDBPyConnection:
    # one thread keeps row order and makes the same records give the same bytes
    return duckdb.connect(config={"threads": 1})


def _quoted(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _struct_literal(columns: dict[str, str]) -> str:
    return "{" + ", ".join(f"'{name}': '{kind}'" for name, kind in columns.items()) + "}"


def to_parquet(kind: str, landed: bytes) -> bytes:
    """The Parquet file holding exactly the records of ``landed``, the kind's JSON lines or
    CSV bytes; ParquetLayoutError when the layout would lose any of it."""
    layout = PARQUET_LAYOUTS[kind]
    with tempfile.TemporaryDirectory(prefix="tpsp-parquet-") as folder:
        source = Path(folder, "landed")
        source.write_bytes(landed)
        target = Path(folder, f"landed.{PARQUET_EXT}")
        if isinstance(layout, JsonLayout):
            reader = (
                f"read_json({_quoted(source)}, format = 'newline_delimited', "
                f"columns = {_struct_literal(layout.columns)})"
            )
        else:
            varchar = {column: "varchar" for column in layout.columns}
            reader = (
                f"read_csv({_quoted(source)}, header = true, auto_detect = false, "
                f"columns = {_struct_literal(varchar)})"
            )
        with _connect() as connection:
            connection.execute(
                f"copy (select * from {reader}) to {_quoted(target)} "
                "(format parquet, compression zstd)"
            )
        found = read_documents(target) if isinstance(layout, JsonLayout) else read_table(target)
        if found != _records_of(layout, landed):
            raise ParquetLayoutError(
                f"{kind} records do not fit the {kind} Parquet layout without losing fields"
            )
        return target.read_bytes()


def _records_of(layout: JsonLayout | CsvLayout, landed: bytes) -> Any:
    text = landed.decode("utf-8")
    if isinstance(layout, JsonLayout):
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    rows = list(csv.reader(io.StringIO(text)))
    return rows[0], [[_text(cell) for cell in row] for row in rows[1:]]


def _without_nulls(value: Any) -> Any:
    """A Parquet row as the JSON document it came from: OTLP/JSON omits absent fields, so a
    null field of the typed row is a field the document did not have."""
    if isinstance(value, dict):
        return {key: _without_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_without_nulls(item) for item in value]
    return value


def read_documents(path: Path) -> list[Any]:
    """A landed Parquet file of a JSON-lines kind as its documents, whatever columns the
    file holds, so that a field outside the layout is seen by the gate as in a JSON file.
    Raises duckdb.Error when the file is not Parquet."""
    with _connect() as connection:
        rows = connection.execute(
            f"select to_json(landed) from read_parquet({_quoted(path)}) landed"
        ).fetchall()
    return [_without_nulls(json.loads(text)) for (text,) in rows]


def read_table(path: Path) -> tuple[list[str], list[list[str | None]]]:
    """A landed Parquet file of a CSV kind as its header and rows, cells as the gates read
    a CSV's: text, an empty cell null."""
    with _connect() as connection:
        relation = connection.sql(f"select * from read_parquet({_quoted(path)})")
        header = list(relation.columns)
        rows = [[_text(cell) for cell in row] for row in relation.fetchall()]
    return header, rows


def _text(cell: Any) -> str | None:
    if cell is None or cell == "":
        return None
    return cell if isinstance(cell, str) else str(cell)
