"""Reading raw export files (json, jsonl, csv, each optionally gzipped) and writing landed ones.

A raw file that cannot be read raises ``RawFileError`` with a machine-readable code and a
one-line reason; the caller reports the file as skipped and carries on with the rest.
"""

import csv
import gzip
import io
import json
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

RAW_FORMATS = ("json", "jsonl", "csv")


class RawFileError(Exception):
    """A raw file that is skipped, with a code such as ``malformed_json`` and a reason."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def raw_format(path: Path) -> str | None:
    """``json``, ``jsonl`` or ``csv`` from the file name (``.gz`` looked through), else None."""
    suffixes = [suffix.lower() for suffix in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    if not suffixes:
        return None
    fmt = suffixes[-1].lstrip(".")
    return fmt if fmt in RAW_FORMATS else None


def raw_stem(path: Path) -> str:
    """The file name without ``.gz`` and without its format extension."""
    name = path.name
    if name.lower().endswith(".gz"):
        name = name[: -len(".gz")]
    stem, dot, ext = name.rpartition(".")
    return stem if dot and ext.lower() in RAW_FORMATS else name


def read_text(path: Path) -> str:
    """The file's text: gunzipped when the name ends in ``.gz``, decoded as UTF-8."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RawFileError("unreadable_file", f"cannot read the file: {exc.strerror}") from exc
    if path.name.lower().endswith(".gz"):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            raise RawFileError("bad_gzip", f"not a valid gzip file: {exc}") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RawFileError(
            "bad_encoding", f"not UTF-8 text (invalid byte at offset {exc.start})"
        ) from exc


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _loads(text: str) -> Any:
    return json.loads(text, parse_constant=_reject_constant)


def parse_json(text: str) -> Any:
    """One JSON document."""
    try:
        return _loads(text)
    except ValueError as exc:
        raise RawFileError("malformed_json", f"truncated or invalid JSON: {exc}") from exc


def parse_jsonl(text: str) -> list[Any]:
    """One JSON document per non-empty line."""
    documents = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            documents.append(_loads(line))
        except ValueError as exc:
            raise RawFileError(
                "malformed_json", f"truncated or invalid JSON on line {number}: {exc}"
            ) from exc
    return documents


def parse_csv(text: str, required: Sequence[str]) -> list[dict[str, str]]:
    """CSV rows as dicts keyed by the trimmed header names; all ``required`` columns present."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise RawFileError("malformed_csv", f"invalid CSV: {exc}") from exc
    if not rows:
        raise RawFileError("missing_columns", "empty CSV: no header row")
    header = [name.strip() for name in rows[0]]
    missing = [name for name in required if name not in header]
    if missing:
        raise RawFileError("missing_columns", "missing required columns: " + ", ".join(missing))
    records = []
    for number, row in enumerate(rows[1:], start=1):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise RawFileError(
                "malformed_csv",
                f"row {number} has {len(row)} fields, the header has {len(header)}",
            )
        records.append(dict(zip(header, row, strict=True)))
    return records


def dump_json(document: Any) -> bytes:
    """Deterministic JSON: sorted keys, no spaces, one trailing newline."""
    return (json.dumps(document, sort_keys=True, separators=(",", ":")) + "\n").encode("utf-8")


def dump_jsonl(documents: Sequence[Any]) -> bytes:
    lines = [json.dumps(doc, sort_keys=True, separators=(",", ":")) + "\n" for doc in documents]
    return "".join(lines).encode("utf-8")


def dump_csv(header: Sequence[str], rows: Sequence[Sequence[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")
