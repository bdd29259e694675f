"""The firm's ``firm.json``: the few facts about the firm that are landed with its data."""

import json
import re
import zoneinfo
from pathlib import Path
from typing import Any

from tpsp.errors import InputError

SCHEMA_VERSION = 1
FIRM_ID = re.compile(r"^f_[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
KEYS = ("firm_id", "size_band", "industry", "timezone", "tco_overhead_multiplier")


def _valid_timezone(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return not zoneinfo.available_timezones()  # no tz database here: accept the name
    return True


def validate_firm(document: Any, source: str = "firm.json") -> dict[str, Any]:
    """The landed keys of ``firm.json`` (allow-list), checked; anything else is left behind."""
    if not isinstance(document, dict):
        raise InputError(f"{source} must hold a JSON object")
    missing = [key for key in (*KEYS, "schema_version") if key not in document]
    if missing:
        raise InputError(f"{source} lacks " + ", ".join(missing))
    firm_id = document["firm_id"]
    if not isinstance(firm_id, str) or not FIRM_ID.match(firm_id):
        raise InputError(f"{source}: firm_id must look like f_<letters, digits, _ or ->")
    for key in ("size_band", "industry", "timezone"):
        if not isinstance(document[key], str) or not document[key].strip():
            raise InputError(f"{source}: {key} must be a non-empty string")
    if not _valid_timezone(document["timezone"]):
        raise InputError(f"{source}: timezone is not an IANA time zone name")
    multiplier = document["tco_overhead_multiplier"]
    if (
        isinstance(multiplier, bool)
        or not isinstance(multiplier, int | float)
        or not 1 <= multiplier < float("inf")
    ):
        raise InputError(f"{source}: tco_overhead_multiplier must be a number of at least 1")
    if document["schema_version"] != SCHEMA_VERSION or isinstance(document["schema_version"], bool):
        raise InputError(f"{source}: schema_version must be {SCHEMA_VERSION}")
    return {key: document[key] for key in KEYS} | {"schema_version": SCHEMA_VERSION}


def read_firm_json(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise InputError(f"firm.json not found: {path}")
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"{path.name} is not valid JSON: {exc}") from exc
    return validate_firm(document, source=path.name)
