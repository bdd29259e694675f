"""Small hand-made raw exports, in the raw shapes of docs/landing_contract.md.

``build_firm`` writes one firm folder holding every source kind, with known people, teams and
pull requests, so anonymizer tests can assert exact landed values.
"""

import csv
import gzip
import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

SECRET = b"correct horse battery staple"

FIRM = {
    "firm_id": "f_demo01",
    "size_band": "51-200",
    "industry": "saas",
    "timezone": "Europe/Berlin",
    "tco_overhead_multiplier": 1.35,
    "schema_version": 1,
    "name": "Acme Widgets GmbH",  # not a landed key: must stay behind
}

# identity, team, person. payments and platform have 3 persons each; search has 2 (merged
# into small_teams); infra has 3 identities of one person (merged as well).
ORG_MAP = [
    ("alice@acme.example", "payments", "alice"),
    ("alice-gh", "payments", "alice"),
    ("user-alice", "payments", "alice"),
    ("apikey_alice", "payments", "alice"),
    ("acc-alice", "payments", "alice"),
    ("bob@acme.example", "payments", "bob"),
    ("bob-gh", "payments", "bob"),
    ("user-bob", "payments", "bob"),
    ("apikey_bob", "payments", "bob"),
    ("carol@acme.example", "Payments", "carol"),
    ("Carol-GH", "payments", "carol"),
    ("dave@acme.example", "search", "dave"),
    ("dave-gh", "search", "dave"),
    ("user-dave", "search", "dave"),
    ("acc-dave", "search", "dave"),
    ("erin@acme.example", "search", "erin"),
    ("user-erin", "search", "erin"),
    ("frank@acme.example", "platform", "frank"),
    ("grace@acme.example", "platform", "grace"),
    ("heidi@acme.example", "platform", "heidi"),
    ("ivan@acme.example", "infra", "ivan"),
    ("ivan-gh", "infra", "ivan"),
    ("user-ivan", "infra", "ivan"),
]

# 2026-01-05 and 2026-01-06, in nanoseconds / seconds since the epoch.
DAY1 = datetime(2026, 1, 5, tzinfo=UTC)
DAY2 = datetime(2026, 1, 6, tzinfo=UTC)


def nanos(moment: datetime) -> str:
    return str(int(moment.timestamp()) * 1_000_000_000 + 123_456_789)


def seconds(moment: datetime) -> int:
    return int(moment.timestamp())


# -- writing files ------------------------------------------------------------------------


