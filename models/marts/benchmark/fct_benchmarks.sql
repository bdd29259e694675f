{%- set metrics = [
    'tokens_per_merged_pr', 'tokens_per_completed_task', 'cost_per_successful_task',
    'cycle_time_hours', 'cache_hit_ratio', 'attribution_coverage',
] -%}

with

team_months as (

    select * from {{ ref('fct_firm_efficiency') }}

),

-- each firm contributes one value per metric and month, from its summed numerators and
-- denominators, so a firm with many teams weighs as much as a firm with few
firm_months as (

    select
        firm_id,
        month,
        count(*) as teams,
        {{ tpsp.safe_divide('sum(attributed_tokens)', 'sum(merged_prs)') }}
            as tokens_per_merged_pr,
        {{ tpsp.safe_divide('sum(attributed_tokens)', 'sum(completed_tasks)') }}
            as tokens_per_completed_task,
        case
            when count(tco_cost_usd) = count(*)
                then {{ tpsp.safe_divide(
                    'sum(' ~ tpsp.fixed_point('tco_cost_usd') ~ ')', 'sum(successful_tasks)'
                ) }}
        end as cost_per_successful_task,
        {{ tpsp.median('cycle_time_hours') }} as cycle_time_hours,
        {{ tpsp.safe_divide(
            'sum(cache_read_tokens)', 'sum(input_tokens) + sum(cache_read_tokens)'
        ) }} as cache_hit_ratio,
        {{ tpsp.safe_divide('sum(attributed_tokens)', 'sum(total_tokens)') }}
            as attribution_coverage
    from team_months
    group by firm_id, month

),

firm_values as (

    {% for metric in metrics %}
    select
        '{{ metric }}' as metric,
        month,
        firm_id,
        teams,
        cast({{ metric }} as double) as metric_value
    from firm_months
    where {{ metric }} is not null
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

cells as (

    select
        metric,
        month,
        count(distinct firm_id) as firms,
        sum(teams) as teams,
        {{ tpsp.percentile_cont('metric_value', 0.25) }} as p25,
        {{ tpsp.percentile_cont('metric_value', 0.5) }} as p50,
        {{ tpsp.percentile_cont('metric_value', 0.75) }} as p75,
        {{ tpsp.percentile_cont('metric_value', 0.9) }} as p90
    from firm_values
    group by metric, month

),

-- privacy rule 4: a cell below k firms keeps its row but publishes no value
final as (

    select
        {{ tpsp.surrogate_key(['metric', "'month'", 'month', "'all'", "'all'"]) }}
            as benchmark_id,
        metric,
        'month' as period_type,
        cast(month as date) as period_start,
        'all' as segment_type,
        'all' as segment_value,
        cast(firms as bigint) as firms,
        cast(teams as bigint) as teams,
        firms < {{ var('k_min_firms') }} as suppressed,
        case when firms >= {{ var('k_min_firms') }} then p25 end as p25,
        case when firms >= {{ var('k_min_firms') }} then p50 end as p50,
        case when firms >= {{ var('k_min_firms') }} then p75 end as p75,
        case when firms >= {{ var('k_min_firms') }} then p90 end as p90
    from cells

)

select * from final
