"""One gate suite per source kind: ``SUITES[source_kind]`` is the kind's module.

Each module exposes ``flatten(path) -> pandas.DataFrame`` (the landed file, one row per
record at the natural-key grain), ``build_suite() -> great_expectations.ExpectationSuite``
and ``looks_like(sample) -> bool`` (whether a file's first JSON document, or its CSV header,
has the kind's landed shape: it names the right folder for a file landed in the wrong one).
"""

from types import ModuleType

from expectations.suites import (
    anthropic_cost_report,
    anthropic_usage,
    claude_code_analytics,
    claude_code_otel,
    copilot_usage_metrics,
    daily_totals,
    deployments,
    github_issues,
    github_pulls,
    github_releases,
    gitlab_merge_requests,
    jira_issues,
    linear_issues,
    litellm_spend,
    openai_costs,
    openai_usage,
    otel_genai_spans,
)

SUITES: dict[str, ModuleType] = {
    module.__name__.rsplit(".", 1)[-1]: module
    for module in (
        otel_genai_spans,
        openai_usage,
        anthropic_usage,
        daily_totals,
        github_pulls,
        jira_issues,
        claude_code_otel,
        litellm_spend,
        gitlab_merge_requests,
        github_issues,
        linear_issues,
        github_releases,
        deployments,
        claude_code_analytics,
        copilot_usage_metrics,
        anthropic_cost_report,
        openai_costs,
    )
}
