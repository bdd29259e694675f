"""Byte-stable file writing: the same world always produces the same bytes."""

import csv
import gzip
import io
import json
from pathlib import Path


def write_bytes(path: Path, data: bytes, gz: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(data, mtime=0) if gz else data)


def write_json(path: Path, document: object, gz: bool = False, indent: int | None = None) -> None:
    separators = None if indent else (",", ":")
    text = json.dumps(document, indent=indent, separators=separators) + "\n"
    write_bytes(path, text.encode(), gz)


def write_jsonl(path: Path, lines: list[object], gz: bool = False) -> None:
    text = "".join(json.dumps(line, separators=(",", ":")) + "\n" for line in lines)
    write_bytes(path, text.encode(), gz)


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    write_bytes(path, buffer.getvalue().encode())
