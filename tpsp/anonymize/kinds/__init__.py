"""One module per source kind: raw reader, field allow-list and transform.

Every module offers the same small surface (``base.KindModule``); ``KINDS`` maps each
``source_kind`` name from ``tpsp.source_kinds`` to its module.
"""

from tpsp.anonymize.kinds import (
    anthropic_usage,
    daily_totals,
    github_pulls,
    jira_issues,
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
}

__all__ = ["KINDS", "KindContext", "KindModule", "KindOutput"]
