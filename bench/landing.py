"""A benchmark landing zone of any size, written straight in the landed shape.

The synthetic generator runs every raw export through the anonymizer and the gates: honest,
but far too slow for tens of millions of calls. The benchmark writes what the anonymizer
would have landed instead, with DuckDB: per-call OTel GenAI spans (one landed file per firm
and day) and the GitHub pull requests they work on, in the folders and field shapes of
docs/landing_contract.md. Values are deterministic hashes of the row number, so a size always
gives the same bytes. Firms are spread over the benchmark's firms and days evenly. With
``landing_format="parquet"`` the spans land as ``tpsp anonymize --format parquet`` lands them
(the kind's Parquet layout); pull requests have no Parquet layout and stay JSON.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb

from tpsp.anonymize.parquet import PARQUET_EXT, PARQUET_LAYOUTS

SPANS_LAYOUT = PARQUET_LAYOUTS["otel_genai_spans"].columns["resourceSpans"]

FIRMS = 10
TEAMS_PER_FIRM = 8
# a quarter: the span of the cross-firm benchmarks, and what an incremental window is a
# small part of in a warehouse that keeps history
DAYS = 90
FIRST_DAY = date(2026, 9, 1)
SPANS_PER_LINE = 50
# one pull request per this many calls, about the demo's ratio
CALLS_PER_PULL_REQUEST = 150
# the share of calls whose span names the pull request it works on (direct attribution)
KEYED_CALLS_PERCENT = 30
MODELS = (
    ("anthropic", "claude-sonnet-4-5-20250929"),
    ("anthropic", "claude-haiku-4-5-20251001"),
    ("openai", "gpt-4.1-2025-04-14"),
    ("openai", "gpt-4o-2024-08-06"),
)
SERVICES = ("code-review", "ide-chat", "agentic_coding", "other")


@dataclass(frozen=True)
class BenchLanding:
    root: Path
    days: list[date]

    @property
    def last_day(self) -> date:
        return self.days[-1]


def firm_id(firm: int) -> str:
    return f"f_bench{firm:05d}"


def write_landing(
    root: Path, events: int, days: int = DAYS, landing_format: str = "json"
) -> BenchLanding:
    """Write `events` calls over FIRMS firms and `days` days (the last day included)."""
    calls_per_firm_day = max(1, events // (FIRMS * days))
    all_days = [FIRST_DAY + timedelta(days=offset) for offset in range(days)]
    with duckdb.connect() as connection:
        connection.execute("set preserve_insertion_order = false")
        for firm in range(FIRMS):
            write_firm_json(root / firm_id(firm), firm)
            for day in all_days:
                write_day(connection, root, firm, day, calls_per_firm_day, landing_format)
    return BenchLanding(root=root, days=all_days)


def write_firm_json(folder: Path, firm: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    size_band = ("11-50", "51-200", "201-1000")[firm % 3]
    (folder / "firm.json").write_text(
        f'{{"anonymizer_version":"0.1.0","firm_id":"{firm_id(firm)}","industry":"software",'
        f'"schema_version":1,"size_band":"{size_band}",'
        f'"tco_overhead_multiplier":{1.2 + firm / 100:.2f},"timezone":"UTC"}}\n'
    )


def write_day(
    connection: duckdb.DuckDBPyConnection,
    root: Path,
    firm: int,
    day: date,
    calls: int,
    landing_format: str,
) -> None:
    firm_folder = root / firm_id(firm)
    spans = firm_folder / "otel_genai_spans" / day.isoformat()
    pulls = firm_folder / "github_pulls" / day.isoformat()
    spans.mkdir(parents=True, exist_ok=True)
    pulls.mkdir(parents=True, exist_ok=True)
    day_number = (day - FIRST_DAY).days
    salt = firm * 100_003 + day_number * 7_919
    pull_requests = max(1, calls // CALLS_PER_PULL_REQUEST)
    lines = spans_query(salt, firm, day, calls, pull_requests)
    if landing_format == PARQUET_EXT:
        connection.execute(
            f"copy (select cast(resourceSpans as {SPANS_LAYOUT}) as resourceSpans from ({lines})) "
            f"to '{spans / f'traces-{day.isoformat()}.parquet'}' "
            "(format parquet, compression zstd)"
        )
    else:
        connection.execute(
            f"copy ({lines}) to '{spans / f'traces-{day.isoformat()}.jsonl'}' (format json)"
        )
    connection.execute(
        f"copy ({pulls_query(salt, firm, day, pull_requests)}) "
        f"to '{pulls / 'repo01_pulls_p001.json'}' (format json, array true)"
    )


def artifact_key_prefix(firm: int, day: date) -> str:
    return f"a_{firm:05d}_{day:%Y%m%d}_"


def pick(values: tuple[str, ...], expression: str) -> str:
    quoted = ", ".join(f"'{value}'" for value in values)
    return f"[{quoted}][cast(1 + ({expression}) % {len(values)} as bigint)]"


def spans_query(salt: int, firm: int, day: date, calls: int, pull_requests: int) -> str:
    """One line per SPANS_PER_LINE calls of a service: OTLP/JSON as the file exporter writes."""
    key_prefix = artifact_key_prefix(firm, day)
    epoch_ns = f"epoch_ns(timestamp '{day.isoformat()}')"
    h = f"hash(i, {salt})"
    providers = tuple(provider for provider, _ in MODELS)
    models = tuple(model for _, model in MODELS)
    return f"""
        with calls as (
            select
                i,
                {h} as h,
                cast(({h} >> 8) % 24 as bigint) as hour,
                cast(({h} >> 16) % {len(MODELS)} as integer) as model_index,
                't_{firm:05d}_' || cast(({h} >> 24) % {TEAMS_PER_FIRM} as varchar) as team_id,
                cast(1000 + ({h} >> 28) % 20000 as bigint) as uncached,
                cast(100 + ({h} >> 36) % 2000 as bigint) as output_tokens,
                cast(({h} >> 44) % 10000 as bigint) as cache_read,
                cast(({h} >> 52) % 1000 as bigint) as cache_write,
                ({h} >> 40) % 100 < {KEYED_CALLS_PERCENT} as keyed
            from range({calls}) as calls(i)
        ),
        spans as (
            select
                i // {SPANS_PER_LINE} as line,
                {pick(SERVICES, "i // " + str(SPANS_PER_LINE))} as service,
                {{
                    'attributes': [
                        {{'key': 'gen_ai.operation.name',
                          'value': {{'stringValue': 'chat', 'intValue': null}}}},
                        {{'key': 'gen_ai.provider.name',
                          'value': {{'stringValue': {pick(providers, "model_index")},
                                    'intValue': null}}}},
                        {{'key': 'gen_ai.request.model',
                          'value': {{'stringValue': {pick(models, "model_index")},
                                    'intValue': null}}}},
                        {{'key': 'gen_ai.usage.cache_creation.input_tokens',
                          'value': {{'stringValue': null,
                                    'intValue': cast(cache_write as varchar)}}}},
                        {{'key': 'gen_ai.usage.cache_read.input_tokens',
                          'value': {{'stringValue': null,
                                    'intValue': cast(cache_read as varchar)}}}},
                        {{'key': 'gen_ai.usage.input_tokens',
                          'value': {{'stringValue': null, 'intValue':
                              cast(uncached + cache_read + cache_write as varchar)}}}},
                        {{'key': 'gen_ai.usage.output_tokens',
                          'value': {{'stringValue': null,
                                    'intValue': cast(output_tokens as varchar)}}}},
                        {{'key': 'tpsp.team_id',
                          'value': {{'stringValue': team_id, 'intValue': null}}}},
                        {{'key': 'tpsp.artifact_key',
                          'value': {{'stringValue': case when keyed then
                              '{key_prefix}' || cast(h % {pull_requests} as varchar)
                              end, 'intValue': null}}}}
                    ],
                    'kind': 3,
                    'name': 'chat',
                    'spanId': 'h_{salt}_' || cast(i as varchar),
                    'startTimeUnixNano':
                        cast({epoch_ns} + hour * 3600000000000 as varchar),
                    'traceId': 'h_{salt}_' || cast(i // 4 as varchar)
                }} as span
            from calls
        )
        select [{{
            'resource': {{'attributes': [
                {{'key': 'service.name', 'value': {{'stringValue': any_value(service)}}}}
            ]}},
            'scopeSpans': [{{'spans': list(span)}}]
        }}] as resourceSpans
        from spans
        group by line
        order by line
    """


def pulls_query(salt: int, firm: int, day: date, pull_requests: int) -> str:
    """The day's pull requests, as GitHub's list API pages land; most merge within days."""
    key_prefix = artifact_key_prefix(firm, day)
    h = f"hash(i, {salt}, 'pull')"
    created = f"timestamp '{day.isoformat()}' + to_hours(cast(({h} >> 8) % 24 as integer))"
    merged = f"{created} + to_hours(cast(1 + ({h} >> 16) % 96 as integer))"
    return f"""
        select
            cast(({h} >> 24) % 400 as bigint) as additions,
            '{key_prefix}' || cast(i as varchar) as artifact_key,
            {{'ref': 'h_main', 'repo': {{'full_name': 'h_repo01'}}}} as base,
            case when ({h} >> 32) % 10 < 8 then strftime({merged}, '%Y-%m-%dT%H:00:00Z')
            end as closed_at,
            strftime({created}, '%Y-%m-%dT%H:00:00Z') as created_at,
            cast(({h} >> 40) % 100 as bigint) as deletions,
            false as draft,
            {{'ref': 'h_branch_' || cast(i as varchar)}} as head,
            [{{'name': {pick(("feature", "bug", "chore", "enhancement"), "(" + h + " >> 48)")}}}]
                as labels,
            case when ({h} >> 32) % 10 < 8 then strftime({merged}, '%Y-%m-%dT%H:00:00Z')
            end as merged_at,
            case when ({h} >> 32) % 10 < 8 then 'closed' else 'open' end as state,
            't_{firm:05d}_' || cast(({h} >> 52) % {TEAMS_PER_FIRM} as varchar) as team_id
        from range({pull_requests}) as pulls(i)
    """
