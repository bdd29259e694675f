"""The surface every source kind module offers, and what its transform gets and returns."""

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol, TextIO

from tpsp.anonymize.io import iter_jsonl, read_json_document
from tpsp.anonymize.org_map import TeamAssigner
from tpsp.anonymize.records import RecordError


@dataclass
class KindContext:
    """What a transform needs besides the raw records: the secret and the team assigner.

    ``unknown_fields`` collects the vendor fields a transform met that its kind does not know
    (schema drift): they are left behind, like every field outside the allow-list, and the
    run reports them as a warning. ``shared`` is one dict per source kind and run, for kinds
    that remember what earlier files held (natural keys already landed); a transform updates
    it only once its file has been read through, so a file that fails leaves no trace.
    """

    secret: bytes
    teams: TeamAssigner
    unknown_fields: set[str] = field(default_factory=set)
    shared: dict[str, Any] = field(default_factory=dict)

    def note_fields(self, names: Iterable[str], known: frozenset[str], prefix: str = "") -> None:
        """Remember the ``names`` (keys of a record, CSV header names) ``known`` lacks."""
        for name in names:
            if name not in known:
                self.unknown_fields.add(f"{prefix}{name}")


@dataclass
class KindOutput:
    """The landed content of one raw file, per UTC day, and the record counts.

    ``duplicates`` counts records dropped because an earlier record of the same file (or,
    for kinds that merge their files, of the run) had the same natural key. A kind that
    merges its files returns what it read in ``partial`` and no ``days``; its ``merge`` turns
    the partials of all files into the landed days.
    """

    days: dict[date, Any]
    rows_in: int
    rows_out: int
    duplicates: int = 0
    partial: Any = None


class KindModule(Protocol):
    FORMATS: tuple[str, ...]  # raw formats the kind accepts: "json", "jsonl", "csv"
    CONSTANTS: frozenset[str]  # strings the transform itself writes (keys, enum values)
    LANDED_FIELDS: frozenset[str]  # the allow-list: field paths a landed record may hold

    def parse(self, handle: TextIO, fmt: str) -> Iterable[Any]: ...

    def transform(self, documents: Iterable[Any], ctx: KindContext) -> KindOutput: ...

    def serialize(self, content: Any) -> bytes: ...

    def count_rows(self, content: Any) -> int:
        """Records of one landed day, at the grain of the kind's natural key."""
        ...


class MergingKindModule(KindModule, Protocol):
    """A kind whose records of one day may be spread over several raw files (rotated
    collector files, overlapping log exports): ``transform`` returns a partial result per
    file and ``merge`` combines the partials of every file of the run, dropping records
    seen in more than one file. Its landed files are named after the kind."""

    MERGES_FILES: bool

    def merge(self, outputs: list[KindOutput]) -> KindOutput: ...


def parse_json_documents(handle: TextIO, fmt: str) -> Iterable[Any]:
    """JSON documents of a file: the lines of a ``.jsonl`` (streamed); a ``.json`` array's
    items or the ``.json`` document itself."""
    if fmt == "jsonl":
        return iter_jsonl(handle)
    document = read_json_document(handle)
    return document if isinstance(document, list) else [document]


def array_items(handle: TextIO, fmt: str) -> Iterator[Any]:
    """The objects of pages that are JSON arrays (GitHub, GitLab): a ``.json`` page is an
    array; a ``.jsonl`` line is a page or a single object. An empty page yields nothing."""
    documents = iter_jsonl(handle) if fmt == "jsonl" else [read_json_document(handle)]
    for document in documents:
        if isinstance(document, list):
            yield from document
        else:
            yield document


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


def keep_latest(
    records: dict[Any, tuple[Any, Mapping[str, Any]]],
    key: Any,
    version: Any,
    record: Mapping[str, Any],
) -> bool:
    """Keep ``record`` under its natural ``key`` unless a record of a later ``version`` (an
    ``updated_at``) is already kept; on equal versions the later record wins. Returns whether
    the key was seen before (a duplicate)."""
    version = version if isinstance(version, str) else ""
    seen = records.get(key)
    if seen is None or version >= seen[0]:
        records[key] = (version, record)
    return seen is not None


def merge_latest_into_groups(
    outputs: list[KindOutput], new_group: Callable[[], Any]
) -> tuple[dict[Any, Any], int, int]:
    """For kinds whose files overlap (reports covering the same days): the latest record of
    each natural key across the files, in file order, added into its group (``record.key``).
    Each output's ``partial`` is a list of (natural key, record). Returns the groups, the
    records read and the records dropped as repeats."""
    latest: dict[Any, Any] = {}
    rows_in = 0
    for output in outputs:
        for natural_key, record in output.partial:
            latest[natural_key] = record
            rows_in += 1
    groups: dict[Any, Any] = {}
    for record in latest.values():
        groups.setdefault(record.key, new_group()).add(record)
    return groups, rows_in, rows_in - len(latest)
