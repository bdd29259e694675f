"""``claude_code_analytics``: pages of the Claude Code Analytics Admin API,
``GET /v1/organizations/usage_report/claude_code?starting_at=YYYY-MM-DD``.

A page is ``{"data": [...], "has_more", "next_page"}``; each record is one actor on one UTC day:
``date`` (``YYYY-MM-DD`` or RFC 3339 midnight), ``actor`` (``{"type": "user_actor",
"email_address"}`` or ``{"type": "api_actor", "api_key_name"}``), ``organization_id``,
``customer_type`` (``api`` or ``subscription``), ``subscription_type``, ``terminal_type``,
``core_metrics`` {``num_sessions``, ``lines_of_code`` {``added``, ``removed``},
``commits_by_claude_code``, ``pull_requests_by_claude_code``}, ``tool_actions``
{``edit_tool``, ``multi_edit_tool``, ``write_tool``, ``notebook_edit_tool``: {``accepted``,
``rejected``}} and ``model_breakdown[]`` {``model``, ``tokens`` {``input``, ``output``,
``cache_read``, ``cache_creation``}, ``estimated_cost`` {``currency``, ``amount`` in minor
units: cents for USD}}. The four token counts are disjoint, as in Claude Code's telemetry:
``input`` holds no cached tokens.

Landed shape: one page per UTC day (``has_more`` false, ``next_page`` null) whose records are
re-aggregated per team, ``actor.type`` and ``customer_type``: ``date`` as ``YYYY-MM-DD``,
``actor`` reduced to its ``type``, ``team_id`` added (from ``email_address`` or
``api_key_name``), every count summed, ``model_breakdown`` summed per model and currency.
``organization_id``, ``subscription_type`` and ``terminal_type`` are dropped: the first names
the organization, the others describe one person's plan and setup. The kind merges its files
(a day's report spans pages, a page may be saved twice): an actor's day counts once, from the
file read last.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, TextIO

from tpsp.anonymize.io import dump_json
from tpsp.anonymize.kinds.base import (
    KindContext,
    KindOutput,
    at,
    merge_latest_into_groups,
    parse_json_documents,
)
from tpsp.anonymize.records import (
    RecordError,
    as_int,
    as_list,
    as_mapping,
    as_optional_text,
    as_text,
)

FORMATS = ("json", "jsonl")
MERGES_FILES = True

USER_ACTOR, API_ACTOR = "user_actor", "api_actor"
ACTOR_IDENTITY = {USER_ACTOR: "email_address", API_ACTOR: "api_key_name"}
CORE_COUNTS = (
    "num_sessions",
    "lines_of_code.added",
    "lines_of_code.removed",
    "commits_by_claude_code",
    "pull_requests_by_claude_code",
)
TOOLS = ("edit_tool", "multi_edit_tool", "write_tool", "notebook_edit_tool")
DECISIONS = ("accepted", "rejected")
TOKENS = ("input", "output", "cache_read", "cache_creation")
CONSTANTS = frozenset({USER_ACTOR, API_ACTOR, "api", "subscription"})

# The allow-list: every field path a landed record may hold (tpsp.anonymize.field_paths);
# the run refuses output holding any other field.
_RECORD = "data[]"
LANDED_FIELDS = frozenset(
    {
        *("has_more", "next_page"),
        *(f"{_RECORD}.{name}" for name in ("date", "actor.type", "team_id", "customer_type")),
        *(f"{_RECORD}.core_metrics.{path}" for path in CORE_COUNTS),
        *(f"{_RECORD}.tool_actions.{tool}.{d}" for tool in TOOLS for d in DECISIONS),
        f"{_RECORD}.model_breakdown[].model",
        *(f"{_RECORD}.model_breakdown[].tokens.{name}" for name in TOKENS),
        *(f"{_RECORD}.model_breakdown[].estimated_cost.{n}" for n in ("currency", "amount")),
    }
)

PAGE_FIELDS = frozenset({"data", "has_more", "next_page"})
RECORD_FIELDS = frozenset(
    {
        *("date", "actor", "organization_id", "customer_type", "subscription_type"),
        *("terminal_type", "core_metrics", "tool_actions", "model_breakdown"),
    }
)

GroupKey = tuple[date, str, str, str | None]  # day, team, actor type, customer type
ActorDay = tuple[date, str, str]  # day, actor type, actor identity


@dataclass
class _Sums:
    """Running sums of one team, day, actor type and customer type."""

    core: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CORE_COUNTS, 0))
    tools: dict[str, dict[str, int]] = field(
        default_factory=lambda: {tool: dict.fromkeys(DECISIONS, 0) for tool in TOOLS}
    )
    models: dict[tuple[str, str | None], dict[str, Any]] = field(default_factory=dict)

    def add(self, record: "_Record") -> None:
        for path, value in record.core.items():
            self.core[path] += value
        for tool, decisions in record.tools.items():
            for decision, value in decisions.items():
                self.tools[tool][decision] += value
        for (model, currency), (tokens, amount) in record.models.items():
            sums = self.models.setdefault(
                (model, currency), {"tokens": dict.fromkeys(TOKENS, 0), "amount": None}
            )
            for name, value in tokens.items():
                sums["tokens"][name] += value
            if amount is not None:
                sums["amount"] = (sums["amount"] or Decimal(0)) + amount


@dataclass
class _Record:
    """One actor's day, read and checked, before it joins its team's sums."""

    key: GroupKey
    core: dict[str, int]
    tools: dict[str, dict[str, int]]
    models: dict[tuple[str, str | None], tuple[dict[str, int], Decimal | None]]


def parse(handle: TextIO, fmt: str) -> Iterable[Any]:
    return parse_json_documents(handle, fmt)


def serialize(content: dict[str, Any]) -> bytes:
    return dump_json(content)


def count_rows(content: dict[str, Any]) -> int:
    """Rows at the gate's grain: one per record and model (a record without models is one)."""
    return sum(max(1, len(record["model_breakdown"])) for record in content["data"])


