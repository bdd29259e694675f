"""One gate suite per source kind: ``SUITES[source_kind]`` is the kind's module.

Each module exposes ``flatten(path) -> pandas.DataFrame`` (the landed file, one row per
record at the natural-key grain) and ``build_suite() -> great_expectations.ExpectationSuite``.
"""

from types import ModuleType

from expectations.suites import (
    anthropic_usage,
    daily_totals,
    github_pulls,
    jira_issues,
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
    )
}
