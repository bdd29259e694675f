"""GitHub Copilot usage metrics, user-level 28-day reports: the NDJSON files behind the
download links of ``GET /orgs/{org}/copilot/metrics/reports/users-28-day/latest``, saved as
``.jsonl``, one JSON object per user and day.

A record holds ``day``, ``organization_id``, ``enterprise_id``, ``user_id``, ``user_login``,
the day's counts ``user_initiated_interaction_count``, ``code_generation_activity_count``,
``code_acceptance_activity_count``, ``loc_suggested_to_add_sum``,
``loc_suggested_to_delete_sum``, ``loc_added_sum``, ``loc_deleted_sum``, the flags
``used_agent``, ``used_chat``, ``used_cli`` and the breakdowns ``totals_by_ide[]`` (with
``last_known_ide_version`` and ``last_known_plugin_version``), ``totals_by_feature[]``,
``totals_by_language_feature[]``, ``totals_by_language_model[]``,
``totals_by_model_feature[]`` (chat only, not completions) and, when the user ran the CLI,
``totals_by_cli`` {``session_count``, ``request_count``, ``prompt_count``, ``token_usage``
{``prompt_tokens_sum``, ``output_tokens_sum``, ``avg_tokens_per_request``},
``last_known_cli_version``}.

The firm downloads the trailing 28-day report every two weeks, so consecutive files overlap
and list most user-days twice; odd firms gzip what they save. Copilot is priced per seat:
none of this is in a provider's token bill, and only the CLI reports tokens.
"""

import random
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from tpsp.generate.amounts import active_members, split_int
from tpsp.generate.files import write_jsonl
from tpsp.generate.kinds.base import Written
from tpsp.generate.times import iso_z
from tpsp.generate.world import Firm, Person

KIND = "copilot_usage_metrics"
REPORT_DAYS = 28
DOWNLOAD_EVERY_DAYS = 14
COPILOT_SHARE = 0.8  # people at work who use Copilot that day
IDES = {"vscode": ("1.104.2", "copilot-chat"), "jetbrains": ("2025.2.1", "copilot-intellij")}
PLUGIN_VERSION = "0.31.2"
CHAT_MODELS = ("gpt-4.1", "claude-sonnet-4.5", "gpt-5-mini")
LANGUAGES = ("python", "typescript", "go", "java")
CLI_VERSION = "0.0.339"
COUNTS = (
    "user_initiated_interaction_count",
    "code_generation_activity_count",
    "code_acceptance_activity_count",
    "loc_suggested_to_add_sum",
    "loc_suggested_to_delete_sum",
    "loc_added_sum",
    "loc_deleted_sum",
)


def write(firm: Firm, folder: Path, rng: random.Random) -> Written:
    written = Written()
    organization_id = str(rng.randint(10_000_000, 250_000_000))
    user_ids: dict[str, int] = {}
    ides = {}
    records_by_day: dict[date, list[dict]] = {}
    for day in firm.days:
        records = []
        for team in firm.teams:
            if team.is_gaming or not team.uses_ai_on(day):
                continue
            for person, _ in active_members(rng, team, day):
                if rng.random() >= COPILOT_SHARE:
                    continue
                user_id = user_ids.setdefault(person.login, rng.randint(1_000_000, 190_000_000))
                ide = ides.setdefault(person.login, rng.choice(sorted(IDES)))
                records.append(_record(rng, person, user_id, organization_id, ide, day))
                written.identities.add(person.login)
        records_by_day[day] = sorted(records, key=lambda record: record["user_login"])
    suffix = ".jsonl.gz" if firm.spec.index % 2 == 1 else ".jsonl"
    for end in _report_ends(firm.start, firm.end):
        start = max(firm.start, end - timedelta(days=REPORT_DAYS - 1))
        lines = [
            record
            for day, records in records_by_day.items()
            if start <= day <= end
            for record in records
        ]
        name = f"copilot_users_28_day_{end.isoformat()}{suffix}"
        write_jsonl(folder / name, lines, gz=suffix.endswith(".gz"))
    return written


def _report_ends(start: date, end: date) -> list[date]:
    """The last day of every download, the window's last day among them."""
    ends, day = [], end
    while day >= start:
        ends.append(day)
        day -= timedelta(days=DOWNLOAD_EVERY_DAYS)
    return sorted(ends)