def write_bytes(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.name.endswith(".gz"):
        data = gzip.compress(data, mtime=0)
    path.write_bytes(data)
    return path


def write_json(path: Path, document: Any) -> Path:
    return write_bytes(path, json.dumps(document, indent=2).encode("utf-8"))


def write_jsonl(path: Path, documents: list[Any]) -> Path:
    return write_bytes(path, "".join(json.dumps(d) + "\n" for d in documents).encode("utf-8"))


def write_csv(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return write_bytes(path, buffer.getvalue().encode("utf-8"))


def write_org_map(firm_dir: Path, rows: list[tuple[str, ...]], person: bool = True) -> Path:
    header = ["identity", "team", "person"] if person else ["identity", "team"]
    return write_csv(firm_dir / "org_map.csv", header, [list(row[: len(header)]) for row in rows])


# -- otel_genai_spans ---------------------------------------------------------------------


def text_attr(key: str, value: str) -> dict[str, Any]:
    return {"key": key, "value": {"stringValue": value}}


def int_attr(key: str, value: int) -> dict[str, Any]:
    return {"key": key, "value": {"intValue": str(value)}}


def otel_span(
    span_id: str,
    start: datetime,
    email: str | None,
    *,
    input_tokens: int = 1000,
    output_tokens: int = 200,
    cache_read: int = 300,
    model: str = "claude-sonnet-4-5-20250929",
    change: tuple[str, str, str] | None = None,  # (repo url, change id, branch)
    operation: str | None = "chat",
) -> dict[str, Any]:
    attributes = [
        text_attr("gen_ai.provider.name", "anthropic"),
        text_attr("gen_ai.request.model", model),
        text_attr("gen_ai.response.model", model),
        int_attr("gen_ai.usage.input_tokens", input_tokens),
        int_attr("gen_ai.usage.output_tokens", output_tokens),
        int_attr("gen_ai.usage.cache_read.input_tokens", cache_read),
        text_attr("gen_ai.prompt", "please fix the payment bug for Alice"),
    ]
    if operation is not None:
        attributes.insert(0, text_attr("gen_ai.operation.name", operation))
    if email is not None:
        attributes.append(text_attr("user.email", email))
    if change is not None:
        url, change_id, branch = change
        attributes += [
            text_attr("vcs.repository.url.full", url),
            text_attr("vcs.change.id", change_id),
            text_attr("vcs.ref.head.name", branch),
        ]
    start_nanos = nanos(start)
    return {
        "traceId": "5b8efff798038103d269b633813fc60c",
        "spanId": span_id,
        "parentSpanId": "eee19b7ec3c1b173",
        "name": f"chat {model}",
        "kind": 3,
        "startTimeUnixNano": start_nanos,
        "endTimeUnixNano": str(int(start_nanos) + 2_500_000_000),
        "attributes": attributes,
        "status": {"code": 2, "message": "rate limited for alice@acme.example"},
    }


def otel_line(spans: list[dict[str, Any]], service: str = "ide-chat") -> dict[str, Any]:
    return {
        "resourceSpans": [
            {
                "resource": {
                    "attributes": [
                        text_attr("service.name", service),
                        text_attr("host.name", "alice-laptop"),
                    ]
                },
                "scopeSpans": [
                    {
                        "scope": {"name": "opentelemetry.instrumentation.anthropic"},
                        "spans": spans,
                    }
                ],
            }
        ]
    }


# -- openai_usage / anthropic_usage -------------------------------------------------------


def openai_result(user_id: str | None, input_tokens: int, output_tokens: int, **extra: Any):
    return {
        "object": "organization.usage.completions.result",
        "input_tokens": input_tokens,
        "output_tokens": output_tokens,
        "input_cached_tokens": extra.get("cached", 0),
        "input_audio_tokens": 0,
        "output_audio_tokens": 0,
        "num_model_requests": extra.get("requests", 1),
        "project_id": extra.get("project_id", "proj_payments"),
        "user_id": user_id,
        "api_key_id": extra.get("api_key_id"),
        "model": extra.get("model", "gpt-4.1-2025-04-14"),
        "batch": None,
    }


def openai_page(buckets: list[tuple[int, list[dict[str, Any]]]]) -> dict[str, Any]:
    return {
        "object": "page",
        "has_more": True,
        "next_page": "page_AAAAAGdGxdEjwQ",
        "data": [
            {"object": "bucket", "start_time": start, "end_time": start + 86_400, "results": rs}
            for start, rs in buckets
        ],
    }


def anthropic_result(api_key_id: str | None, uncached: int, output: int, **extra: Any):
    return {
        "uncached_input_tokens": uncached,
        "cache_creation": {
            "ephemeral_5m_input_tokens": extra.get("cache_5m", 0),
            "ephemeral_1h_input_tokens": 0,
        },
        "cache_read_input_tokens": extra.get("cache_read", 0),
        "output_tokens": output,
        "server_tool_use": {"web_search_requests": 0},
        "api_key_id": api_key_id,
        "workspace_id": extra.get("workspace_id", "wrkspc_01payments"),
        "model": extra.get("model", "claude-sonnet-4-5-20250929"),
        "service_tier": "standard",
        "context_window": "0-200k",
    }


def anthropic_page(buckets: list[tuple[str, str, list[dict[str, Any]]]]) -> dict[str, Any]:
    return {
        "has_more": False,
        "next_page": None,
        "data": [
            {"starting_at": start, "ending_at": end, "results": results}
            for start, end, results in buckets
        ],
    }


# -- github_pulls / jira_issues -----------------------------------------------------------


def github_pull(number: int, login: str | None, created_at: str, **extra: Any) -> dict[str, Any]:
    return {
        "url": f"https://api.github.com/repos/Acme/Payments-API/pulls/{number}",
        "id": 1_000_000 + number,
        "number": number,
        "state": extra.get("state", "closed"),
        "title": f"Fix checkout rounding for {login}",
        "body": "Reported by carol@acme.example in the payments channel",
        "user": {"login": login, "id": 583231} if login else None,
        "created_at": created_at,
        "updated_at": "2026-01-07T08:00:00Z",
        "closed_at": extra.get("closed_at", "2026-01-06T17:45:12Z"),
        "merged_at": extra.get("merged_at", "2026-01-06T17:45:12Z"),
        "draft": False,
        "labels": [{"name": "Bug", "color": "d73a4a"}, {"name": "customer:bigcorp"}],
        "head": {"ref": extra.get("branch", "fix/alice-rounding"), "sha": "6dcb09b5b5"},
        "base": {"ref": "main", "repo": {"full_name": extra.get("repo", "Acme/Payments-API")}},
        "additions": 40,
        "deletions": 4,
    }


def jira_issue(key: str, account_id: str | None, created: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": extra.get("id", "10001"),
        "key": key,
        "self": "https://acme.atlassian.net/rest/api/3/issue/10001",
        "fields": {
            "summary": "Checkout fails for Bob's customers",
            "issuetype": {"name": "Story"},
            "status": {"name": extra.get("status", "Done"), "statusCategory": {"key": "done"}},
            "resolution": {"name": "Done"},
            "created": created,
            "resolutiondate": extra.get("resolutiondate", "2026-03-04T16:40:00.000+0100"),
            "labels": ["backend", "alice-followup"],
            "assignee": (
                {
                    "accountId": account_id,
                    "emailAddress": "alice@acme.example",
                    "displayName": "Alice Example",
                }
                if account_id
                else None
            ),
            "customfield_10016": 3.0,
        },
    }


def jira_page(issues: list[dict[str, Any]]) -> dict[str, Any]:
    return {"issues": issues, "nextPageToken": "CAEaAggD", "isLast": False}


DAILY_TOTALS_HEADER = [
    "date",
    "team",
    "model_class",
    "tokens_consumed",
    "completed_tasks",
    "shipped_artifacts",
    "cycle_time_hours",
    "defect_count",
]


# -- a whole firm -------------------------------------------------------------------------

PAYMENTS_REPO_URL = "https://github.com/Acme/Payments-API.git"


def build_firm(root: Path) -> Path:
    """A firm folder with every source kind, two days of data and known people."""
    firm_dir = root / "acme"
    write_json(firm_dir / "firm.json", FIRM)
    write_org_map(firm_dir, ORG_MAP)

    spans_day1 = [
        otel_span(
            "a1b2c3d4e5f60001",
            DAY1.replace(hour=9, minute=41),
            "Alice@Acme.example",
            change=(PAYMENTS_REPO_URL, "42", "fix/alice-rounding"),
        ),
        otel_span("a1b2c3d4e5f60002", DAY1.replace(hour=9, minute=59), "dave@acme.example"),
        otel_span("a1b2c3d4e5f60003", DAY1.replace(hour=23, minute=59), "mallory@acme.example"),
        otel_span("a1b2c3d4e5f60004", DAY1.replace(hour=10), None, operation=None),
    ]
    spans_day2 = [otel_span("a1b2c3d4e5f60005", DAY2.replace(hour=0, minute=1), "bob@acme.example")]
    write_jsonl(
        firm_dir / "otel_genai_spans" / "traces.jsonl",
        [otel_line(spans_day1), otel_line(spans_day2, service="acme-helpdesk-bot")],
    )

    write_json(
        firm_dir / "openai_usage" / "usage-2026-01.json",
        openai_page(
            [
                (
                    seconds(DAY1),
                    [
                        openai_result("user-alice", 1200, 300, cached=800, requests=4),
                        openai_result("user-bob", 800, 100, cached=100, requests=2),
                        openai_result("user-dave", 500, 50, requests=1),
                        openai_result("user-erin", 700, 70, requests=3),
                        openai_result("user-zoe", 10, 1, requests=1),
                    ],
                ),
                (seconds(DAY2), [openai_result("user-alice", 100, 10)]),
            ]
        ),
    )

    write_json(
        firm_dir / "anthropic_usage" / "messages.json",
        anthropic_page(
            [
                (
                    "2026-01-05T00:00:00Z",
                    "2026-01-06T00:00:00Z",
                    [
                        anthropic_result("apikey_alice", 1500, 400, cache_read=2000),
                        anthropic_result("apikey_bob", 500, 100, cache_read=10),
                        anthropic_result(None, 5, 1),
                    ],
                )
            ]
        ),
    )

    write_csv(
        firm_dir / "daily_totals" / "totals.csv",
        [*DAILY_TOTALS_HEADER, "notes"],
        [
            ["2026-01-05", "payments", "frontier", 100000, 3, 2, 10.0, 0, "alice on leave"],
            ["2026-01-05", "search", "frontier", 5000, 1, 1, 4.0, 1, ""],
            ["2026-01-05", "infra", "frontier", 7000, 1, 3, 8.0, 0, ""],
            ["2026-01-06", "Payments", "mid", 2000, 0, 0, "", "", ""],
        ],
    )

    write_json(
        firm_dir / "github_pulls" / "pulls.json",
        [
            github_pull(42, "alice-gh", "2026-01-05T08:12:00Z"),
            github_pull(43, "dave-gh", "2026-01-06T14:59:59Z", merged_at=None, state="closed"),
            github_pull(
                44, "zed-gh", "2026-01-06T15:00:00Z", state="open", closed_at=None, merged_at=None
            ),
        ],
    )

    write_json(
        firm_dir / "jira_issues" / "page-1.json",
        jira_page(
            [
                jira_issue("PAY-123", "acc-alice", "2026-03-02T10:15:00.000+0100"),
                jira_issue(
                    "PAY-124", None, "2026-03-02T00:30:00.000+0100", id="10002", resolutiondate=None
                ),
            ]
        ),
    )
    return firm_dir
