"""One module per source kind: raw reader, field allow-list and transform.

Every module offers the same small surface (``base.KindModule``); ``KINDS`` maps each
``source_kind`` name from ``tpsp.source_kinds`` to its module.
"""

from tpsp.anonymize.kinds import (
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
from tpsp.anonymize.kinds.base import KindContext, KindModule, KindOutput

KINDS: dict[str, KindModule] = {
    "otel_genai_spans": otel_genai_spans,
    "openai_usage": openai_usage,
    "anthropic_usage": anthropic_usage,
    "daily_totals": daily_totals,
    "github_pulls": github_pulls,
    "jira_issues": jira_issues,
    "claude_code_otel": claude_code_otel,
    "litellm_spend": litellm_spend,
    "gitlab_merge_requests": gitlab_merge_requests,
    "github_issues": github_issues,
    "linear_issues": linear_issues,
    "github_releases": github_releases,
    "deployments": deployments,
    "anthropic_cost_report": anthropic_cost_report,
    "openai_costs": openai_costs,
    "claude_code_analytics": claude_code_analytics,
    "copilot_usage_metrics": copilot_usage_metrics,
}

__all__ = ["KINDS", "KindContext", "KindModule", "KindOutput"]
