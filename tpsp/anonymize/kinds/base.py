"""The surface every source kind module offers, and what its transform gets and returns."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from tpsp.anonymize.io import parse_json, parse_jsonl
from tpsp.anonymize.org_map import TeamAssigner
from tpsp.anonymize.records import RecordError


@dataclass
class KindContext:
    """What a transform needs besides the raw records: the secret and the team assigner."""

    secret: bytes
    teams: TeamAssigner


@dataclass
class KindOutput:
    """The landed content of one raw file, per UTC day, and the record counts."""

    days: dict[date, Any]
    rows_in: int
    rows_out: int


class KindModule(Protocol):
    FORMATS: tuple[str, ...]  # raw formats the kind accepts: "json", "jsonl", "csv"
    CONSTANTS: frozenset[str]  # strings the transform itself writes (keys, enum values)

    def parse(self, text: str, fmt: str) -> list[Any]: ...

    def transform(self, documents: list[Any], ctx: KindContext) -> KindOutput: ...

    def serialize(self, content: Any) -> bytes: ...


def parse_json_documents(text: str, fmt: str) -> list[Any]:
    """JSON documents of a file: the lines of a ``.jsonl``; a ``.json`` array's items or the
    ``.json`` document itself."""
    if fmt == "jsonl":
        return parse_jsonl(text)
    document = parse_json(text)
    return document if isinstance(document, list) else [document]


@contextmanager
def at(where: str) -> Iterator[None]:
    """Prefix a ``RecordError`` raised inside the block with where in the file it happened."""
    try:
        yield
    except RecordError as exc:
        raise RecordError(f"{where}: {exc}") from exc


def none_first(key: tuple[Any, ...]) -> tuple[tuple[bool, Any], ...]:
    """A sort key for tuples that may hold None: None sorts before any value."""
    return tuple((value is not None, value) for value in key)
