"""``copilot_usage_metrics``: GitHub Copilot usage metrics, the user-level NDJSON reports
behind ``GET /orgs/{org}/copilot/metrics/reports/users-28-day/latest`` (or ``users-1-day``,
or the enterprise equivalents), saved as ``.jsonl``: one JSON object per user and day.

A record holds ``day``, ``organization_id`` or ``enterprise_id``, ``user_id``, ``user_login``,
the counts ``user_initiated_interaction_count``, ``code_generation_activity_count``,
``code_acceptance_activity_count``, ``loc_suggested_to_add_sum``,
``loc_suggested_to_delete_sum``, ``loc_added_sum``, ``loc_deleted_sum``, the flags
``used_agent``, ``used_chat``, ``used_cli`` (and code review ones), the breakdowns
``totals_by_ide[]``, ``totals_by_feature[]``, ``totals_by_language_feature[]``,
``totals_by_language_model[]`` and ``totals_by_model_feature[]`` (chat only), each entry with
the same counts, and ``totals_by_cli`` {``session_count``, ``request_count``,
``prompt_count``, ``token_usage`` {``prompt_tokens_sum``, ``output_tokens_sum``,
``avg_tokens_per_request``}, ``last_known_cli_version``}, absent without CLI use.

Landed shape: one line per team and UTC ``day``: ``team_id`` added (from ``user_login``, else
``user_id``), every count summed over the team's users, each ``used_*`` flag true when any of
them was, ``totals_by_ide``, ``totals_by_feature`` and ``totals_by_model_feature`` summed per
``ide``, ``feature`` and (``model``, ``feature``), ``totals_by_cli`` summed (null when nobody
used the CLI; ``avg_tokens_per_request`` follows from the sums and is dropped). Dropped:
``user_id``, ``user_login``, the organization and enterprise ids, IDE, plugin and CLI
versions, the per-language breakdowns and the export's partition fields. Reports overlap
(each 28-day report repeats the days of the one before): the kind merges its files, and a
user's day counts once, from the file read last.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TextIO

from tpsp.anonymize.io import dump_jsonl
from tpsp.anonymize.kinds.base import (
    KindContext,
    KindOutput,
    at,
    merge_latest_into_groups,
    parse_json_documents,
)
from tpsp.anonymize.records import RecordError, as_int, as_list, as_mapping, as_text

FORMATS = ("jsonl", "json")
MERGES_FILES = True

COUNTS = (
    "user_initiated_interaction_count",
    "code_generation_activity_count",
    "code_acceptance_activity_count",
    "loc_suggested_to_add_sum",
    "loc_suggested_to_delete_sum",
    "loc_added_sum",
    "loc_deleted_sum",
)
FLAGS = ("used_agent", "used_chat", "used_cli")
CLI_COUNTS = (
    "session_count",
    "request_count",
    "prompt_count",
    "token_usage.prompt_tokens_sum",
    "token_usage.output_tokens_sum",
)
# breakdown name -> the fields that name an entry
BREAKDOWNS = {
    "totals_by_ide": ("ide",),
    "totals_by_feature": ("feature",),
    "totals_by_model_feature": ("model", "feature"),
}
CONSTANTS: frozenset[str] = frozenset()

# The allow-list: every field path a landed record may hold (tpsp.anonymize.field_paths);
# the run refuses output holding any other field.
LANDED_FIELDS = frozenset(
    {
        *("day", "team_id", *COUNTS, *FLAGS),
        *(f"{name}[].{field}" for name, keys in BREAKDOWNS.items() for field in (*keys, *COUNTS)),
        *(f"totals_by_cli.{path}" for path in CLI_COUNTS),
    }
)

RECORD_FIELDS = frozenset(
    {
        *("day", "enterprise_id", "organization_id", "user_id", "user_login", *COUNTS),
        *FLAGS,
        *("used_copilot_code_review_active", "used_copilot_code_review_passive"),
        *BREAKDOWNS,
        *("totals_by_language_feature", "totals_by_language_model", "totals_by_cli"),
        *("last_known_ide_version", "last_known_plugin_version", "ai_credits_used"),
        *("etl_id", "day_partition", "entity_id_partition"),
    }
)

UserDay = tuple[date, str]  # day, user id or login
GroupKey = tuple[date, str]  # day, team


@dataclass
class _Sums:
    """Running sums of one team's day."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))
    flags: dict[str, bool] = field(default_factory=lambda: dict.fromkeys(FLAGS, False))
    breakdowns: dict[str, dict[tuple[str, ...], dict[str, int]]] = field(
        default_factory=lambda: {name: {} for name in BREAKDOWNS}
    )
    cli: dict[str, int] | None = None

    def add(self, record: "_Record") -> None:
        for name, value in record.counts.items():
            self.counts[name] += value
        for name, value in record.flags.items():
            self.flags[name] = self.flags[name] or value
        for name, entries in record.breakdowns.items():
            for key, counts in entries.items():
                sums = self.breakdowns[name].setdefault(key, dict.fromkeys(COUNTS, 0))
                for count, value in counts.items():
                    sums[count] += value
        if record.cli is not None:
            self.cli = self.cli or dict.fromkeys(CLI_COUNTS, 0)
            for path, value in record.cli.items():
                self.cli[path] += value


