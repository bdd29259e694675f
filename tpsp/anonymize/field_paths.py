"""Field paths of JSON-like records: the allow-lists' vocabulary and the dry run's.

A path names a field the way the landing contract does: ``state``, ``base.repo.full_name``,
``labels[].name``, and OTLP attributes by their key, ``attributes[gen_ai.request.model]``.
Containers are paths too, so a field that lands null or empty (``fields.resolution``,
``labels``) is named even without its children. Paths are tuples of segments (``"[]"`` for
a list item, ``"[key]"`` for an OTLP attribute) and rendered as text only to be read.
"""

import re
from collections.abc import Iterable, Mapping
from typing import Any

FieldPath = tuple[str, ...]

_SEGMENT = re.compile(r"\[[^\]]*\]|[^.\[]+")


def _is_attribute(item: Any) -> bool:
    """An OTLP ``{"key", "value"}`` attribute: its key names the field, its value is data."""
    return isinstance(item, Mapping) and isinstance(item.get("key"), str) and "value" in item


def _collect(value: Any, prefix: FieldPath, into: set[FieldPath]) -> None:
    if isinstance(value, Mapping):
        for key, item in value.items():
            path = (*prefix, str(key))
            into.add(path)
            _collect(item, path, into)
    elif isinstance(value, list):
        for item in value:
            if _is_attribute(item):
                into.add((*prefix, f"[{item['key']}]"))
            else:
                path = (*prefix, "[]")
                into.add(path)
                _collect(item, path, into)


def record_paths(record: Any, into: set[FieldPath]) -> None:
    """Add every field path of one record (a raw document, a landed record) to ``into``."""
    _collect(record, (), into)


def content_paths(content: Any) -> set[FieldPath]:
    """The field paths of a landed file's content; a list's items are its records, the way
    a raw export's documents are (pull request objects, CSV rows, OTLP lines)."""
    paths: set[FieldPath] = set()
    for record in content if isinstance(content, list) else [content]:
        record_paths(record, paths)
    return paths


def parse_path(text: str) -> FieldPath:
    """``"labels[].name"`` → ``("labels", "[]", "name")``."""
    return tuple(_SEGMENT.findall(text))


def render(path: FieldPath) -> str:
    text = ""
    for segment in path:
        text += segment if segment.startswith("[") or not text else f".{segment}"
    return text


def with_ancestors(paths: Iterable[str]) -> frozenset[FieldPath]:
    """The parsed ``paths`` and every container above them."""
    closure: set[FieldPath] = set()
    for text in paths:
        path = parse_path(text)
        closure.update(path[:end] for end in range(1, len(path) + 1))
    return frozenset(closure)


def leaves(paths: set[FieldPath]) -> list[str]:
    """The paths with nothing below them, rendered and sorted."""
    parents = {path[:-1] for path in paths}
    return sorted(render(path) for path in paths - parents)


def outermost(paths: set[FieldPath]) -> list[str]:
    """The paths whose container is not among ``paths`` (``user``, not ``user.login``)."""
    return sorted(render(path) for path in paths if path[:-1] not in paths)
