"""Reading raw export files (json, jsonl, csv, each optionally gzipped) and writing landed ones.

Raw exports can be large, so JSON lines and CSV files are streamed: ``open_text`` yields a text
stream and ``iter_jsonl`` / ``iter_csv`` yield one record at a time, never holding the file.
A single JSON document (a ``.json`` page) is read whole, up to ``MAX_JSON_DOCUMENT_CHARS``.

A raw file that cannot be read raises ``RawFileError`` with a machine-readable code and a
one-line reason, also when the problem only shows part-way through a streamed file (bad
UTF-8 or a broken gzip stream at the end); the caller reports the file and carries on.
"""

import csv
import gzip
import io
import json
import re
import zlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

RAW_FORMATS = ("json", "jsonl", "csv")
GZIP_MAGIC = b"\x1f\x8b"
MAX_JSON_DOCUMENT_CHARS = 256 * 1024 * 1024
# Gateway logs carry whole prompts and responses in one CSV cell; csv's default limit is 128 KiB.
MAX_CSV_FIELD_CHARS = 64 * 1024 * 1024
# A file or folder name tpsp reads or writes: no path separators, no "..", no control or
# shell-special characters. Anything else is refused rather than interpreted.
SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+=@-]{0,199}$")


class RawFileError(Exception):
    """A raw file that is skipped, with a code such as ``malformed_json`` and a reason."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def is_safe_name(name: str) -> bool:
    return bool(SAFE_NAME.match(name)) and ".." not in name


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


@contextmanager
def open_text(path: Path) -> Iterator[TextIO]:
    """The file as a UTF-8 text stream (BOM dropped), gunzipped when the name ends in ``.gz``.

    Decoding and decompression happen while the stream is read; wrap the reading in
    ``reading()`` (``iter_jsonl`` and ``iter_csv`` do) to turn their errors into
    ``RawFileError``.
    """
    try:
        size = path.stat().st_size
        raw = path.open("rb")
    except OSError as exc:
        raise RawFileError("unreadable_file", f"cannot read the file: {exc.strerror}") from exc
    with raw:
        gz = path.name.lower().endswith(".gz")
        if size == 0:
            what = "a zero-byte .gz file holds no gzip stream" if gz else "the file is empty"
            raise RawFileError("empty_file", f"{what} (0 bytes)")
        binary: io.BufferedIOBase = raw
        if gz:
            if raw.read(2) != GZIP_MAGIC:
                raise RawFileError("bad_gzip", "not a valid gzip file: no gzip header")
            raw.seek(0)
            binary = gzip.GzipFile(fileobj=raw, mode="rb")
        text = io.TextIOWrapper(binary, encoding="utf-8-sig", errors="strict", newline="")
        with reading():
            yield text


@contextmanager
def reading(line: int | None = None) -> Iterator[None]:
    """Turn decoding, decompression and I/O errors met while reading into ``RawFileError``."""
    where = f" near line {line}" if line else ""
    try:
        yield
    except UnicodeDecodeError as exc:
        byte = exc.object[exc.start : exc.start + 1].hex() if exc.object else "?"
        raise RawFileError(
            "bad_encoding", f"not UTF-8 text (invalid byte 0x{byte}{where}); export as UTF-8"
        ) from exc
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise RawFileError(
            "bad_gzip", f"the gzip stream is corrupt or cut short{where}: {exc}"
        ) from exc
    except OSError as exc:
        raise RawFileError("unreadable_file", f"cannot read the file: {exc}") from exc


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _loads(text: str) -> Any:
    return json.loads(text, parse_constant=_reject_constant)


def read_json_document(handle: TextIO) -> Any:
    """One JSON document (a ``.json`` page), read whole up to ``MAX_JSON_DOCUMENT_CHARS``."""
    text = handle.read(MAX_JSON_DOCUMENT_CHARS + 1)
    if len(text) > MAX_JSON_DOCUMENT_CHARS:
        raise RawFileError(
            "too_large",
            f"a single JSON document over {MAX_JSON_DOCUMENT_CHARS // 2**20} MiB; "
            "export pages or JSON lines instead",
        )
    if not text.strip():
        raise RawFileError("empty_file", "the file holds only whitespace")
    try:
        return _loads(text)
    except ValueError as exc:
        raise RawFileError("malformed_json", f"truncated or invalid JSON: {exc}") from exc


def iter_jsonl(handle: TextIO) -> Iterator[Any]:
    """One JSON document per non-empty line, streamed."""
    number = 0
    lines = iter(handle)
    while True:
        with reading(number + 1):
            line = next(lines, None)
        if line is None:
            return
        number += 1
        if not line.strip():
            continue
        try:
            yield _loads(line)
        except ValueError as exc:
            raise RawFileError(
                "malformed_json", f"truncated or invalid JSON on line {number}: {exc}"
            ) from exc


def iter_csv(
    handle: TextIO, required: Sequence[str], *, pad_short_rows: bool = False
) -> Iterator[dict[str, str]]:
    """CSV rows as dicts keyed by the trimmed header names, streamed; the ``required``
    columns must be in the header. ``pad_short_rows`` reads a row narrower than the header
    as ending in empty cells (exporters that drop trailing empty cells)."""
    csv.field_size_limit(MAX_CSV_FIELD_CHARS)
    reader = csv.reader(handle, strict=True)
    header = [name.strip() for name in _next_row(reader, 0) or []]
    if not header or not any(header):
        raise RawFileError("missing_columns", "empty CSV: no header row")
    missing = [name for name in required if name not in header]
    if missing:
        raise RawFileError("missing_columns", "missing required columns: " + ", ".join(missing))
    number = 0
    while True:
        row = _next_row(reader, number + 1)
        if row is None:
            return
        number += 1
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            if pad_short_rows and len(row) < len(header):
                row = row + [""] * (len(header) - len(row))
            else:
                raise RawFileError(
                    "malformed_csv",
                    f"row {number} has {len(row)} fields, the header has {len(header)}",
                )
        yield dict(zip(header, row, strict=True))


def _next_row(reader: Iterator[list[str]], number: int) -> list[str] | None:
    with reading(number + 1):
        try:
            return next(reader, None)
        except csv.Error as exc:
            raise RawFileError("malformed_csv", f"invalid CSV at row {number}: {exc}") from exc


def dump_json(document: Any) -> bytes:
    """Deterministic JSON: sorted keys, no spaces, one trailing newline."""
    return (json.dumps(document, sort_keys=True, separators=(",", ":")) + "\n").encode("utf-8")


def dump_jsonl(documents: Iterable[Any]) -> bytes:
    lines = [json.dumps(doc, sort_keys=True, separators=(",", ":")) + "\n" for doc in documents]
    return "".join(lines).encode("utf-8")


def dump_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")