@dataclass
class _Record:
    """One user's day, read and checked, before it joins its team's sums."""

    key: GroupKey
    counts: dict[str, int]
    flags: dict[str, bool]
    breakdowns: dict[str, dict[tuple[str, ...], dict[str, int]]]
    cli: dict[str, int] | None


def parse(handle: TextIO, fmt: str) -> Iterable[Any]:
    return parse_json_documents(handle, fmt)


def serialize(content: list[dict[str, Any]]) -> bytes:
    return dump_jsonl(content)


def count_rows(content: list[dict[str, Any]]) -> int:
    """Lines of the day: one per team."""
    return len(content)


def _counts(record: Mapping[str, Any], paths: Iterable[str], what: str) -> dict[str, int]:
    counts = {}
    for path in paths:
        value: Any = record
        for part in path.split("."):
            value = value.get(part) if isinstance(value, Mapping) else None
        counts[path] = as_int(value, f"{what}{path}", default=0)
    return counts


def _flags(record: Mapping[str, Any]) -> dict[str, bool]:
    flags = {}
    for name in FLAGS:
        value = record.get(name)
        if value is not None and not isinstance(value, bool):
            raise RecordError(f"{name} is not a boolean")
        flags[name] = bool(value)
    return flags


def _breakdown(record: Mapping[str, Any], name: str) -> dict[tuple[str, ...], dict[str, int]]:
    entries: dict[tuple[str, ...], dict[str, int]] = {}
    for e, entry in enumerate(as_list(record.get(name) or [], name)):
        with at(f"{name}[{e}]"):
            entry = as_mapping(entry, f"{name} entry")
            key = tuple(as_text(entry.get(part), part) for part in BREAKDOWNS[name])
            counts = _counts(entry, COUNTS, "")
            sums = entries.setdefault(key, dict.fromkeys(COUNTS, 0))
            for count, value in counts.items():
                sums[count] += value
    return entries


def _user(record: Mapping[str, Any]) -> str | None:
    """The user's identity for the org map: the GitHub login, else the numeric user id."""
    login = record.get("user_login")
    if isinstance(login, str) and login.strip():
        return login
    user_id = record.get("user_id")
    if isinstance(user_id, int | str) and not isinstance(user_id, bool) and str(user_id).strip():
        return str(user_id)
    return None


def _read(record: Any, ctx: KindContext) -> tuple[UserDay, _Record]:
    record = as_mapping(record, "record")
    ctx.note_fields(record, RECORD_FIELDS)
    try:
        day = date.fromisoformat(as_text(record.get("day"), "day").strip())
    except ValueError as exc:
        raise RecordError("day is not a YYYY-MM-DD date") from exc
    user = _user(record)
    cli = record.get("totals_by_cli")
    read = _Record(
        key=(day, ctx.teams.for_identity(user)),
        counts=_counts(record, COUNTS, ""),
        flags=_flags(record),
        breakdowns={name: _breakdown(record, name) for name in BREAKDOWNS},
        cli=None if cli is None else _counts(as_mapping(cli, "totals_by_cli"), CLI_COUNTS, ""),
    )
    # a record naming no user is nobody's repeat: it keeps a key of its own
    return (day, (user or "").strip().lower() or f"record:{id(read)}"), read


def transform(documents: Iterable[Any], ctx: KindContext) -> KindOutput:
    records: list[tuple[UserDay, _Record]] = []
    for line, record in enumerate(documents, start=1):
        with at(f"record {line}"):
            records.append(_read(record, ctx))
    return KindOutput(days={}, rows_in=len(records), rows_out=0, partial=records)


def _landed(key: GroupKey, sums: _Sums) -> dict[str, Any]:
    day, team_id = key
    breakdowns = {
        name: [
            {**dict(zip(BREAKDOWNS[name], entry_key, strict=True)), **counts}
            for entry_key, counts in sorted(sums.breakdowns[name].items())
        ]
        for name in BREAKDOWNS
    }
    cli = None
    if sums.cli is not None:
        cli = {
            "session_count": sums.cli["session_count"],
            "request_count": sums.cli["request_count"],
            "prompt_count": sums.cli["prompt_count"],
            "token_usage": {
                "prompt_tokens_sum": sums.cli["token_usage.prompt_tokens_sum"],
                "output_tokens_sum": sums.cli["token_usage.output_tokens_sum"],
            },
        }
    return {
        "day": day.isoformat(),
        "team_id": team_id,
        **sums.counts,
        **sums.flags,
        **breakdowns,
        "totals_by_cli": cli,
    }


def merge(outputs: list[KindOutput]) -> KindOutput:
    groups, rows_in, duplicates = merge_latest_into_groups(outputs, _Sums)
    days: dict[date, list[dict[str, Any]]] = {}
    for key in sorted(groups):
        days.setdefault(key[0], []).append(_landed(key, groups[key]))
    return KindOutput(days=days, rows_in=rows_in, rows_out=len(groups), duplicates=duplicates)