def _day(value: Any) -> date:
    """The UTC day of ``YYYY-MM-DD`` or of an RFC 3339 timestamp (the API returns midnight)."""
    text = as_text(value, "date").strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise RecordError("date is not a date or an RFC 3339 timestamp") from exc
    if moment.utcoffset() is None:
        raise RecordError("date has no time zone")
    return moment.astimezone(UTC).date()


def _actor(record: Mapping[str, Any]) -> tuple[str, str | None]:
    actor = as_mapping(record.get("actor"), "actor")
    kind = as_text(actor.get("type"), "actor.type")
    name = ACTOR_IDENTITY.get(kind)
    identity = as_optional_text(actor.get(name), f"actor.{name}") if name else None
    return kind, identity


def _counts(record: Mapping[str, Any], name: str, paths: Iterable[str]) -> dict[str, int]:
    values = as_mapping(record.get(name) or {}, name)
    counts = {}
    for path in paths:
        value: Any = values
        for part in path.split("."):
            value = value.get(part) if isinstance(value, Mapping) else None
        counts[path] = as_int(value, f"{name}.{path}", default=0)
    return counts


def _models(
    record: Mapping[str, Any],
) -> dict[tuple[str, str | None], tuple[dict[str, int], Decimal | None]]:
    models: dict[tuple[str, str | None], tuple[dict[str, int], Decimal | None]] = {}
    for m, item in enumerate(as_list(record.get("model_breakdown") or [], "model_breakdown")):
        with at(f"model_breakdown[{m}]"):
            item = as_mapping(item, "model breakdown")
            model = as_text(item.get("model"), "model")
            tokens = _counts(item, "tokens", TOKENS)
            cost = as_mapping(item.get("estimated_cost") or {}, "estimated_cost")
            currency = as_optional_text(cost.get("currency"), "estimated_cost.currency")
            amount = _amount(cost.get("amount"))
            if (model, currency) in models:
                raise RecordError(f"model {model} is listed twice")
            models[(model, currency)] = (tokens, amount)
    return models


def _amount(value: Any) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise RecordError("estimated_cost.amount is not a number")
    try:
        amount = Decimal(str(value))
    except ArithmeticError as exc:
        raise RecordError("estimated_cost.amount is not a number") from exc
    if not amount.is_finite():
        raise RecordError("estimated_cost.amount is not a finite number")
    return amount


def _read(record: Any, ctx: KindContext) -> tuple[ActorDay, _Record]:
    record = as_mapping(record, "record")
    ctx.note_fields(record, RECORD_FIELDS)
    day = _day(record.get("date"))
    kind, identity = _actor(record)
    team_id = ctx.teams.for_identity(identity)
    customer_type = as_optional_text(record.get("customer_type"), "customer_type")
    tools = {tool: _counts(record.get("tool_actions") or {}, tool, DECISIONS) for tool in TOOLS}
    read = _Record(
        key=(day, team_id, kind, customer_type),
        core=_counts(record, "core_metrics", CORE_COUNTS),
        tools=tools,
        models=_models(record),
    )
    # an actor without a name is nobody's repeat: it keeps a key of its own
    return (day, kind, (identity or "").strip().lower() or f"record:{id(read)}"), read


def transform(documents: Iterable[Any], ctx: KindContext) -> KindOutput:
    records: list[tuple[ActorDay, _Record]] = []
    for p, page in enumerate(documents, start=1):
        with at(f"page {p}"):
            page = as_mapping(page, "page")
            ctx.note_fields(page, PAGE_FIELDS)
            for r, record in enumerate(as_list(page.get("data"), "data")):
                with at(f"data[{r}]"):
                    records.append(_read(record, ctx))
    return KindOutput(days={}, rows_in=len(records), rows_out=0, partial=records)


def _number(amount: Decimal) -> int | float:
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def _landed(key: GroupKey, sums: _Sums) -> dict[str, Any]:
    day, team_id, kind, customer_type = key
    core = sums.core
    return {
        "date": day.isoformat(),
        "actor": {"type": kind},
        "team_id": team_id,
        "customer_type": customer_type,
        "core_metrics": {
            "num_sessions": core["num_sessions"],
            "lines_of_code": {
                "added": core["lines_of_code.added"],
                "removed": core["lines_of_code.removed"],
            },
            "commits_by_claude_code": core["commits_by_claude_code"],
            "pull_requests_by_claude_code": core["pull_requests_by_claude_code"],
        },
        "tool_actions": sums.tools,
        "model_breakdown": [
            {
                "model": model,
                "tokens": values["tokens"],
                "estimated_cost": {
                    "currency": currency,
                    "amount": None if values["amount"] is None else _number(values["amount"]),
                },
            }
            for (model, currency), values in sorted(
                sums.models.items(), key=lambda item: (item[0][0], item[0][1] or "")
            )
        ],
    }


def merge(outputs: list[KindOutput]) -> KindOutput:
    groups, rows_in, duplicates = merge_latest_into_groups(outputs, _Sums)
    days: dict[date, list[dict[str, Any]]] = {}
    for key in sorted(groups, key=lambda k: (k[0], k[1], k[2], k[3] or "")):
        days.setdefault(key[0], []).append(_landed(key, groups[key]))
    pages = {
        day: {"data": data, "has_more": False, "next_page": None} for day, data in days.items()
    }
    return KindOutput(
        days=pages,
        rows_in=rows_in,
        rows_out=sum(count_rows(page) for page in pages.values()),
        duplicates=duplicates,
    )
