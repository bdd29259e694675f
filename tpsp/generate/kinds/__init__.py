"""One writer per source kind: renders a simulated firm in that vendor's raw export format."""

import random
from collections.abc import Callable
from pathlib import Path

from tpsp.generate.billing import BilledUsage
from tpsp.generate.kinds import (
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
from tpsp.generate.kinds.base import Written
from tpsp.generate.world import Firm

Writer = Callable[[Firm, Path, random.Random], Written]

WRITERS: dict[str, Writer] = {
    "otel_genai_spans": otel_genai_spans.write,
    "openai_usage": openai_usage.write,
    "anthropic_usage": anthropic_usage.write,
    "daily_totals": daily_totals.write,
    "github_pulls": github_pulls.write,
    "jira_issues": jira_issues.write,
    "claude_code_otel": claude_code_otel.write,
    "litellm_spend": litellm_spend.write,
    "gitlab_merge_requests": gitlab_merge_requests.write,
    "github_issues": github_issues.write,
    "linear_issues": linear_issues.write,
    "github_releases": github_releases.write,
    "deployments": deployments.write,
    "claude_code_analytics": claude_code_analytics.write,
    "copilot_usage_metrics": copilot_usage_metrics.write,
}


# Cost reports are written after every other kind of the firm, from the tokens they billed.
CostWriter = Callable[[Firm, Path, list[BilledUsage]], Written]

COST_WRITERS: dict[str, CostWriter] = {
    "anthropic_cost_report": anthropic_cost_report.write,
    "openai_costs": openai_costs.write,
}

__all__ = ["COST_WRITERS", "WRITERS", "CostWriter", "Writer", "Written"]
