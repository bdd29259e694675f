"""The per-kind allow-lists, checked on the output and fingerprinted for the manifest.

Each kind's transform builds its landed records from named fields only, so a vendor field
it does not name never reaches them. ``LANDED_FIELDS`` states the same allow-list as data: a
landed field outside it (a transform that started copying a record through) is refused
like a leak, and the fingerprint tells the warehouse which allow-lists a file was made with.
"""

import hashlib
import json
from functools import cache
from typing import Any

from tpsp.anonymize.field_paths import FieldPath, content_paths, render, with_ancestors
from tpsp.anonymize.kinds import KINDS


@cache
def _allowed(kind: str) -> frozenset[FieldPath]:
    return with_ancestors(KINDS[kind].LANDED_FIELDS)


def fields_outside(kind: str, content: Any) -> list[str]:
    """The field paths of ``content`` that the kind's allow-list does not hold."""
    allowed = _allowed(kind)
    return sorted(render(path) for path in content_paths(content) - allowed)


@cache
def allow_lists_version() -> str:
    """A fingerprint of every kind's allowed fields and of the values the anonymizer writes
    itself (label and workflow allow-lists, enum values); it changes exactly when they do."""
    lists = {
        kind: {"fields": sorted(module.LANDED_FIELDS), "values": sorted(module.CONSTANTS)}
        for kind, module in sorted(KINDS.items())
    }
    canonical = json.dumps(lists, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return "sha256:" + hashlib.sha256(canonical).hexdigest()[:16]
