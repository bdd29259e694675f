"""One writer per source kind: renders a simulated firm in that vendor's raw export format."""

import random
from collections.abc import Callable
from pathlib import Path

from tpsp.generate.kinds import (
    anthropic_usage,
    daily_totals,
    github_pulls,
    jira_issues,
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
}

__all__ = ["WRITERS", "Writer", "Written"]
