{#-
    One value per firm × metric × period (month, quarter) × segment: the input of the
    cross-firm benchmarks, and each firm's own position against them. Each firm's value is computed from its summed numerators and
    denominators, so a firm with many teams weighs as much as a firm with few.

    Segments: `all`; `size_band` (the firm's band); and the usage splits `model_class`,
    `workflow`, `context_window_class`, where a token-based metric uses the segment's tokens
    (attributed tokens in proportion to the segment's share) over the firm's whole delivery.

    `denominator` is the volume behind each value (merged PRs behind tokens per merged PR, the
    tokens themselves behind total_tokens): fct_benchmarks suppresses a cell one firm's volume
    dominates, however many firms it has.
-#}
{#- metric: the column holding its denominator -#}
{%- set firm_metrics = {
    'tokens_per_merged_pr': 'merged_prs',
    'tokens_per_completed_task': 'completed_tasks',
    'cost_per_successful_task': 'successful_tasks',
    'tokens_per_shipped_feature': 'shipped_features',
    'cycle_time_hours': 'shipped_artifacts',
    'cycle_time_p90_hours': 'shipped_artifacts',
    'defect_rate': 'shipped_artifacts',
    'cache_hit_ratio': 'cache_hit_base_tokens',
    'attribution_coverage': 'total_tokens',
    'shipped_per_million_tokens': 'total_tokens',
    'total_tokens': 'total_tokens',
} -%}
{%- set segment_metrics = {
    'tokens_per_merged_pr': 'merged_prs',
    'tokens_per_completed_task': 'completed_tasks',
    'cost_per_successful_task': 'successful_tasks',
    'cache_hit_ratio': 'cache_hit_base_tokens',
    'total_tokens': 'total_tokens',
} -%}

with

team_months as (

    select * from {{ ref('fct_firm_efficiency') }}

),

firms as (

    select * from {{ ref('int_firms') }}

),

usage_segments as (

    select * from {{ ref('int_usage_segments') }}

),

team_periods as (

    select
        team_months.*,
        firms.size_band,
        'month' as period_type,
        team_months.month as period_start
    from team_months
    inner join firms on team_months.firm_id = firms.firm_id
    union all
    select
        team_months.*,
        firms.size_band,
        'quarter' as period_type,
        cast({{ dbt.date_trunc('quarter', 'team_months.month') }} as date) as period_start
    from team_months
    inner join firms on team_months.firm_id = firms.firm_id

),

firm_periods as (

    select
        firm_id,
        size_band,
        period_type,
        period_start,
        count(distinct team_id) as teams,
        sum(total_tokens) as total_tokens,
        sum(attributed_tokens) as attributed_tokens,
        sum(input_tokens) as input_tokens,
        sum(cache_read_tokens) as cache_read_tokens,
        sum(merged_prs) as merged_prs,
        sum(completed_tasks) as completed_tasks,
        sum(successful_tasks) as successful_tasks,
        sum(shipped_artifacts) as shipped_artifacts,
        sum(shipped_features) as shipped_features,
        sum(feature_tokens) as feature_tokens,
        sum(bugs_opened) as bugs_opened,
        case
            when count(tco_cost_usd) = count(*)
                then sum({{ tpsp.fixed_point('tco_cost_usd') }})
        end as tco_cost_usd,
        {{ tpsp.median('cycle_time_hours') }} as cycle_time_hours,
        {{ tpsp.median('cycle_time_p90_hours') }} as cycle_time_p90_hours
    from team_periods
    group by firm_id, size_band, period_type, period_start

),

firm_metrics as (

    select
        firm_id,
        size_band,
        period_type,
        period_start,
        teams,
        -- denominators
        merged_prs,
        completed_tasks,
        successful_tasks,
        shipped_features,
        shipped_artifacts,
        input_tokens + cache_read_tokens as cache_hit_base_tokens,
        -- metrics
        {{ tpsp.safe_divide('attributed_tokens', 'merged_prs') }} as tokens_per_merged_pr,
        {{ tpsp.safe_divide('attributed_tokens', 'completed_tasks') }}
            as tokens_per_completed_task,
        {{ tpsp.safe_divide('tco_cost_usd', 'successful_tasks') }} as cost_per_successful_task,
        {{ tpsp.safe_divide('feature_tokens', 'shipped_features') }}
            as tokens_per_shipped_feature,
        cycle_time_hours,
        cycle_time_p90_hours,
        {{ tpsp.safe_divide('bugs_opened', 'shipped_artifacts') }} as defect_rate,
        {{ tpsp.safe_divide('cache_read_tokens', 'input_tokens + cache_read_tokens') }}
            as cache_hit_ratio,
        {{ tpsp.safe_divide('attributed_tokens', 'total_tokens') }} as attribution_coverage,
        {{ tpsp.safe_divide('shipped_artifacts * 1000000', 'total_tokens') }}
            as shipped_per_million_tokens,
        cast(total_tokens as double) as total_tokens
    from firm_periods

),

-- the firm-level segments: everyone, and the firm's size band
firm_values as (

    select
        *,
        'all' as segment_type,
        'all' as segment_value
    from firm_metrics
    union all
    select
        *,
        'size_band' as segment_type,
        size_band as segment_value
    from firm_metrics

),

segment_periods as (

    select
        usage_segments.*,
        'month' as period_type,
        usage_segments.month as period_start
    from usage_segments
    union all
    select
        usage_segments.*,
        'quarter' as period_type,
        cast({{ dbt.date_trunc('quarter', 'usage_segments.month') }} as date) as period_start
    from usage_segments

),

firm_segments as (

    select
        segment_periods.firm_id,
        segment_periods.period_type,
        segment_periods.period_start,
        segment_periods.segment_type,
        segment_periods.segment_value,
        max(segment_periods.teams) as teams,
        sum(segment_periods.total_tokens) as total_tokens,
        sum(segment_periods.input_tokens) as input_tokens,
        sum(segment_periods.cache_read_tokens) as cache_read_tokens,
        case
            when count(segment_periods.tco_cost_usd) = count(*)
                then sum(segment_periods.tco_cost_usd)
        end as tco_cost_usd
    from segment_periods
    group by
        segment_periods.firm_id,
        segment_periods.period_type,
        segment_periods.period_start,
        segment_periods.segment_type,
        segment_periods.segment_value

),

segment_values as (

    select
        firm_segments.firm_id,
        firm_segments.period_type,
        firm_segments.period_start,
        firm_segments.teams,
        firm_segments.segment_type,
        firm_segments.segment_value,
        -- denominators
        firm_periods.merged_prs,
        firm_periods.completed_tasks,
        firm_periods.successful_tasks,
        firm_segments.input_tokens + firm_segments.cache_read_tokens as cache_hit_base_tokens,
        -- metrics
        {{ tpsp.safe_divide(
            'firm_segments.total_tokens * '
            ~ tpsp.safe_divide('firm_periods.attributed_tokens', 'firm_periods.total_tokens'),
            'firm_periods.merged_prs'
        ) }} as tokens_per_merged_pr,
        {{ tpsp.safe_divide(
            'firm_segments.total_tokens * '
            ~ tpsp.safe_divide('firm_periods.attributed_tokens', 'firm_periods.total_tokens'),
            'firm_periods.completed_tasks'
        ) }} as tokens_per_completed_task,
        {{ tpsp.safe_divide('firm_segments.tco_cost_usd', 'firm_periods.successful_tasks') }}
            as cost_per_successful_task,
        {{ tpsp.safe_divide(
            'firm_segments.cache_read_tokens',
            'firm_segments.input_tokens + firm_segments.cache_read_tokens'
        ) }} as cache_hit_ratio,
        cast(firm_segments.total_tokens as double) as total_tokens
    from firm_segments
    inner join firm_periods
        on
            firm_segments.firm_id = firm_periods.firm_id
            and firm_segments.period_type = firm_periods.period_type
            and firm_segments.period_start = firm_periods.period_start

),

long_values as (

    {% for metric, denominator in firm_metrics.items() %}
    select
        firm_id,
        period_type,
        period_start,
        segment_type,
        segment_value,
        teams,
        '{{ metric }}' as metric,
        cast({{ metric }} as double) as metric_value,
        cast({{ denominator }} as double) as denominator
    from firm_values
    where {{ metric }} is not null
    union all
    {% endfor %}
    {% for metric, denominator in segment_metrics.items() %}
    select
        firm_id,
        period_type,
        period_start,
        segment_type,
        segment_value,
        teams,
        '{{ metric }}' as metric,
        cast({{ metric }} as double) as metric_value,
        cast({{ denominator }} as double) as denominator
    from segment_values
    where {{ metric }} is not null
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        {{ tpsp.surrogate_key([
            'firm_id', 'metric', 'period_type', 'period_start', 'segment_type', 'segment_value'
        ]) }} as firm_value_id,
        firm_id,
        metric,
        period_type,
        period_start,
        segment_type,
        segment_value,
        cast(teams as bigint) as teams,
        cast(metric_value as double) as metric_value,
        cast(denominator as double) as denominator
    from long_values

)

select * from final
