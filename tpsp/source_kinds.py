"""The source kinds tpsp understands, shared by every layer.

Each kind's knowledge lives in one obvious place per layer:
``tpsp/generate/kinds/<kind>.py``, ``tpsp/anonymize/kinds/<kind>.py``,
``expectations/suites/<kind>.py`` and ``models/staging/<kind>/``.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class SourceKind:
    name: str
    landed_ext: str  # extension of landed files: "json", "jsonl" or "csv"
    # "usage" (token telemetry), "delivery" (shipped artifacts), "activity" (what a coding
    # assistant did per person and day: reported beside usage, never added to token totals)
    # or "cost" (what a vendor billed: derived from the usage, priced by the vendor; the
    # generator writes it last, from the usage kinds' billed tokens)
    carries: str


SOURCE_KINDS: dict[str, SourceKind] = {
    kind.name: kind
    for kind in (
        SourceKind("otel_genai_spans", "jsonl", "usage"),
        SourceKind("openai_usage", "json", "usage"),
        SourceKind("anthropic_usage", "json", "usage"),
        SourceKind("daily_totals", "csv", "usage"),
        SourceKind("github_pulls", "json", "delivery"),
        SourceKind("jira_issues", "json", "delivery"),
        SourceKind("claude_code_otel", "jsonl", "usage"),
        SourceKind("litellm_spend", "csv", "usage"),
        SourceKind("gitlab_merge_requests", "json", "delivery"),
        SourceKind("github_issues", "json", "delivery"),
        SourceKind("linear_issues", "csv", "delivery"),
        SourceKind("github_releases", "json", "delivery"),
        SourceKind("deployments", "json", "delivery"),
        SourceKind("anthropic_cost_report", "json", "cost"),
        SourceKind("openai_costs", "json", "cost"),
        SourceKind("claude_code_analytics", "json", "activity"),
        SourceKind("copilot_usage_metrics", "jsonl", "activity"),
    )
}