def _record(
    rng: random.Random,
    person: Person,
    user_id: int,
    organization_id: str,
    ide: str,
    day: date,
) -> dict:
    features = _features(rng)
    totals = {count: sum(feature[count] for feature in features) for count in COUNTS}
    chat = [feature for feature in features if feature["feature"] != "code_completion"]
    sampled_at = iso_z(datetime.combine(day, time(8), tzinfo=UTC) + timedelta(minutes=17))
    ide_version, plugin = IDES[ide]
    record: dict = {
        "day": day.isoformat(),
        "organization_id": organization_id,
        "enterprise_id": None,
        "user_id": user_id,
        "user_login": person.login,
        **totals,
        "totals_by_ide": [
            {
                "ide": ide,
                **totals,
                "last_known_ide_version": {"ide_version": ide_version, "sampled_at": sampled_at},
                "last_known_plugin_version": {
                    "plugin": plugin,
                    "plugin_version": PLUGIN_VERSION,
                    "sampled_at": sampled_at,
                },
            }
        ],
        "totals_by_feature": features,
        "totals_by_language_feature": _by_language(rng, features),
        "totals_by_language_model": [],
        "totals_by_model_feature": [_with_model(rng, feature) for feature in chat],
        "used_agent": any(f["feature"] in ("agent_edit", "chat_panel_agent_mode") for f in chat),
        "used_chat": bool(chat),
        "used_cli": False,
    }
    if rng.random() < 0.15:
        record["used_cli"] = True
        record["totals_by_cli"] = _cli(rng, sampled_at)
    return record


def _features(rng: random.Random) -> list[dict]:
    generated = rng.randint(5, 80)
    accepted = round(generated * rng.uniform(0.2, 0.4))
    suggested = generated * rng.randint(2, 6)
    features = [
        _feature(
            "code_completion",
            interactions=0,
            generated=generated,
            accepted=accepted,
            suggested=suggested,
            added=round(suggested * accepted / generated),
            deleted=0,
        )
    ]
    if rng.random() < 0.6:
        prompts = rng.randint(1, 12)
        blocks = prompts + rng.randint(0, prompts)
        features.append(
            _feature(
                "chat_panel_ask_mode",
                interactions=prompts,
                generated=blocks,
                accepted=rng.randint(0, blocks),
                suggested=blocks * rng.randint(3, 15),
                added=rng.randint(0, 40),
                deleted=0,
            )
        )
    if rng.random() < 0.3:
        prompts = rng.randint(1, 6)
        added = rng.randint(10, 400)
        features.append(
            _feature(
                "agent_edit",
                interactions=0,
                generated=0,
                accepted=0,
                suggested=0,
                added=added,
                deleted=round(added * rng.uniform(0.1, 0.5)),
            )
        )
        features.append(
            _feature(
                "chat_panel_agent_mode",
                interactions=prompts,
                generated=prompts,
                accepted=0,
                suggested=0,
                added=0,
                deleted=0,
            )
        )
    return features


def _feature(
    name: str,
    *,
    interactions: int,
    generated: int,
    accepted: int,
    suggested: int,
    added: int,
    deleted: int,
) -> dict:
    return {
        "feature": name,
        "user_initiated_interaction_count": interactions,
        "code_generation_activity_count": generated,
        "code_acceptance_activity_count": accepted,
        "loc_suggested_to_add_sum": suggested,
        "loc_suggested_to_delete_sum": 0,
        "loc_added_sum": added,
        "loc_deleted_sum": deleted,
    }


def _by_language(rng: random.Random, features: list[dict]) -> list[dict]:
    """Each feature's counts split over one or two languages."""
    rows = []
    for feature in features:
        languages = rng.sample(LANGUAGES, rng.randint(1, 2))
        weights = [rng.uniform(0.3, 1.0) for _ in languages]
        parts = {
            count: split_int(feature[count], weights)
            for count in COUNTS
            if count != "user_initiated_interaction_count"
        }
        for index, language in enumerate(languages):
            row = {"feature": feature["feature"], "language": language}
            row.update({count: values[index] for count, values in parts.items()})
            rows.append(row)
    return rows


def _with_model(rng: random.Random, feature: dict) -> dict:
    return {"model": rng.choice(CHAT_MODELS), **feature}


def _cli(rng: random.Random, sampled_at: str) -> dict:
    requests = rng.randint(2, 40)
    prompt_tokens = requests * rng.randint(2_000, 9_000)
    output_tokens = requests * rng.randint(200, 1_500)
    return {
        "session_count": rng.randint(1, 3),
        "request_count": requests,
        "prompt_count": rng.randint(1, requests),
        "token_usage": {
            "prompt_tokens_sum": prompt_tokens,
            "output_tokens_sum": output_tokens,
            "avg_tokens_per_request": round((prompt_tokens + output_tokens) / requests, 1),
        },
        "last_known_cli_version": {"cli_version": CLI_VERSION, "sampled_at": sampled_at},
    }
