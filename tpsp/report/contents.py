"""Which metrics each part of the report shows, and how each signal is described."""

# percentile fan charts by month
TREND_METRICS = ("tokens_per_merged_pr", "cost_per_successful_task")
COVERAGE_METRICS = ("cache_hit_ratio", "attribution_coverage")

# the quarter's summary table and the distribution of firms
HEADLINE_METRICS = (
    "tokens_per_merged_pr",
    "cost_per_successful_task",
    "tokens_per_completed_task",
    "tokens_per_shipped_feature",
    "shipped_per_million_tokens",
    "cycle_time_hours",
    "defect_rate",
    "cache_hit_ratio",
    "attribution_coverage",
)

SIGNAL_DESCRIPTIONS = {
    "spike alert": "team-days whose tokens rose above the spike threshold x their trailing median",
    "spike alert, model change": "spikes where a model the team had just started using "
    "carries most of the increase",
    "outlier flag": "team-months whose tokens per merged PR exceed the outlier threshold x "
    "the median of their cohort (same size band and month)",
    "tokens without output": "teams with several consecutive weeks of tokens and nothing shipped",
    "repetitive requests": "teams whose calls mostly repeat one request fingerprint",
    "machine regular timing": "teams whose calls are spread evenly over nearly every hour of "
    "the week",
}
