"""Field helpers shared by several source kinds: hour-floored timestamps, allow-listed labels,
repositories named in vendor URLs, and environment classes."""

from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from tpsp.anonymize.records import RecordError, as_text, dig
from tpsp.anonymize.timefloor import floor_iso, format_iso_z

# Label names that say what kind of work an artifact is; every other label is dropped.
LABELS = frozenset(
    {
        *("feature", "enhancement", "improvement", "bug", "fix", "chore", "docs"),
        *("refactor", "test"),
    }
)


def iso_hour(value: Any, what: str) -> str | None:
    """An ISO 8601 timestamp (``Z``, ``+01:00``, ``+0100`` or naive UTC) as the UTC hour
    ``YYYY-MM-DDTHH:00:00Z``; None stays None."""
    if value is None or value == "":
        return None
    try:
        return format_iso_z(floor_iso(as_text(value, what)))
    except ValueError as exc:
        raise RecordError(f"{what} is not an ISO 8601 timestamp") from exc


def required_iso_hour(value: Any, what: str) -> str:
    hour = iso_hour(as_text(value, what), what)
    assert hour is not None
    return hour


def allowed_labels(raw: Any, allowed: frozenset[str] = LABELS) -> list[str]:
    """The allow-listed label names, lower case, sorted; labels may be strings, ``{"name"}``
    objects (GitHub, GitLab with details) or one comma-separated string (Linear's CSV)."""
    if raw is None:
        return []
    if isinstance(raw, str):
        raw = raw.split(",")
    if not isinstance(raw, list):
        raise RecordError("labels is not a list")
    names = set()
    for label in raw:
        name = label.get("name") if isinstance(label, Mapping) else label
        if isinstance(name, str) and name.strip().lower() in allowed:
            names.add(name.strip().lower())
    return sorted(names)


def url_path(url: str) -> str:
    """The path of a URL without its scheme, host and surrounding slashes."""
    return urlsplit(url.strip()).path.strip("/")


def github_repo(record: Mapping[str, Any], *fields: str) -> str:
    """``owner/repo`` from the first of ``fields`` that holds a GitHub API or web URL
    (``https://api.github.com/repos/owner/repo/...`` or ``https://github.com/owner/repo/...``)."""
    for field in fields:
        value = dig(record, field)
        if not isinstance(value, str) or "://" not in value:
            continue
        parts = url_path(value).split("/")
        if parts and parts[0] == "repos":
            parts = parts[1:]
        if len(parts) >= 2 and parts[0] and parts[1]:
            return f"{parts[0]}/{parts[1]}".lower()
    raise RecordError(" or ".join(fields) + " is missing or names no repository")


def first_text(record: Mapping[str, Any], paths: Iterable[str]) -> str | None:
    """The first non-empty string among the dotted ``paths``."""
    for path in paths:
        value = dig(record, path)
        if isinstance(value, str) and value.strip():
            return value
    return None


def optional_bool(value: Any, what: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise RecordError(f"{what} is not a boolean")


def environment_class(name: Any, production: Any = None) -> str:
    """``production``, ``staging``, ``development`` or ``other`` from an environment name;
    environment names are free text (review apps carry branch names) and never land."""
    if production is True:
        return "production"
    text = name.strip().lower() if isinstance(name, str) else ""
    for marker, environment in (
        ("prod", "production"),
        ("live", "production"),
        ("stag", "staging"),
        ("preprod", "staging"),
        ("qa", "staging"),
        ("test", "staging"),
        ("dev", "development"),
    ):
        if marker in text:
            return "staging" if environment == "production" and "pre" in text else environment
    return "other"
